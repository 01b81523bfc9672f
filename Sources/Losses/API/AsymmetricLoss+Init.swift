extension AsymmetricLoss {
    /// Asymmetric similarity loss (Hashemi et al. 2018), one minus the F_β score:
    /// 𝓛 = 1 − ((1 + β²) TP + s_nr)/((1 + β²) TP + β² FN + FP + s_dr).
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. β > 1 weighs recall over
    /// precision. The same loss as `Catalog.make("asymmetric", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let asymmetric = try AsymmetricLoss(beta: 2, activation: .sigmoid)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - beta: β ≥ 0 (default 1.5).
    ///   - smoothNr: added to the numerator, ≥ 0 (default 1e-5).
    ///   - smoothDr: added to the denominator, ≥ 0 (default 1e-5).
    ///   - batch: sum over the batch before the ratio (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N, C′]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(includeBackground: Bool = true, beta: Double = 1.5, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5,
                batch: Bool = false, activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "beta": .number(beta), "smooth_nr": .number(smoothNr),
            "smooth_dr": .number(smoothDr), "batch": .bool(batch),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
