import FormulaCheck

/// Catalog formulas that relate a loss to another loss of the library: the other loss is
/// evaluated by `Losses` on the same probe (`CatalogLoss.array`, `values of <id>`) and the
/// relation's side built on it is compared with this loss's value.
extension CatalogBindings {
    /// iou #1 holds on hard masks without smoothing (`probes: hard`, s_nr = s_dr = 0): Dice per
    /// (sample, class) is 1 − the dice loss's unreduced value, and the IoU loss is the mean of
    /// 1 − IoU over the same (sample, class) pairs.
    static let relations: [FormulaBinding] = [
        FormulaBinding(loss: "iou", formulas: [1], evaluate: #"\mathcal{L}"#,
                       symbols: [("d_j", "values of dice"), (#"\mathrm{Dice}"#, "= 1 - d"), (#"\mathcal{L}"#, #"= 1 - \mathrm{IoU}"#)],
                       reduction: .mean(["j"]),
                       settings: [hardUnsmoothed, hardUnsmoothed.merging(["include_background": "false"]) { $1 }]),
    ]

    private static let hardUnsmoothed: [String: String] = ["activation": "none", "smooth_nr": "0", "smooth_dr": "0", "probes": "hard"]
}
