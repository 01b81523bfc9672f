extension TopKLoss {
    /// TopK loss (SegLoss, nnU-Net): the mean of the largest k % of per-position cross entropies,
    /// L = (1/K) Σ_{i ∈ 𝒯_K} ℓᵢ with K = max(1, ⌊M k / 100⌋).
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or a dense distribution shaped like the input. Only the K
    /// selected positions receive gradient. The same loss as `Catalog.make("topk", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let hardest = try TopKLoss(k: 20, ignoreIndex: 255)
    /// ```
    /// - Parameters:
    ///   - k: the percentage of positions kept, in (0, 100] (default 10).
    ///   - weight: one weight per class; empty (default) for none.
    ///   - ignoreIndex: a target label left out of the ranking and of M (default −100).
    ///   - activation: `.softmax` (default: logits) or `.none` (probabilities). `.sigmoid` throws.
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for k outside (0, 100], a negative
    ///   weight or `.sigmoid`.
    public init(k: Double = 10, weight: [Double] = [], ignoreIndex: Int = -100, activation: Activation = .softmax,
                reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "k": .number(k), "weight": .list(weight), "ignore_index": .integer(ignoreIndex),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
