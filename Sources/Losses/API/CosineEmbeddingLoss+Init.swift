extension CosineEmbeddingLoss {
    /// Cosine embedding loss, `torch.nn.CosineEmbeddingLoss`: ℓ = 1 − cos(a, b) for y = 1,
    /// max(0, cos(a, b) − margin) for y = −1.
    ///
    /// Input: the pair stacked along a leading axis, `[2, N, D]` (or `[2, D]`); target y `[N]` (or
    /// `[]`), ±1. ε = 1e-12 is added to each squared norm, as PyTorch. The same loss as
    /// `Catalog.make("cosine-embedding", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let cosine = try CosineEmbeddingLoss(margin: 0.2)
    /// ```
    /// - Parameters:
    ///   - margin: in [−1, 1] (default 0).
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a margin outside [−1, 1].
    public init(margin: Double = 0, reduction: Reduction = .mean) throws {
        try self.init(validating: ["margin": .number(margin), "reduction": .string(reduction.rawValue)])
    }
}
