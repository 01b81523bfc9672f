extension SoftMarginLoss {
    /// Soft-margin (logistic) loss, `torch.nn.SoftMarginLoss`: ℓ(f, y) = log(1 + e^{−y f}).
    ///
    /// Input: real scores f; target: labels y ∈ {−1, +1} of the same shape (any finite target is
    /// accepted, as PyTorch). Computed as softplus, so margins of ±1000 stay finite. The same loss as
    /// `Catalog.make("soft-margin", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let softMargin = try SoftMarginLoss(reduction: .sum)
    /// ```
    /// - Parameters:
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}
