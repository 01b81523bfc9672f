extension MarginRankingLoss {
    /// Margin ranking loss, `torch.nn.MarginRankingLoss`: ℓ = max(0, −y (x₁ − x₂) + margin).
    ///
    /// Input: x₁ and x₂ stacked along a leading axis, `[2, shape…]`; target y of `shape…`, ±1. The
    /// gradient is `[2, shape…]`. The same loss as `Catalog.make("margin-ranking", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let ranking = try MarginRankingLoss(margin: 0.5)
    /// ```
    /// - Parameters:
    ///   - margin: the margin, any finite number (default 0).
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a non-finite margin.
    public init(margin: Double = 0, reduction: Reduction = .mean) throws {
        try self.init(validating: ["margin": .number(margin), "reduction": .string(reduction.rawValue)])
    }
}
