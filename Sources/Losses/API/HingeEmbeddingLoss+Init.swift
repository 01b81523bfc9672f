extension HingeEmbeddingLoss {
    /// Hinge embedding loss, `torch.nn.HingeEmbeddingLoss`: ℓ = x for y = 1, max(0, Δ − x) for y = −1.
    ///
    /// Input: x, usually a distance between two embeddings; target y ∈ {−1, +1} of the same shape.
    /// Not the SVM hinge (that is ``HingeLoss``). The same loss as `Catalog.make("hinge-embedding", …)`,
    /// validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let embedding = try HingeEmbeddingLoss(margin: 2)
    /// ```
    /// - Parameters:
    ///   - margin: Δ, any finite number (default 1).
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a non-finite margin.
    public init(margin: Double = 1, reduction: Reduction = .mean) throws {
        try self.init(validating: ["margin": .number(margin), "reduction": .string(reduction.rawValue)])
    }
}
