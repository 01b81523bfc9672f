extension AsymmetricUnifiedFocalLoss {
    /// Asymmetric Unified Focal loss (Yeung et al. 2022), MONAI `AsymmetricUnifiedFocalLoss`:
    /// `weight` · asymmetric focal + (1 − `weight`) · asymmetric focal Tversky, binary only.
    ///
    /// Input: probabilities `[N, C, H, W]` or `[N, C, D, H, W]` with C = 1 (foreground) or 2
    /// (background, foreground); target: a binary map with one channel, the dense two channels, or
    /// class indices with `toOnehotY`. The same loss as `Catalog.make("unified-focal", …)`,
    /// validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let unified = try AsymmetricUnifiedFocalLoss(toOnehotY: true, weight: 0.5, gamma: 0.5, delta: 0.6)
    /// ```
    /// - Parameters:
    ///   - toOnehotY: with two channels, the target is class indices (default `false`, MONAI's).
    ///   - numClasses: 2, the only value MONAI supports (default 2).
    ///   - weight: the focal term's share in [0, 1] (default 0.5, MONAI's).
    ///   - gamma: the background's focal exponent and 1 − the foreground's Tversky exponent, in
    ///     [0, 1] (default 0.5, MONAI's).
    ///   - delta: the foreground's weight in the focal term and the false negatives' weight in
    ///     the Tversky index, in [0, 1] (default 0.7, MONAI's).
    ///   - reduction: `mean` (default), `sum` or `none`: all the same scalar, as MONAI.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(toOnehotY: Bool = false, numClasses: Int = 2, weight: Double = 0.5, gamma: Double = 0.5,
                delta: Double = 0.7, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "to_onehot_y": .bool(toOnehotY), "num_classes": .integer(numClasses), "weight": .number(weight),
            "gamma": .number(gamma), "delta": .number(delta), "reduction": .string(reduction.rawValue),
        ])
    }
}
