extension ExpLogLoss {
    /// Exponential logarithmic loss (Wong et al. 2018):
    /// 𝓛 = w_dice 𝔼[(−ln Dice_{n,c})^{γ_dice}] + w_cross 𝔼[w_{yᵢ} (−ln p_{i,yᵢ})^{γ_cross}].
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. Where a term is exactly 0 its
    /// gradient is 0. The defaults are the paper's. The same loss as `Catalog.make("exp-log", …)`,
    /// validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let expLog = try ExpLogLoss(wDice: 0.8, wCross: 0.2, gammaDice: 0.3, gammaCross: 0.3)
    /// ```
    /// - Parameters:
    ///   - wDice: the Dice term's weight, ≥ 0 (default 0.8).
    ///   - wCross: the cross-entropy term's weight, ≥ 0 (default 0.2).
    ///   - gammaDice: γ_dice > 0 (default 0.3).
    ///   - gammaCross: γ_cross > 0 (default 0.3).
    ///   - weight: one weight per class for the cross-entropy term; empty (default) for none.
    ///   - includeBackground: keep channel 0 in the Dice term (default `true`).
    ///   - smoothNr: Dice numerator smoothing, ≥ 0 (default 1, the paper's ε).
    ///   - smoothDr: Dice denominator smoothing, ≥ 0 (default 1).
    ///   - batch: Dice sums over the batch before the ratio (default `false`).
    ///   - activation: `.softmax` (default) or `.none` (probabilities). `.sigmoid` throws.
    ///   - reduction: `mean` (default) or `sum`; `.none` is not a choice of this loss and throws.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range, `.sigmoid`
    ///   or `.none`.
    public init(wDice: Double = 0.8, wCross: Double = 0.2, gammaDice: Double = 0.3, gammaCross: Double = 0.3,
                weight: [Double] = [], includeBackground: Bool = true, smoothNr: Double = 1, smoothDr: Double = 1,
                batch: Bool = false, activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "w_dice": .number(wDice), "w_cross": .number(wCross), "gamma_dice": .number(gammaDice),
            "gamma_cross": .number(gammaCross), "weight": .list(weight), "include_background": .bool(includeBackground),
            "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr), "batch": .bool(batch),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
