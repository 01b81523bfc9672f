extension L2Regularization {
    /// L2 weight penalty (ridge): R(w) = (λ/2) Σᵢ wᵢ², so that ∇R = λ w is PyTorch's weight decay.
    ///
    /// Input: the weights, any shape; no target (pass `nil`). The same loss as
    /// `Catalog.make("l2-regularization", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let decay = try L2Regularization(lambda: 5e-4)
    /// let penalty = try decay.evaluate(weights, target: nil, gradient: true)
    /// ```
    /// - Parameters:
    ///   - lambda: λ ≥ 0 (default 0.01).
    ///   - reduction: `sum` (default: the penalty itself), `mean` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative or non-finite λ.
    public init(lambda: Double = 0.01, reduction: Reduction = .sum) throws {
        try self.init(validating: ["lambda": .number(lambda), "reduction": .string(reduction.rawValue)])
    }
}
