extension HausdorffERLoss {
    /// Hausdorff-distance loss through morphological erosion (Karimi & Salcudean 2019): the squared
    /// error eroded `erosions` times by a cross, each erosion's total weighted by k^α.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. The same loss as
    /// `Catalog.make("hausdorff-er", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let erosion = try HausdorffERLoss(alpha: 2, erosions: 10)
    /// ```
    /// - Parameters:
    ///   - alpha: the exponent α ≥ 0 of the erosion count (default 2).
    ///   - erosions: the number of erosions K, 1…100 (default 10).
    ///   - includeBackground: keep channel 0 (default `false`, as `hausdorff-dt`).
    ///   - batch: average over the batch per class (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N, C′]`, `[C′]` with `batch`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(alpha: Double = 2, erosions: Int = 10, includeBackground: Bool = false, batch: Bool = false,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "alpha": .number(alpha), "erosions": .integer(erosions), "include_background": .bool(includeBackground),
            "batch": .bool(batch), "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
