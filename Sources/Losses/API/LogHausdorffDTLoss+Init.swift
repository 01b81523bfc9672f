extension LogHausdorffDTLoss {
    /// The logarithm of the Hausdorff-distance loss, with MONAI `LogHausdorffDTLoss` semantics:
    /// log(1 + `hausdorff-dt`), after the reduction (per entry with `none`).
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. The same loss as
    /// `Catalog.make("log-hausdorff-dt", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let logHausdorff = try LogHausdorffDTLoss(alpha: 2, activation: .sigmoid)
    /// ```
    /// - Parameters:
    ///   - alpha: the exponent α ≥ 0 of the distances (default 2).
    ///   - includeBackground: keep channel 0 (default `false`, as MONAI).
    ///   - batch: average over the batch per class (default `false`).
    ///   - spacing: the grid step (> 0, checked when evaluated) per spatial axis, or one step for all;
    ///     empty (default) for 1.
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N, C′]`, `[C′]` with `batch`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(alpha: Double = 2, includeBackground: Bool = false, batch: Bool = false, spacing: [Double] = [],
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "alpha": .number(alpha), "include_background": .bool(includeBackground), "batch": .bool(batch),
            "spacing": .list(spacing), "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
