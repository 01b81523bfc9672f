extension IoULoss {
    /// Soft IoU (Jaccard) loss: 𝓛 = 1 − (I + s_nr)/(U + s_dr) per entry, I = Σ p g, U = Σ p + Σ g − I.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. An empty class predicted
    /// empty gives 1 − s_nr/s_dr (0 by default). The same loss as `Catalog.make("iou", …)`,
    /// validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let iou = try IoULoss(includeBackground: false)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - smoothNr: added to the numerator, ≥ 0 (default 1e-5).
    ///   - smoothDr: added to the denominator, ≥ 0 (default 1e-5).
    ///   - batch: sum over the batch before the ratio (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N, C′]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(includeBackground: Bool = true, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr),
            "batch": .bool(batch), "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
