extension WeightedCrossEntropyLoss {
    /// Weighted cross entropy: ℓᵢ = −w_{yᵢ} log p_{i,yᵢ}, `mean` = Σᵢ ℓᵢ / Σᵢ w_{yᵢ}, with the
    /// batch's balanced weights w_c = M / (C · M_c) unless `weight` is given.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or a dense distribution shaped like the input. With `weight`
    /// it is exactly ``CrossEntropyLoss`` with that weight. The same loss as
    /// `Catalog.make("weighted-cross-entropy", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let balanced = try WeightedCrossEntropyLoss(ignoreIndex: 255)
    /// ```
    /// - Parameters:
    ///   - weight: one weight per class; empty (default) for the batch's balanced weights.
    ///   - ignoreIndex: a target label that contributes neither loss nor gradient (default −100).
    ///   - activation: `.softmax` (default: logits) or `.none` (probabilities). `.sigmoid` throws.
    ///   - reduction: `mean` (default: weighted mean over the positions not ignored), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative weight or `.sigmoid`.
    public init(weight: [Double] = [], ignoreIndex: Int = -100, activation: Activation = .softmax,
                reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "weight": .list(weight), "ignore_index": .integer(ignoreIndex),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
