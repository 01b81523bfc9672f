extension GaussianNLLLoss {
    /// Gaussian negative log-likelihood, `torch.nn.GaussianNLLLoss`:
    /// ℓ = ½ (log max(v, ε) + (x − y)² / max(v, ε)) [+ ½ log 2π].
    ///
    /// Input: the mean and the variance concatenated along the last axis, `[…, 2D]` (one variance
    /// per element) or `[…, D + 1]` (one per row); target `[…, D]`. The gradient comes back in the
    /// same layout. A negative variance throws when evaluated. The same loss as
    /// `Catalog.make("gaussian-nll", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let gaussian = try GaussianNLLLoss(full: true, eps: 1e-6)
    /// ```
    /// - Parameters:
    ///   - full: add the constant ½ log 2π (default `false`).
    ///   - eps: ε ≥ 0, the variance's lower clamp (default 1e-6).
    ///   - reduction: `mean` (default, over the target's elements), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative or non-finite ε.
    public init(full: Bool = false, eps: Double = 1e-6, reduction: Reduction = .mean) throws {
        try self.init(validating: ["full": .bool(full), "eps": .number(eps), "reduction": .string(reduction.rawValue)])
    }
}
