extension DiceCELoss {
    /// λ_dice · Dice + λ_ce · cross entropy, with MONAI `DiceCELoss` semantics (one channel:
    /// binary cross entropy on sigmoid logits).
    ///
    /// The same loss as `Catalog.make("dice-ce", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let diceCE = try DiceCELoss(includeBackground: false, lambdaDice: 1, lambdaCE: 1)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 in the Dice term (default `true`).
    ///   - smoothNr: Dice numerator smoothing, ≥ 0 (default 1e-5).
    ///   - smoothDr: Dice denominator smoothing, ≥ 0 (default 1e-5).
    ///   - squaredPred: Σp² and Σg² in the Dice denominator (default `false`).
    ///   - jaccard: the Jaccard form of the Dice term (default `false`).
    ///   - batch: Dice sums over the batch before the ratio (default `false`).
    ///   - weight: one weight per class for both terms; empty (default) for none.
    ///   - labelSmoothing: ε in [0, 1] for the cross-entropy term (default 0).
    ///   - lambdaDice: the Dice term's coefficient, ≥ 0 (default 1).
    ///   - lambdaCE: the cross-entropy term's coefficient, ≥ 0 (default 1).
    ///   - activation: `.softmax` (default), `.sigmoid` (required with one channel), or `.none`.
    ///   - reduction: `mean` (default) or `sum`; `.none` is not a choice of this loss and throws.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(includeBackground: Bool = true, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5,
                squaredPred: Bool = false, jaccard: Bool = false, batch: Bool = false, weight: [Double] = [],
                labelSmoothing: Double = 0, lambdaDice: Double = 1, lambdaCE: Double = 1,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr),
            "squared_pred": .bool(squaredPred), "jaccard": .bool(jaccard), "batch": .bool(batch), "weight": .list(weight),
            "label_smoothing": .number(labelSmoothing), "lambda_dice": .number(lambdaDice), "lambda_ce": .number(lambdaCE),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
