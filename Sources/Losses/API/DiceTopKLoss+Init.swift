extension DiceTopKLoss {
    /// Dice + TopK cross entropy, nnU-Net's `DC_and_topk_loss`: 𝓛 = λ_dice 𝓛_Dice + λ_topk 𝓛_TopK.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense, shaped like the input. 𝓛_Dice is ``DiceLoss``
    /// (background excluded by default, as nnU-Net), 𝓛_TopK is ``TopKLoss``. The same loss as
    /// `Catalog.make("dice-topk", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let diceTopK = try DiceTopKLoss(k: 10, lambdaTopK: 1)
    /// ```
    /// - Parameters:
    ///   - includeBackground: keep channel 0 in the Dice term (default `false`).
    ///   - smoothNr: Dice numerator smoothing, ≥ 0 (default 1e-5).
    ///   - smoothDr: Dice denominator smoothing, ≥ 0 (default 1e-5).
    ///   - squaredPred: Σp² and Σg² in the Dice denominator (default `false`).
    ///   - jaccard: the Jaccard form of the Dice term (default `false`).
    ///   - batch: Dice sums over the batch before the ratio (default `false`).
    ///   - weight: one weight per class; empty (default) for none.
    ///   - k: the percentage of positions the TopK term keeps, in (0, 100] (default 10).
    ///   - lambdaDice: the Dice term's coefficient, ≥ 0 (default 1).
    ///   - lambdaTopK: the TopK term's coefficient, ≥ 0 (default 1).
    ///   - activation: `.softmax` (default) or `.none` (probabilities). `.sigmoid` throws.
    ///   - reduction: `mean` (default) or `sum`; `.none` is not a choice of this loss and throws.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range, `.sigmoid`
    ///   or `.none`.
    public init(includeBackground: Bool = false, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5,
                squaredPred: Bool = false, jaccard: Bool = false, batch: Bool = false, weight: [Double] = [],
                k: Double = 10, lambdaDice: Double = 1, lambdaTopK: Double = 1,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "include_background": .bool(includeBackground), "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr),
            "squared_pred": .bool(squaredPred), "jaccard": .bool(jaccard), "batch": .bool(batch), "weight": .list(weight),
            "k": .number(k), "lambda_dice": .number(lambdaDice), "lambda_topk": .number(lambdaTopK),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
