extension L1Loss {
    /// Mean absolute error, `torch.nn.L1Loss`: ℓ = |x − y|.
    ///
    /// The same loss as `Catalog.make("l1", …)`, validated by ``Loss/init(validating:)``.
    /// - Parameter reduction: `mean` (default), `sum` or `none`.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}
