extension TopKThresholdLoss {
    /// Threshold TopK loss: cross entropy averaged over the positions whose probability of the true
    /// class is below t, L = (1/|ℋ|) Σ_{i ∈ ℋ} ℓᵢ with ℋ = {i : p_{i,yᵢ} < t}.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` only. No position below the threshold gives 0 and a zero
    /// gradient. The same loss as `Catalog.make("topk-threshold", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let uncertain = try TopKThresholdLoss(threshold: 0.9)
    /// ```
    /// - Parameters:
    ///   - threshold: t in (0, 1] (default 0.7).
    ///   - weight: one weight per class; empty (default) for none.
    ///   - ignoreIndex: a target label that contributes neither loss nor gradient (default −100).
    ///   - activation: `.softmax` (default: logits) or `.none` (probabilities). `.sigmoid` throws.
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for t outside (0, 1], a negative
    ///   weight or `.sigmoid`.
    public init(threshold: Double = 0.7, weight: [Double] = [], ignoreIndex: Int = -100,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "threshold": .number(threshold), "weight": .list(weight), "ignore_index": .integer(ignoreIndex),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
