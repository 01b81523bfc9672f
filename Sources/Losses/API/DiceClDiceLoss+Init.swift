extension DiceClDiceLoss {
    /// Dice plus soft clDice, MONAI `SoftDiceclDiceLoss`: (1 − α) 𝓛_Dice + α 𝓛_clDice.
    ///
    /// Input: class scores `[N, C, H, W]` or `[N, C, D, H, W]` (logits, or probabilities with
    /// `.none`); target: class indices `[N, spatial…]` or dense, shaped like the input. The same loss
    /// as `Catalog.make("dice-cldice", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let loss = try DiceClDiceLoss(alpha: 0.3, activation: .sigmoid)
    /// ```
    /// - Parameters:
    ///   - iter: the soft skeleton's erosion steps, ≥ 0 (MONAI's `iter_`, default 3).
    ///   - alpha: the weight α ∈ [0, 1] of clDice (default 0.5).
    ///   - smoothNr: added to the numerators of Dice, T_prec and T_sens (default 1, MONAI's).
    ///   - smoothDr: added to their denominators (default 1, MONAI's).
    ///   - smooth: added to clDice's harmonic-mean denominator, > 0 (default 1e-4).
    ///   - includeBackground: keep channel 0 (default `true`, as MONAI).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default) or `sum`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(iter: Int = 3, alpha: Double = 0.5, smoothNr: Double = 1, smoothDr: Double = 1, smooth: Double = 1e-4,
                includeBackground: Bool = true, activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "iter_": .integer(iter), "alpha": .number(alpha), "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr),
            "smooth": .number(smooth), "include_background": .bool(includeBackground),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
