extension BinaryCrossEntropyLoss {
    /// Binary cross entropy, `torch.nn.BCEWithLogitsLoss` (on logits) or `torch.nn.BCELoss`
    /// (on probabilities, `activation: .none`). Targets in [0, 1], shaped like the input.
    ///
    /// The same loss as `Catalog.make("binary-cross-entropy", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let bce = try BinaryCrossEntropyLoss(posWeight: [3], reduction: .mean)
    /// ```
    /// - Parameters:
    ///   - weight: a factor per element, broadcast along the channel axis (one value, or one per
    ///     channel); empty (default) for none.
    ///   - posWeight: PyTorch's `pos_weight`, the factor on the positive term, one value or one per
    ///     channel; empty (default) for none.
    ///   - activation: `.sigmoid` (default: the input holds logits) or `.none` (probabilities).
    ///     `.softmax` is not a choice of this loss and throws.
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative weight or `.softmax`.
    public init(weight: [Double] = [], posWeight: [Double] = [], activation: Activation = .sigmoid,
                reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "weight": .list(weight), "pos_weight": .list(posWeight),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
