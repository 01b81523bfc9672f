extension L1Regularization {
    /// L1 weight penalty (lasso): R(w) = λ Σᵢ |wᵢ|, subgradient λ sign(w) (0 at w = 0).
    ///
    /// Input: the weights, any shape; no target (pass `nil`). The same loss as
    /// `Catalog.make("l1-regularization", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let lasso = try L1Regularization(lambda: 1e-4)
    /// let penalty = try lasso.evaluate(weights, target: nil, gradient: true)
    /// ```
    /// - Parameters:
    ///   - lambda: λ ≥ 0 (default 0.01).
    ///   - reduction: `sum` (default: the penalty itself), `mean` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative or non-finite λ.
    public init(lambda: Double = 0.01, reduction: Reduction = .sum) throws {
        try self.init(validating: ["lambda": .number(lambda), "reduction": .string(reduction.rawValue)])
    }
}
