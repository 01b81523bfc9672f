extension PoissonNLLLoss {
    /// Poisson negative log-likelihood, `torch.nn.PoissonNLLLoss`: ℓ = eˣ − y x with `logInput`,
    /// ℓ = x − y log(x + ε) otherwise, plus Stirling's term for log(y!) with `full`.
    ///
    /// Input: the log-rate (or the rate without `logInput`); target: counts of the same shape.
    /// The same loss as `Catalog.make("poisson-nll", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let poisson = try PoissonNLLLoss(logInput: true, full: true)
    /// ```
    /// - Parameters:
    ///   - logInput: the input holds log λ (default `true`).
    ///   - full: add Stirling's approximation y log y − y + ½ log(2π y) where y > 1 (default `false`).
    ///   - eps: ε ≥ 0 added to the rate inside the log without `logInput` (default 1e-8).
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative or non-finite ε.
    public init(logInput: Bool = true, full: Bool = false, eps: Double = 1e-8, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "log_input": .bool(logInput), "full": .bool(full), "eps": .number(eps), "reduction": .string(reduction.rawValue),
        ])
    }
}
