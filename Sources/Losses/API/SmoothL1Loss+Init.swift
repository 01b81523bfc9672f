extension SmoothL1Loss {
    /// Smooth L1, `torch.nn.SmoothL1Loss`: ½d²/β where |d| < β, |d| − β/2 elsewhere (d = x − y).
    ///
    /// Input and target of equal shape.
    /// The same loss as `Catalog.make("smooth-l1", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let smoothL1 = try SmoothL1Loss(beta: 0.5)
    /// ```
    /// - Parameters:
    ///   - beta: where the quadratic part ends, ≥ 0 (default 1; 0 gives L1).
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative or non-finite `beta`.
    public init(beta: Double = 1, reduction: Reduction = .mean) throws {
        try self.init(validating: ["beta": .number(beta), "reduction": .string(reduction.rawValue)])
    }
}
