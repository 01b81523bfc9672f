extension ZeroOneLoss {
    /// Zero-one loss: ℓ(f, y) = 𝟙[y f ≤ 0], 1 where the sign of the score disagrees with the label.
    ///
    /// Input: real scores f; target: labels y ∈ {−1, +1} of the same shape. A score of exactly 0
    /// counts as an error; the gradient is 0 everywhere. The same loss as
    /// `Catalog.make("zero-one", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let errorRate = try ZeroOneLoss(reduction: .mean)
    /// ```
    /// - Parameters:
    ///   - reduction: `mean` (default: the error rate), `sum` (the number of errors) or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}
