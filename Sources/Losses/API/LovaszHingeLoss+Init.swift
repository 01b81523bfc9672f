extension LovaszHingeLoss {
    /// Binary Lovász hinge loss (Berman et al. 2018), the authors' `lovasz_hinge`: the Lovász
    /// extension of the Jaccard loss on the hinge errors 1 − x(2g − 1) of the logits.
    ///
    /// Input: logits `[N, …]`; target: 0/1 labels of the same shape (or without a channel axis of
    /// size 1). The same loss as `Catalog.make("lovasz-hinge", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let hinge = try LovaszHingeLoss(perImage: false)
    /// ```
    /// - Parameters:
    ///   - perImage: one loss per image, then their mean (default `true`, the authors' default;
    ///     smp's `LovaszLoss` defaults to `false`).
    ///   - ignoreIndex: a label left out (default −100: none).
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N]` per image, `[1]` otherwise).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(perImage: Bool = true, ignoreIndex: Int = -100, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "per_image": .bool(perImage), "ignore_index": .integer(ignoreIndex), "reduction": .string(reduction.rawValue),
        ])
    }
}
