extension GeneralizedWassersteinDiceLoss {
    /// How the generalised Wasserstein Dice loss weighs the classes (MONAI's `weighting_mode`).
    public enum WeightingMode: String, Sendable, CaseIterable {
        /// α_0 = 0 for the background, 1 for every other class (Fidon et al. 2017).
        case `default`
        /// α_c = 1/(V_c + 1), V_c the class's voxel count (Tilborghs et al. 2020).
        case GDL
    }

    /// Generalised Wasserstein Dice loss with MONAI `GeneralizedWassersteinDiceLoss` semantics:
    /// 1 − (2 TP + s_nr)/(D + s_dr) per sample, errors measured by the class distance matrix.
    ///
    /// Input: logits `[N, C, spatial…]` (always a softmax, as MONAI); target: class indices
    /// `[N, spatial…]`. The same loss as `Catalog.make("generalized-wasserstein-dice", …)`, validated
    /// by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let gwdl = try GeneralizedWassersteinDiceLoss(distMatrix: [0, 1, 1, 1, 0, 0.5, 1, 0.5, 0])
    /// ```
    /// - Parameters:
    ///   - distMatrix: the C × C class distances, row-major, each ≥ 0 (divided by the largest);
    ///     empty (default) for 1 − I, every confusion costing 1.
    ///   - weightingMode: ``WeightingMode/default`` (default) or ``WeightingMode/GDL``.
    ///   - smoothNr: added to the numerator, ≥ 0 (default 1e-5).
    ///   - smoothDr: added to the denominator, ≥ 0 (default 1e-5).
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range or a
    ///   matrix without a positive entry.
    public init(distMatrix: [Double] = [], weightingMode: WeightingMode = .default, smoothNr: Double = 1e-5,
                smoothDr: Double = 1e-5, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "dist_matrix": .list(distMatrix), "weighting_mode": .string(weightingMode.rawValue),
            "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr), "reduction": .string(reduction.rawValue),
        ])
    }
}
