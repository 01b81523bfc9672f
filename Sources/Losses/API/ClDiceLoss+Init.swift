extension ClDiceLoss {
    /// Soft clDice loss (Shit et al. 2021), MONAI `SoftclDiceLoss`: per sample
    /// 1 − 2 T_prec T_sens / (T_prec + T_sens + smooth), from the soft skeletons of the prediction
    /// and the target.
    ///
    /// Input: class scores `[N, C, H, W]` or `[N, C, D, H, W]` (logits, or probabilities with
    /// `.none`); target: class indices `[N, spatial…]` or dense, shaped like the input. The same loss
    /// as `Catalog.make("cldice", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let cldice = try ClDiceLoss(iter: 5, includeBackground: false)
    /// ```
    /// - Parameters:
    ///   - iter: the soft skeleton's erosion steps, ≥ 0 (MONAI's `iter_`, default 3).
    ///   - smoothNr: added to the numerators of T_prec and T_sens (default 1, MONAI's).
    ///   - smoothDr: added to their denominators (default 1, MONAI's).
    ///   - smooth: added to the harmonic mean's denominator, > 0 (default 1e-4, MONAI's).
    ///   - includeBackground: keep channel 0 (default `true`, as MONAI).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(iter: Int = 3, smoothNr: Double = 1, smoothDr: Double = 1, smooth: Double = 1e-4,
                includeBackground: Bool = true, activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "iter_": .integer(iter), "smooth_nr": .number(smoothNr), "smooth_dr": .number(smoothDr),
            "smooth": .number(smooth), "include_background": .bool(includeBackground),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
