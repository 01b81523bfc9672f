extension MultiMarginLoss {
    /// Multi-class margin (hinge) loss, `torch.nn.MultiMarginLoss`:
    /// ℓ_n = (1/C) Σ_{i ≠ y_n} w_{y_n} max(0, margin − x_{n,y_n} + x_{n,i})ᵖ.
    ///
    /// Input: scores `[N, C]` (or `[C]`); target: class indices `[N]` (or `[]`). The same loss as
    /// `Catalog.make("multi-margin", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let multiMargin = try MultiMarginLoss(p: 2, margin: 1)
    /// ```
    /// - Parameters:
    ///   - p: the exponent, 1 (default) or 2.
    ///   - margin: any finite number (default 1).
    ///   - weight: one weight per class; empty (default) for none.
    ///   - reduction: `mean` (default, over the samples), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for p outside {1, 2}, a non-finite
    ///   margin or a negative weight.
    public init(p: Int = 1, margin: Double = 1, weight: [Double] = [], reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "p": .integer(p), "margin": .number(margin), "weight": .list(weight), "reduction": .string(reduction.rawValue),
        ])
    }
}
