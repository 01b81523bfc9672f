extension L2Loss {
    /// Mean squared error, `torch.nn.MSELoss`: ℓ = (x − y)².
    ///
    /// The same loss as `Catalog.make("l2", …)`, validated by ``Loss/init(validating:)``.
    /// - Parameter reduction: `mean` (default), `sum` or `none`.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}

/// Mean squared error: ``L2Loss`` under the name PyTorch gives it.
public typealias MSELoss = L2Loss
