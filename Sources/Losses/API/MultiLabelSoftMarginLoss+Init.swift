extension MultiLabelSoftMarginLoss {
    /// Multi-label soft-margin loss, `torch.nn.MultiLabelSoftMarginLoss`:
    /// ℓ_n = −(1/C) Σ_c w_c (y_{n,c} log σ(x_{n,c}) + (1 − y_{n,c}) log σ(−x_{n,c})).
    ///
    /// Input: logits with the classes on the last axis, `[N, C]` (or `[C]`, `[…, C]`); target of the
    /// same shape, 0/1 labels. The same loss as `Catalog.make("multilabel-soft-margin", …)`, validated
    /// by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let multiLabel = try MultiLabelSoftMarginLoss(weight: [1, 2, 1])
    /// ```
    /// - Parameters:
    ///   - weight: one weight per class; empty (default) for none.
    ///   - reduction: `mean` (default, over the samples), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative weight.
    public init(weight: [Double] = [], reduction: Reduction = .mean) throws {
        try self.init(validating: ["weight": .list(weight), "reduction": .string(reduction.rawValue)])
    }
}
