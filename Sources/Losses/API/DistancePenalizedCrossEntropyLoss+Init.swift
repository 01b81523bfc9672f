extension DistancePenalizedCrossEntropyLoss {
    /// Distance-map-penalised cross entropy (Caliva et al. 2019): cross entropy weighted by 1 + Dᵢ,
    /// L = Σᵢ (1 + Dᵢ) ℓᵢ / Σ_{i not ignored} w_{yᵢ}, with D large next to the target's boundaries.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or a dense one-hot tensor shaped like the input. D comes from
    /// ``DistanceTransform/invertedInside(_:shape:spacing:)`` of each class mask and is a constant
    /// for the gradient. The same loss as `Catalog.make("dpce", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let dpce = try DistancePenalizedCrossEntropyLoss(spacing: [0.5, 1])
    /// ```
    /// - Parameters:
    ///   - weight: one weight per class; empty (default) for none.
    ///   - ignoreIndex: a target label that contributes neither loss nor gradient (default −100).
    ///   - labelSmoothing: ε in [0, 1] (default 0).
    ///   - spacing: the grid step (> 0, checked when evaluated) per spatial axis, or one step for all;
    ///     empty (default) for 1.
    ///   - activation: `.softmax` (default: logits) or `.none` (probabilities). `.sigmoid` throws.
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range or `.sigmoid`.
    public init(weight: [Double] = [], ignoreIndex: Int = -100, labelSmoothing: Double = 0, spacing: [Double] = [],
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "weight": .list(weight), "ignore_index": .integer(ignoreIndex), "label_smoothing": .number(labelSmoothing),
            "spacing": .list(spacing), "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
