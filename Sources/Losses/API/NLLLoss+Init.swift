extension NLLLoss {
    /// Negative log likelihood, `torch.nn.NLLLoss`: ℓᵢ = −w_{yᵢ} x_{i,yᵢ} on log-probabilities
    /// `[N, C, spatial…]` (or `[C]` with a scalar target) and class indices `[N, spatial…]`.
    ///
    /// The same loss as `Catalog.make("nll", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let nll = try NLLLoss(weight: [1, 2, 1], ignoreIndex: 255)
    /// ```
    /// - Parameters:
    ///   - weight: one weight per class; empty (default) for none.
    ///   - ignoreIndex: a target label that contributes neither loss nor gradient (default −100).
    ///   - reduction: `mean` (default: weighted mean over the positions not ignored), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative weight.
    public init(weight: [Double] = [], ignoreIndex: Int = -100, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "weight": .list(weight), "ignore_index": .integer(ignoreIndex), "reduction": .string(reduction.rawValue),
        ])
    }
}
