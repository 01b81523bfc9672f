extension HuberLoss {
    /// Huber loss, `torch.nn.HuberLoss`: ½d² where |d| < δ, δ(|d| − δ/2) elsewhere (d = x − y).
    ///
    /// Input and target of equal shape.
    /// The same loss as `Catalog.make("huber", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let huber = try HuberLoss(delta: 0.5)
    /// ```
    /// - Parameters:
    ///   - delta: where the quadratic part ends, > 0 (default 1).
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for `delta` ≤ 0 or non-finite.
    public init(delta: Double = 1, reduction: Reduction = .mean) throws {
        try self.init(validating: ["delta": .number(delta), "reduction": .string(reduction.rawValue)])
    }
}
