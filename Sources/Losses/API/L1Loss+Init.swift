extension L1Loss {
    /// Mean absolute error, `torch.nn.L1Loss`: ℓ = |x − y|.
    ///
    /// Input and target of equal shape; subgradient sign(x − y), 0 where x = y.
    /// The same loss as `Catalog.make("l1", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let mae = try L1Loss(reduction: .sum)
    /// ```
    /// - Parameter reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}
