import FormulaCheck

/// Gradient formulas that differentiate a loss by another loss's value (the prose's
/// `∂L_pGD/∂L_GD`, "times the generalised Dice loss's gradient"): the other loss's value and
/// gradient come from the library on the same probe (`CatalogLoss.array`), and the formula times
/// that gradient is compared with the loss's own gradient (`GradientBinding.chain`).
extension CatalogBindings {
    /// Values defined through another loss's value (none at present: log-hausdorff-dt #0 is bound
    /// with its own definition of L_HD-DT over distance maps, in `CatalogBindings+Distance`).
    static let chainValues: [FormulaBinding] = []

    static let chainGradients: [GradientBinding] = [
        // Per sample: L_GD is each sample's generalised Dice loss; any activation (the chain holds through it).
        GradientBinding(FormulaBinding(loss: "penalty-generalized-dice", formulas: [0],
                                       where: ["p_{n,c,i}": "probability", #"\mathcal{L}_{GD}"#: "values of generalized-dice over n", "k": "k"],
                                       settings: [["activation": "none"], ["activation": "none", "k": "0.5"], [:]]),
                        elements: "n, c, i", chain: "gradient of generalized-dice"),
        // After the reduction, as MONAI: L_HD-DT is the reduced Hausdorff-DT loss.
        GradientBinding(FormulaBinding(loss: "log-hausdorff-dt", formulas: [0],
                                       where: ["p_{n,c,i}": "probability", #"\mathcal{L}_{\text{HD-DT}}"#: "value of hausdorff-dt"],
                                       settings: [[:], ["alpha": "1"]]),
                        elements: "n, c, i", chain: "gradient of hausdorff-dt"),
    ]
}
