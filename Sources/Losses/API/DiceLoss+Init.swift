extension DiceLoss {
    /// Soft Dice loss with MONAI `DiceLoss` semantics: 1 − (2I + s_nr)/(P + G + s_dr) per sample
    /// and class, weighted and reduced. Input `[N, C, spatial…]`; target class indices or dense.
    ///
    /// The same loss as `Catalog.make("dice", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let dice = try DiceLoss(includeBackground: false, activation: .softmax)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 (default `true`).
    ///   - smoothNr: added to the numerator, ≥ 0 (default 1e-5).
    ///   - smoothDr: added to the denominator, ≥ 0 (default 1e-5; 0 makes an empty class NaN, as MONAI).
    ///   - squaredPred: Σp² and Σg² in the denominator (default `false`).
    ///   - jaccard: the Jaccard form 1 − (2I + s_nr)/(2(P + G − I) + s_dr) (default `false`).
    ///   - batch: sum over the batch before the ratio (default `false`).
    ///   - weight: one weight per kept class (or one for all); empty (default) for none.
    ///   - ignoreIndex: a target label whose positions are left out of every sum (default −100).
    ///   - softLabel: accept soft (non-binary) dense targets (default `false`).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N, C′]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(includeBackground: Bool = true, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5,
                squaredPred: Bool = false, jaccard: Bool = false, batch: Bool = false, weight: [Double] = [],
                ignoreIndex: Int = -100, softLabel: Bool = false, activation: Activation = .softmax,
                reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr),
            "squared_pred": .bool(squaredPred), "jaccard": .bool(jaccard), "batch": .bool(batch), "weight": .list(weight),
            "ignore_index": .integer(ignoreIndex), "soft_label": .bool(softLabel),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
