import FormulaCheck

/// Gradient formulas that differentiate a loss by another loss's value (the prose's
/// `∂L_pGD/∂L_GD`, "times the generalised Dice loss's gradient"): the other loss's value and
/// gradient come from the library on the same probe (`CatalogLoss.array`), and the formula times
/// that gradient is compared with the loss's own gradient (`GradientBinding.chain`).
extension CatalogBindings {
    /// log(1 + L_HD-DT) with L_HD-DT the library's reduced `hausdorff-dt` value: this checks the
    /// logarithm; the formula's own definition of L_HD-DT (over distance maps) is `hausdorff-dt`'s
    /// to check, and is not read here (`FormulaSystem`'s `given`).
    static let chainValues: [FormulaBinding] = [
        FormulaBinding(loss: "log-hausdorff-dt", formulas: [0], where: [#"\mathcal{L}_{\text{HD-DT}}"#: "value of hausdorff-dt"],
                       settings: [[:], ["alpha": "1"], ["reduction": "sum"]]),
    ]

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
