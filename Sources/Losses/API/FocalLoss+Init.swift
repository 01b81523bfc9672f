extension FocalLoss {
    /// Focal loss (Lin et al. 2017): FL(p_t) = −α_t (1 − p_t)^γ log p_t.
    ///
    /// With `.sigmoid` it is `torchvision.ops.sigmoid_focal_loss` (targets in [0, 1] shaped like
    /// the input); with `.softmax` the multi-class form over the channel axis (class-index or dense
    /// targets). The same loss as `Catalog.make("focal", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let focal = try FocalLoss(gamma: 2, alpha: [0.25], activation: .sigmoid, reduction: .mean)
    /// ```
    /// - Parameters:
    ///   - gamma: the focusing exponent γ ≥ 0 (default 2; 0 gives (weighted) cross entropy).
    ///   - alpha: empty (default) for no weighting; one value in [0, 1] (the positive class's weight
    ///     with `.sigmoid`, torchvision's `alpha`); or one weight per class.
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative γ or a single α above 1.
    public init(gamma: Double = 2, alpha: [Double] = [], activation: Activation = .softmax,
                reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "gamma": .number(gamma), "alpha": .list(alpha),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
