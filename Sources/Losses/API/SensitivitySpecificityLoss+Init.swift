extension SensitivitySpecificityLoss {
    /// Sensitivity–specificity loss (Brosch et al. 2015): per entry, r times the squared error on the
    /// foreground plus (1 − r) times the squared error on the background,
    /// 𝓛 = r Σ(g − p)² g / (Σg + s_dr) + (1 − r) Σ(g − p)² (1 − g) / (Σ(1 − g) + s_dr).
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. An empty foreground makes its
    /// term 0 (NaN with `smoothDr: 0`). The same loss as `Catalog.make("sensitivity-specificity", …)`,
    /// validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let ss = try SensitivitySpecificityLoss(r: 0.1, activation: .sigmoid)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - r: the weight of the foreground (sensitivity) term, in [0, 1] (default 0.05).
    ///   - smoothDr: added to both denominators, ≥ 0 (default 1e-5).
    ///   - batch: sum over the batch before the ratios (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N, C′]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(includeBackground: Bool = true, r: Double = 0.05, smoothDr: Double = 1e-5, batch: Bool = false,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "r": .number(r), "smooth_dr": .number(smoothDr),
            "batch": .bool(batch), "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
