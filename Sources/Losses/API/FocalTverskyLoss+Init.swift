extension FocalTverskyLoss {
    /// Focal Tversky loss (Abraham & Khan 2019): 𝓛 = (1 − TI)^{1/γ},
    /// TI = (TP + s_nr)/(TP + α FP + β FN + s_dr).
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. At TI = 1 the gradient is set
    /// to 0 (the minimum). The same loss as `Catalog.make("focal-tversky", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let ftl = try FocalTverskyLoss(alpha: 0.3, beta: 0.7, gamma: 4.0 / 3.0)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - alpha: weight of false positives, ≥ 0 (default 0.3).
    ///   - beta: weight of false negatives, ≥ 0 (default 0.7); α + β must be > 0.
    ///   - gamma: γ > 0; the loss is raised to 1/γ (default 4/3).
    ///   - smoothNr: added to the numerator, ≥ 0 (default 1e-5).
    ///   - smoothDr: added to the denominator, ≥ 0 (default 1e-5).
    ///   - batch: sum over the batch before the ratio (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N, C′]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range or α + β = 0.
    public init(includeBackground: Bool = true, alpha: Double = 0.3, beta: Double = 0.7, gamma: Double = 4.0 / 3.0,
                smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "alpha": .number(alpha), "beta": .number(beta),
            "gamma": .number(gamma), "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr), "batch": .bool(batch),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
