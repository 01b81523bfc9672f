extension ComboLoss {
    /// Combo loss (Taghanaki et al. 2019): 𝓛 = α 𝓛_{β-CE} + (1 − α)(1 − Dice), a β-weighted binary
    /// cross entropy over the kept channels plus a Dice term, shifted so that perfection gives 0.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. The same loss as
    /// `Catalog.make("combo", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let combo = try ComboLoss(alpha: 0.5, beta: 0.7, activation: .sigmoid)
    /// ```
    /// - Parameters:
    ///   - alpha: the cross-entropy term's share α in [0, 1] (default 0.5).
    ///   - beta: the positive class's weight β in [0, 1] in the cross entropy (default 0.5).
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - smoothNr: Dice numerator smoothing, ≥ 0 (default 1e-5).
    ///   - smoothDr: Dice denominator smoothing, ≥ 0 (default 1e-5).
    ///   - batch: Dice sums over the batch before the ratio (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default) or `sum`; `.none` is not a choice of this loss and throws.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range or `.none`.
    public init(alpha: Double = 0.5, beta: Double = 0.5, includeBackground: Bool = true, smoothNr: Double = 1e-5,
                smoothDr: Double = 1e-5, batch: Bool = false, activation: Activation = .softmax,
                reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "alpha": .number(alpha), "beta": .number(beta), "include_background": .bool(includeBackground),
            "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr), "batch": .bool(batch),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
