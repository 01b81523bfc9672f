extension GeneralizedDiceFocalLoss {
    /// Generalised Dice + focal loss with MONAI `GeneralizedDiceFocalLoss` semantics:
    /// 𝓛 = λ_gdl 𝓛_GDL + λ_focal 𝓛_focal, the focal term being the sigmoid focal loss of every
    /// kept element, (1 − p_t)^γ BCE, times the class `weight`.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits; `activation` applies to the GDL term, the
    /// focal term always takes the input as logits, as MONAI); target: class indices
    /// `[N, spatial…]` or dense, shaped like the input. The same loss as
    /// `Catalog.make("generalized-dice-focal", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let gdf = try GeneralizedDiceFocalLoss(includeBackground: false, lambdaFocal: 0.5)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 in both terms (default `true`).
    ///   - weightType: the GDL class weights, ``GeneralizedDiceLoss/WeightType/square`` by default.
    ///   - smoothNr: GDL numerator smoothing, ≥ 0 (default 1e-5).
    ///   - smoothDr: GDL denominator smoothing, ≥ 0 (default 1e-5).
    ///   - batch: GDL sums over the batch before the ratio (default `false`).
    ///   - gamma: the focal exponent γ ≥ 0 (default 2).
    ///   - weight: the focal term's weight per kept class (one value for all, or one each); empty
    ///     (default) for none.
    ///   - lambdaGDL: the GDL term's coefficient, ≥ 0 (default 1).
    ///   - lambdaFocal: the focal term's coefficient, ≥ 0 (default 1).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for the GDL term.
    ///   - reduction: `mean` (default) or `sum`; `.none` is not a choice of this loss and throws.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range or `.none`.
    public init(includeBackground: Bool = true, weightType: GeneralizedDiceLoss.WeightType = .square,
                smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false, gamma: Double = 2,
                weight: [Double] = [], lambdaGDL: Double = 1, lambdaFocal: Double = 1,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "w_type": .string(weightType.rawValue),
            "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr), "batch": .bool(batch),
            "gamma": .number(gamma), "weight": .list(weight), "lambda_gdl": .number(lambdaGDL),
            "lambda_focal": .number(lambdaFocal),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
