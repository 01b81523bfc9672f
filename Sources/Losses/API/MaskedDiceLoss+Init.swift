extension MaskedDiceLoss {
    /// Dice loss restricted to a region, with MONAI `MaskedDiceLoss` semantics: the probabilities
    /// and the target are multiplied by a 0/1 mask before `dice`'s sums.
    ///
    /// Input `[N, C, spatial…]`; target with the mask as its last channel: `[N, C + 1, spatial…]`
    /// (dense target, then mask) or `[N, 2, spatial…]` (class indices, then mask). The same loss as
    /// `Catalog.make("masked-dice", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let masked = try MaskedDiceLoss(includeBackground: false)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - smoothNr: added to the numerator, ≥ 0 (default 1e-5).
    ///   - smoothDr: added to the denominator, ≥ 0 (default 1e-5).
    ///   - squaredPred: Σp² and Σg² in the denominator (default `false`).
    ///   - jaccard: the Jaccard form (default `false`).
    ///   - batch: sum over the batch before the ratio (default `false`).
    ///   - weight: one weight per kept class (or one for all); empty (default) for none.
    ///   - softLabel: accept soft (non-binary) dense targets (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N, C′]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(includeBackground: Bool = true, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5,
                squaredPred: Bool = false, jaccard: Bool = false, batch: Bool = false, weight: [Double] = [],
                softLabel: Bool = false, activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr),
            "squared_pred": .bool(squaredPred), "jaccard": .bool(jaccard), "batch": .bool(batch), "weight": .list(weight),
            "soft_label": .bool(softLabel), "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
