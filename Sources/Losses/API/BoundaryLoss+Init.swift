extension BoundaryLoss {
    /// Boundary loss (Kervadec et al. 2019), MONAI `BoundaryLoss` semantics:
    /// 𝓛_{n,c} = (1/S) Σᵢ φᵢ pᵢ, φ the signed distance map of the target mask.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. φ is positive outside the
    /// object and ≤ 0 inside, so the value can be negative; it is a constant for the gradient. The
    /// same loss as `Catalog.make("boundary", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let boundary = try BoundaryLoss(includeBackground: false, spacing: [0.8, 0.8])
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - batch: average over the batch per class (default `false`).
    ///   - spacing: the grid step (> 0, checked when evaluated) per spatial axis, or one step for all;
    ///     empty (default) for 1.
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N, C′]`, `[C′]` with `batch`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative spacing.
    public init(includeBackground: Bool = true, batch: Bool = false, spacing: [Double] = [],
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "batch": .bool(batch), "spacing": .list(spacing),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
