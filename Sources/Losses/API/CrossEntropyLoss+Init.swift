extension CrossEntropyLoss {
    /// Softmax cross entropy, `torch.nn.CrossEntropyLoss`: input `[N, C, spatial…]`, target class
    /// indices `[N, spatial…]` or class probabilities shaped like the input.
    ///
    /// The same loss as `Catalog.make("cross-entropy", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let ce = try CrossEntropyLoss(weight: [1, 2, 1], ignoreIndex: 255, labelSmoothing: 0.1)
    /// ```
    /// - Parameters:
    ///   - weight: one weight per class; empty (default) for none.
    ///   - ignoreIndex: a target label that contributes neither loss nor gradient (default −100).
    ///   - labelSmoothing: ε in [0, 1] (default 0).
    ///   - activation: `.softmax` (default: logits) or `.none` (probabilities). `.sigmoid` throws.
    ///   - reduction: `mean` (default: weighted mean over the positions not ignored), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(weight: [Double] = [], ignoreIndex: Int = -100, labelSmoothing: Double = 0,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "weight": .list(weight), "ignore_index": .integer(ignoreIndex), "label_smoothing": .number(labelSmoothing),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
