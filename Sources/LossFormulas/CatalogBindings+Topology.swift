import FormulaCheck
import Losses

/// The clDice losses' formulas bound to the library; joined into `CatalogBindings.all`. The
/// formulas call `\operatorname{skel}`, evaluated by the library's soft skeleton of each image
/// (`CatalogLoss.fieldFunctions(on:)`): what is checked is the formula built on it (T_prec, T_sens,
/// their smoothing, the harmonic mean, the sums over the classes' images), not the skeleton,
/// which `ClDiceLossTests` compare with the Float64 reference and the peer checks with MONAI.
/// The skeleton's own formula (cldice #2, the recursion over k of erosions E, openings Δ∘E and
/// residues) is bound too, read with #0 and #1: it gives one of the two skeletons in place of the
/// library's, with E and Δ written from their description (`CatalogLoss+Morphology`) and the
/// recursion evaluated as written (`Evaluator+LetterTerms`).
extension CatalogBindings {
    /// Every class kept (`include_background`, the default), with probabilities, fewer
    /// erosions, other smoothing.
    static let topologySettings: [[String: String]] = [
        [:],
        ["activation": "none", "iter_": "1", "smooth_nr": "0.5", "smooth_dr": "0.25"],
        ["iter_": "0", "smooth": "0.1"],
    ]

    /// The sample n in scope (𝓛_n, T_{prec,n}); S_{p,c}(i) the skeleton of p_{n,c,·} at i.
    static let topologySymbols: [(symbol: String, source: String)] = [
        ("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"),
        ("S_{p,c}(i)", #"= \operatorname{skel}(p_c)"#), ("S_{g,c}(i)", #"= \operatorname{skel}(g_c)"#),
        ("s_{nr}", "smooth_nr"), ("s_{dr}", "smooth_dr"), (#"\text{smooth}"#, "smooth"),
    ]

    /// The symbols of cldice #0–#2 read together: formula 2 defines S, the skeleton of x, which
    /// stands for the skeleton of `image` (p, the probabilities, or g, the target); the other
    /// skeleton is the library's. K is `iter_`.
    static func skeletonSymbols(of image: String) -> [(symbol: String, source: String)] {
        let other = image == "p" ? "g" : "p"
        return [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"),
                ("x_{n,c,i}", image == "p" ? "probability" : "target one-hot"),
                ("S_{\(image),c}(i)", "= S"), ("S_{\(other),c}(i)", #"= \operatorname{skel}("# + other + "_c)"),
                ("E", "soft erosion"), (#"\Delta"#, "soft dilation"), ("K", "iter_"),
                ("s_{nr}", "smooth_nr"), ("s_{dr}", "smooth_dr"), (#"\text{smooth}"#, "smooth")]
    }

    static let topology: [FormulaBinding] = [
        FormulaBinding(loss: "cldice", formulas: [0, 1], evaluate: nil, symbols: topologySymbols,
                       reduction: .mean(["n"]), settings: topologySettings),
        FormulaBinding(loss: "cldice", formulas: [0, 1, 2], evaluate: nil, symbols: skeletonSymbols(of: "p"),
                       reduction: .mean(["n"]), settings: topologySettings),
        FormulaBinding(loss: "cldice", formulas: [0, 1, 2], evaluate: nil, symbols: skeletonSymbols(of: "g"),
                       reduction: .mean(["n"]), settings: topologySettings),
        FormulaBinding(loss: "dice-cldice", formulas: [0, 1], evaluate: nil,
                       symbols: topologySymbols + [("N", "size n"), ("C", "size c"), (#"\alpha"#, "alpha")],
                       reduction: .none, settings: topologySettings + [["alpha": "0.2", "smooth_nr": "0.5", "smooth_dr": "1"]]),
    ]
    /// cldice's prose, ∂𝓛/∂T_prec (span 1) and ∂𝓛/∂T_sens (span 2) with D (span 3): formula 0's
    /// 𝓛_n (checked, with formula 1) moved by one sample's T_prec or T_sens at a time; the
    /// function is the mean over n, hence the difference times N.
    static func clDicePartial(span: Int, variable: String) -> PartialBinding {
        PartialBinding(FormulaBinding(loss: "cldice", formulas: [span, 3], evaluate: nil, symbols: topologySymbols,
                                      reduction: .mean(["n"]), settings: topologySettings),
                       definitions: [0, 1], variable: variable, elements: "n", averagedOver: "n")
    }

    static let topologyPartials: [PartialBinding] = [
        clDicePartial(span: 1, variable: "T_{prec}"),
        clDicePartial(span: 2, variable: "T_{sens}"),
    ]
}
