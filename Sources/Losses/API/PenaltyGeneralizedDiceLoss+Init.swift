extension PenaltyGeneralizedDiceLoss {
    /// Penalty generalised Dice loss (Yang et al. 2019): 𝓛 = L_GD / (1 + k (1 − L_GD)), with L_GD the
    /// generalised Dice loss of each sample (``GeneralizedDiceLoss``, MONAI semantics).
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. k = 0 is the generalised Dice
    /// loss. The same loss as `Catalog.make("penalty-generalized-dice", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let pgd = try PenaltyGeneralizedDiceLoss(k: 2.5, weightType: .square)
    /// ```
    /// - Parameters:
    ///   - k: the penalty k ≥ 0 (default 2.5).
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - weightType: the class weights, ``GeneralizedDiceLoss/WeightType/square`` by default.
    ///   - smoothNr: added to the numerator, ≥ 0 (default 1e-5).
    ///   - smoothDr: added to the denominator, ≥ 0 (default 1e-5).
    ///   - batch: sum over the batch before the ratio (default `false`).
    ///   - softLabel: accept soft (non-binary) dense targets (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(k: Double = 2.5, includeBackground: Bool = true, weightType: GeneralizedDiceLoss.WeightType = .square,
                smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false, softLabel: Bool = false,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "k": .number(k), "include_background": .bool(includeBackground), "w_type": .string(weightType.rawValue),
            "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr), "batch": .bool(batch),
            "soft_label": .bool(softLabel),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
