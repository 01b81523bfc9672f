extension TverskyLoss {
    /// Tversky loss with MONAI `TverskyLoss` semantics: 1 − (TP + s_nr)/(TP + αFP + βFN + s_dr).
    ///
    /// The same loss as `Catalog.make("tversky", …)`, validated by ``Loss/init(validating:)``.
    /// α = β = ½ gives the Dice loss, α = β = 1 the Jaccard (IoU) loss.
    ///
    /// ```swift
    /// let tversky = try TverskyLoss(alpha: 0.3, beta: 0.7)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - alpha: weight of false positives, ≥ 0 (default 0.5).
    ///   - beta: weight of false negatives, ≥ 0 (default 0.5); α + β must be > 0.
    ///   - smoothNr: added to the numerator, ≥ 0 (default 1e-5).
    ///   - smoothDr: added to the denominator, ≥ 0 (default 1e-5).
    ///   - batch: sum over the batch before the ratio (default `false`).
    ///   - ignoreIndex: a target label whose positions are left out of every sum (default −100).
    ///   - softLabel: accept soft (non-binary) dense targets (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range or α + β = 0.
    public init(includeBackground: Bool = true, alpha: Double = 0.5, beta: Double = 0.5,
                smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false, ignoreIndex: Int = -100,
                softLabel: Bool = false, activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "alpha": .number(alpha), "beta": .number(beta),
            "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr), "batch": .bool(batch),
            "ignore_index": .integer(ignoreIndex), "soft_label": .bool(softLabel),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
