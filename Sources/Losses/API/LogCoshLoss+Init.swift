extension LogCoshLoss {
    /// Log-cosh loss: ℓ(x, y) = log cosh(x − y), computed as |d| + log1p(e^{−2|d|}) − log 2.
    ///
    /// Input and target of equal shape; the derivative is tanh(x − y). The same loss as
    /// `Catalog.make("log-cosh", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let logCosh = try LogCoshLoss(reduction: .sum)
    /// ```
    /// - Parameters:
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}
