extension ExponentialLoss {
    /// AdaBoost's exponential loss: ℓ(f, y) = e^{−y f}.
    ///
    /// Input: real scores f; target: labels y ∈ {−1, +1} of the same shape. Margins below about
    /// −88.7 overflow `Float` to +∞. The same loss as `Catalog.make("exponential", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let exponential = try ExponentialLoss()
    /// ```
    /// - Parameters:
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}
