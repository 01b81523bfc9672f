extension SquaredHingeLoss {
    /// The squared hinge (L2-SVM) loss: ℓ(f, y) = max(0, 1 − y f)².
    ///
    /// Input: real scores f; target: labels y ∈ {−1, +1} of the same shape; differentiable
    /// everywhere. The same loss as `Catalog.make("squared-hinge", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let squaredHinge = try SquaredHingeLoss()
    /// ```
    /// - Parameters:
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue)])
    }
}
