import FormulaCheck
import Losses

/// The distance-map losses' formulas (boundary, Hausdorff DT and its logarithm) bound to the
/// library; joined into `CatalogBindings.all` and `CatalogBindings.gradients`. The formulas call
/// `\operatorname{edt}`, evaluated by the library's distance transform over the probe's grid
/// (`CatalogLoss.fieldFunctions(on:)`): what is checked is the formula built on it (the maps'
/// signs, offsets and empty-mask cases, the weights, the reductions), not the transform, which
/// `DistanceTransformTests` compare with SciPy and with brute force.
extension CatalogBindings {
    /// The formula `index` of `loss` as a `where:` entry defining its left side (`d_m = …`), for a
    /// binding that reads another formula built on it.
    static func defining(_ loss: String, _ index: Int) -> (symbol: String, source: String) {
        let tex = (try? Catalog.descriptor(for: loss).formulas[index]) ?? ""
        guard let equals = tex.firstIndex(of: "=") else { return (tex, "") }
        return (String(tex[..<equals]).trimmingCharacters(in: .whitespaces), String(tex[equals...]))
    }

    /// Probes with every class (the defaults leave the background out, which the per-class
    /// formulas do not state), with and without activation, α ≠ 2 and a spacing.
    static let distanceSettings: [[String: String]] = [
        ["include_background": "true"],
        ["include_background": "true", "activation": "none", "alpha": "1"],
        ["include_background": "true", "alpha": "0.5", "spacing": "[2]"],
    ]

    static let distance: [FormulaBinding] = [
        FormulaBinding(loss: "boundary", formulas: [0, 1],
                       where: [#"\phi_{n,c}(i)"#: #"= \phi"#, #"p_{n,c}(i)"#: "probability", "g_{n,c,i}": "target one-hot",
                               #"\Omega"#: "size i"],
                       reduction: "mean over n,c", settings: [[:], ["activation": "none", "spacing": "[2]"]]),
        FormulaBinding(loss: "hausdorff-dt", formulas: [0, 1],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "d_p(i)": "= d_p", "d_g(i)": "= d_g",
                               #"\alpha"#: "alpha", #"\Omega"#: "size i"],
                       reduction: "mean over n,c", settings: distanceSettings),
        FormulaBinding(loss: "log-hausdorff-dt", formulas: [0], evaluate: #"\mathcal{L}"#,
                       symbols: [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"), ("d_p(i)", "= d_p"), ("d_g(i)", "= d_g"),
                                 (#"\alpha"#, "alpha"), (#"\Omega"#, "size i"), defining("hausdorff-dt", 1)],
                       reduction: .none, settings: distanceSettings),
        // Per sample (n in scope, i over its grid): the transforms are each sample's own. The mean
        // over n equals the loss's mean over all positions only with equal weights per sample,
        // hence the default (empty) weights; q_{i,c} as cross-entropy's formula 1 defines it.
        FormulaBinding(loss: "dpce", formulas: [0, 1], evaluate: "L",
                       symbols: [("p_{i,c}", "probability over n,c,i"), ("y_i", "target index over n,i"),
                                 ("m_c", "target one-hot over n,c,i"), ("w_c", "weight"), (#"\varepsilon"#, "label_smoothing"),
                                 ("C", "size c"), (#"\text{ignore}"#, "ignore_index"), (#"\Omega"#, "size i"),
                                 defining("cross-entropy", 1)],
                       reduction: .mean(["n"]),
                       settings: [[:], ["label_smoothing": "0.2", "spacing": "[2]"], ["activation": "none"]]),
        // The erosions a recursion over k (`FormulaSystem+Sequences`), each a convolution with the
        // cross B written from its description (`CatalogLoss.imageArray`), zero-padded.
        FormulaBinding(loss: "hausdorff-er", formulas: [0, 1],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "B_t": "structuring element",
                               "*": "zero-padded convolution over i", #"\alpha"#: "alpha", "K": "erosions", #"\Omega"#: "size i"],
                       reduction: "mean over n,c",
                       settings: [["include_background": "true"], ["include_background": "true", "erosions": "3", "alpha": "1"],
                                  ["include_background": "true", "erosions": "1", "activation": "none"]]),
    ]

    /// The symbols of the log-Hausdorff gradient: the HD-DT gradient (of the mean over n, c, with
    /// the maps constant) defined as `hausdorff-dt`'s bound gradient prose gives it, so the chain
    /// rule is what is checked; `derivative` is its key as the formula writes it.
    static func logHausdorffGradientSymbols(_ derivative: String) -> [(symbol: String, source: String)] {
        [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"), ("d_p(i)", "= d_p"), ("d_g(i)", "= d_g"),
         (#"\alpha"#, "alpha"), (#"\Omega"#, "size i"), ("N", "size n"), ("C", "size c"),
         (derivative, #"= \frac{1}{NC}\,\frac{2}{|\Omega|}\left(p_i - g_i\right)\left(d_p(i)^{\alpha} + d_g(i)^{\alpha}\right)"#),
         defining("log-hausdorff-dt", 0), defining("hausdorff-dt", 1)]
    }

    static let activationNone = distanceSettings.map { $0.merging(["activation": "none"]) { $1 } }

    /// log-hausdorff-dt #1, the chain rule, read with #0 (which defines L_HD-DT).
    static let distanceFormulaGradients: [GradientBinding] = [
        GradientBinding(FormulaBinding(loss: "log-hausdorff-dt", formulas: [0, 1], evaluate: nil,
                                       symbols: logHausdorffGradientSymbols(#"\frac{\partial \mathcal{L}_{\text{HD-DT}}}{\partial x}"#),
                                       reduction: .none, settings: activationNone),
                        elements: "n, c, i"),
    ]

    /// The reference prose's gradients (log-hausdorff-dt's prose states the chain factor
    /// ∂L/∂L_HD-DT, bound in `CatalogBindings+Chains`).
    static let distanceGradients: [GradientBinding] = [
        GradientBinding(FormulaBinding(loss: "boundary", formulas: [0], evaluate: nil,
                                       symbols: [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"), (#"\phi_i"#, #"= \phi"#),
                                                 (#"\Omega"#, "size i"), defining("boundary", 1)],
                                       reduction: .mean(["n", "c"]), settings: [["activation": "none"], ["activation": "none", "spacing": "[2]"]]),
                        elements: "n, c, i"),
        GradientBinding(FormulaBinding(loss: "hausdorff-dt", formulas: [0], evaluate: nil,
                                       symbols: [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"), ("d_{p,i}", "= d_p"),
                                                 ("d_{g,i}", "= d_g"), (#"\alpha"#, "alpha"), (#"\Omega"#, "size i"),
                                                 defining("hausdorff-dt", 1)],
                                       reduction: .mean(["n", "c"]),
                                       settings: activationNone),
                        elements: "n, c, i"),
    ]
}

extension CatalogBindings {
    /// hausdorff-er's prose ∂f⁽⁰⁾/∂p = 2(p − g) (span 2): f⁽⁰⁾ the descriptor's f ⊖₀ B (formula 0,
    /// checked with formula 1), differentiated element by element: the map f⁽⁰⁾ (F at each
    /// element, `local`) moved by p at that element.
    static let distancePartials: [PartialBinding] = [
        PartialBinding(FormulaBinding(loss: "hausdorff-er", formulas: [2], evaluate: nil,
                                      symbols: [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"),
                                                ("B_t", "structuring element"), ("*", "zero-padded convolution over i"),
                                                (#"f^{(0)}"#, #"= f \ominus_0 B"#), ("F", #"= f^{(0)}"#)],
                                      reduction: .none, settings: [["include_background": "true"]]),
                       definitions: [0, 1], function: "F", variable: "p_{n,c,i}", elements: "n, c, i", isLoss: false, local: true),
    ]
}
