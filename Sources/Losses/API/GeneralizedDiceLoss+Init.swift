extension GeneralizedDiceLoss {
    /// How the generalised Dice loss weighs each class by its target volume G_c = Σᵢ g_{c,i}.
    public enum WeightType: String, Sendable, CaseIterable {
        /// w_c = 1/G_c² (Sudre et al., MONAI's default).
        case square
        /// w_c = 1/G_c.
        case simple
        /// w_c = 1.
        case uniform
    }

    /// Generalised Dice loss with MONAI `GeneralizedDiceLoss` semantics:
    /// 1 − (2 Σ_c w_c I_c + s_nr)/(Σ_c w_c (P_c + G_c) + s_dr) per sample.
    ///
    /// The same loss as `Catalog.make("generalized-dice", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let gdl = try GeneralizedDiceLoss(weightType: .square)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - weightType: the class weights, ``WeightType/square`` by default.
    ///   - smoothNr: added to the numerator, ≥ 0 (default 1e-5).
    ///   - smoothDr: added to the denominator, ≥ 0 (default 1e-5).
    ///   - batch: sum over the batch before the ratio (default `false`).
    ///   - softLabel: accept soft (non-binary) dense targets (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(includeBackground: Bool = true, weightType: WeightType = .square, smoothNr: Double = 1e-5,
                smoothDr: Double = 1e-5, batch: Bool = false, softLabel: Bool = false,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "w_type": .string(weightType.rawValue),
            "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr), "batch": .bool(batch),
            "soft_label": .bool(softLabel),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
