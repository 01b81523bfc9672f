extension DiceFocalLoss {
    /// Dice + focal loss with MONAI `DiceFocalLoss` semantics: 𝓛 = λ_dice 𝓛_Dice + λ_focal 𝓛_focal,
    /// the focal term being the sigmoid focal loss of every element, α_t (1 − p_t)^γ BCE.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits; `activation` applies to the Dice term, the
    /// focal term always takes the input as logits, as MONAI); target: class indices
    /// `[N, spatial…]` or dense, shaped like the input. The same loss as
    /// `Catalog.make("dice-focal", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let diceFocal = try DiceFocalLoss(includeBackground: false, gamma: 2, lambdaFocal: 0.5)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 in both terms (default `true`).
    ///   - smoothNr: Dice numerator smoothing, ≥ 0 (default 1e-5).
    ///   - smoothDr: Dice denominator smoothing, ≥ 0 (default 1e-5).
    ///   - squaredPred: Σp² and Σg² in the Dice denominator (default `false`).
    ///   - jaccard: the Jaccard form of the Dice term (default `false`).
    ///   - batch: Dice sums over the batch before the ratio (default `false`).
    ///   - weight: one weight per kept class for both terms; empty (default) for none.
    ///   - gamma: the focal exponent γ ≥ 0 (default 2).
    ///   - alpha: the focal term's α, the positive weight: one value in [0, 1] for every channel, or one per
    ///     channel; empty (default) for none.
    ///   - lambdaDice: the Dice term's coefficient, ≥ 0 (default 1).
    ///   - lambdaFocal: the focal term's coefficient, ≥ 0 (default 1).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for the Dice term.
    ///   - reduction: `mean` (default) or `sum`; `.none` is not a choice of this loss and throws.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range or `.none`.
    public init(includeBackground: Bool = true, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5,
                squaredPred: Bool = false, jaccard: Bool = false, batch: Bool = false, weight: [Double] = [],
                gamma: Double = 2, alpha: [Double] = [], lambdaDice: Double = 1, lambdaFocal: Double = 1,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr),
            "squared_pred": .bool(squaredPred), "jaccard": .bool(jaccard), "batch": .bool(batch), "weight": .list(weight),
            "gamma": .number(gamma), "alpha": .list(alpha), "lambda_dice": .number(lambdaDice),
            "lambda_focal": .number(lambdaFocal),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
