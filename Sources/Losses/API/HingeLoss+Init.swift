extension HingeLoss {
    /// The SVM hinge loss: ℓ(f, y) = max(0, 1 − y f).
    ///
    /// Input: real scores f; target: labels y ∈ {−1, +1} of the same shape; subgradient −y where
    /// y f < 1, else 0. Not `torch.nn.HingeEmbeddingLoss` (that is ``HingeEmbeddingLoss``). The same
    /// loss as `Catalog.make("hinge", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let hinge = try HingeLoss(reduction: .mean)
    /// ```
    /// - Parameters:
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}
