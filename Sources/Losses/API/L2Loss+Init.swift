extension L2Loss {
    /// Mean squared error, `torch.nn.MSELoss`: ℓ = (x − y)².
    ///
    /// Input and target of equal shape; gradient 2(x − y).
    /// The same loss as `Catalog.make("l2", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let mse = try L2Loss(reduction: .mean)      // also spelt MSELoss(reduction:)
    /// ```
    /// - Parameter reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}

/// Mean squared error: ``L2Loss`` under the name PyTorch gives it.
public typealias MSELoss = L2Loss
