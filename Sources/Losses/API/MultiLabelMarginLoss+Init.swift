extension MultiLabelMarginLoss {
    /// Multi-label margin loss, `torch.nn.MultiLabelMarginLoss`:
    /// ℓ_n = (1/C) Σ_{j ∈ Y_n} Σ_{i ∉ Y_n} max(0, 1 − (x_{n,j} − x_{n,i})).
    ///
    /// Input scores `[N, C]` (or `[C]`); the target has the same shape and lists the class indices
    /// of Y_n first, ended by the first −1 (PyTorch's convention). The same loss as
    /// `Catalog.make("multilabel-margin", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let marginLoss = try MultiLabelMarginLoss(reduction: .mean)
    /// ```
    /// - Parameters:
    ///   - reduction: `mean` (default, over N), `sum` or `none` (shape `[N]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}
