import FormulaCheck

/// The segmentation families' formulas (region, compound, boundary, topology losses) bound to
/// the library; joined into `CatalogBindings.all` and `CatalogBindings.gradients`.
extension CatalogBindings {
    static let segmentation: [FormulaBinding] = [
        FormulaBinding(loss: "focal-tversky", formulas: [0, 1],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", #"\alpha"#: "alpha", #"\beta"#: "beta",
                               #"\gamma"#: "gamma", "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr"],
                       reduction: "mean over n,c",
                       settings: [[:], ["activation": "none", "alpha": "0.5", "beta": "0.5", "gamma": "2", "smooth_nr": "0.5", "smooth_dr": "1"]]),
        // The weight exponent e follows `w_type` (the formula's legend): one binding per type.
        // dice #1: the jaccard form, with I, P, G as the descriptor's legend gives them; with
        // squared_pred, the sums of squares the formula's rewriting rule names.
        diceJaccard(squared: false),
        diceJaccard(squared: true),
        FormulaBinding(loss: "generalized-dice", formulas: [0, 1],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "s_{nr}": "smooth_nr",
                               "s_{dr}": "smooth_dr", "C": "size c", "e": "2"],
                       reduction: "mean over n", settings: [[:], ["activation": "none", "smooth_nr": "0.5", "smooth_dr": "1"]]),
        FormulaBinding(loss: "generalized-dice", formulas: [0, 1],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "s_{nr}": "smooth_nr",
                               "s_{dr}": "smooth_dr", "C": "size c", "e": "1"],
                       reduction: "mean over n", settings: [["w_type": "simple"], ["w_type": "simple", "activation": "none"]]),
        FormulaBinding(loss: "generalized-dice", formulas: [0, 1],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "s_{nr}": "smooth_nr",
                               "s_{dr}": "smooth_dr", "C": "size c", "e": "0"],
                       reduction: "mean over n", settings: [["w_type": "uniform"], ["w_type": "uniform", "activation": "none"]]),
        FormulaBinding(loss: "penalty-generalized-dice", formulas: [0, 1],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "s_{nr}": "smooth_nr",
                               "s_{dr}": "smooth_dr", "k": "k", "C": "size c", "e": "2"],
                       reduction: "mean over n", settings: [[:], ["activation": "none", "k": "1", "smooth_nr": "0.5", "smooth_dr": "1"]]),
        FormulaBinding(loss: "dice-ce",
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "y_{n,i}": "target index", "w_c": "weight",
                               "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr", #"\lambda_{\text{dice}}"#: "lambda_dice",
                               #"\lambda_{\text{ce}}"#: "lambda_ce", "N": "size n", "C": "size c"],
                       settings: [[:], ["lambda_dice": "0.5", "lambda_ce": "2", "weight": "[0.2, 1, 2]", "smooth_nr": "0.5", "smooth_dr": "1"]]),
        FormulaBinding(loss: "combo",
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", #"\alpha"#: "alpha", #"\beta"#: "beta",
                               "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr", "N": "size n", "C": "size c", #"\Omega"#: "size i"],
                       settings: [[:], ["alpha": "0.3", "beta": "0.8", "smooth_nr": "0.5", "smooth_dr": "1"],
                                  ["activation": "sigmoid", "beta": "0.7"]]),
        FormulaBinding(loss: "masked-dice", formulas: [0],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "m_{n,i}": "mask", "s_{nr}": "smooth_nr",
                               "s_{dr}": "smooth_dr", "w_c": "weight", "N": "size n", "C": "size c"],
                       settings: [[:], ["activation": "none"], ["weight": "[0.2, 1, 2]", "smooth_nr": "0.5", "smooth_dr": "1"]]),
        // Without `alpha` the focal term has no α (α_t = 1, the legend of formula 3); with it, formula 3 defines α_t.
        FormulaBinding(loss: "dice-focal", formulas: [0, 1, 2],
                       where: ["x_{n,c,i}": "logit", "p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "w_c": "weight",
                               #"\alpha_t"#: "1", #"\gamma"#: "gamma", "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr",
                               #"\lambda_{\text{dice}}"#: "lambda_dice", #"\lambda_{\text{focal}}"#: "lambda_focal",
                               "N": "size n", "C": "size c", #"\Omega"#: "size i"],
                       settings: [[:], ["gamma": "0.5", "lambda_dice": "0.5", "lambda_focal": "2", "weight": "[0.2, 1, 2]",
                                        "smooth_nr": "0.5", "smooth_dr": "1"]]),
        FormulaBinding(loss: "dice-focal", formulas: [0, 1, 2, 3],
                       where: ["x_{n,c,i}": "logit", "p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "w_c": "weight",
                               #"\alpha_c"#: "alpha", #"\gamma"#: "gamma", "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr",
                               #"\lambda_{\text{dice}}"#: "lambda_dice", #"\lambda_{\text{focal}}"#: "lambda_focal",
                               "N": "size n", "C": "size c", #"\Omega"#: "size i"],
                       settings: [["alpha": "[0.25]"], ["alpha": "[0.25, 0.5, 0.75]", "activation": "sigmoid"]]),
        FormulaBinding(loss: "generalized-dice-focal", formulas: [0, 1, 2],
                       where: ["x_{n,c,i}": "logit", "p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "w_c": "weight",
                               #"\gamma"#: "gamma", "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr", "e": "2",
                               #"\lambda_{\text{gdl}}"#: "lambda_gdl", #"\lambda_{\text{focal}}"#: "lambda_focal",
                               "N": "size n", "C": "size c", #"\Omega"#: "size i"],
                       settings: [[:], ["gamma": "0.5", "lambda_gdl": "0.5", "lambda_focal": "2", "weight": "[0.2, 1, 2]",
                                        "smooth_nr": "0.5", "smooth_dr": "1"]]),
        FormulaBinding(loss: "generalized-dice-focal", formulas: [0, 1, 2],
                       where: ["x_{n,c,i}": "logit", "p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "w_c": "weight",
                               #"\gamma"#: "gamma", "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr", "e": "0",
                               #"\lambda_{\text{gdl}}"#: "lambda_gdl", #"\lambda_{\text{focal}}"#: "lambda_focal",
                               "N": "size n", "C": "size c", #"\Omega"#: "size i"],
                       settings: [["w_type": "uniform", "activation": "sigmoid"]]),
        // γ_dice ≥ 1 only: for γ_dice < 1 (the default 0.3) the slope of (−ln D)^γ is unbounded at D = 1, and on
        // the confident probe the library's Float probabilities (1 − 4·10⁻⁹ stored as 1) change 1 − D by a factor of
        // order 1, which the power turns into a 15 % difference: a conditioning limit, not a formula error.
        FormulaBinding(loss: "exp-log", formulas: [0, 1, 2],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "y_{n,i}": "target index", "w_c": "weight",
                               #"w_{\text{dice}}"#: "w_dice", #"w_{\text{cross}}"#: "w_cross",
                               #"\gamma_{\text{dice}}"#: "gamma_dice", #"\gamma_{\text{cross}}"#: "gamma_cross",
                               "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr", "N": "size n", "C": "size c", #"\Omega"#: "size i"],
                       settings: [["gamma_dice": "1"],
                                  ["w_dice": "0.5", "w_cross": "2", "gamma_dice": "2", "gamma_cross": "0.5", "weight": "[0.2, 1, 2]"],
                                  ["gamma_dice": "1", "smooth_nr": "2", "smooth_dr": "0.5"]]),
        // The TopK term pools every image's positions: T_K is a set of pairs (n, i), the K largest
        // ℓ_{n,i} with ties to the earlier pair in storage order (n, then i), as topk's formula 1 states it
        // over one index; 𝓛_Dice is the dice loss of the same settings (checked on its own).
        FormulaBinding(loss: "dice-topk", formulas: [0], evaluate: nil,
                       symbols: [("p_{n,c,i}", "probability"), ("y_{n,i}", "target index"), ("w_c", "weight"),
                                 (#"\lambda_{\text{dice}}"#, "lambda_dice"), (#"\lambda_{\text{topk}}"#, "lambda_topk"),
                                 (#"\mathcal{L}_{\text{Dice}}"#, "value of dice"), ("N", "size n"), ("S", "size i"), ("k", "k"),
                                 (#"\ell_{n,i}"#, #"= -w_{y_{n,i}}\log p_{n,y_{n,i},i}"#),
                                 ("K", #"= \max\left(1, \left\lfloor \tfrac{N S k}{100} \right\rfloor\right)"#),
                                 (#"\mathcal{T}_K"#, #"= \{ (n,i) : \sum_{m=1}^{N}\sum_{j=1}^{S} [\ell_{m,j} > \ell_{n,i}] "#
                                    + #"+ \sum_{m=1}^{n-1}\sum_{j=1}^{S} [\ell_{m,j} = \ell_{n,i}] + \sum_{j=1}^{i-1} [\ell_{n,j} = \ell_{n,i}] < K \}"#)],
                       reduction: .none,
                       settings: [[:], ["k": "30", "lambda_dice": "0.5", "lambda_topk": "2"],
                                  ["k": "100", "include_background": "true", "weight": "[0.5, 2, 1]"]]),
        // Class indices count from 1 (`target index`), so the background class 0 is index 1; M is
        // `dist_matrix` as its description reads it (`CatalogLoss.classDistances`), over the
        // true class a and the class b (names the formula does not use, so M_{y_i, c} is read in its order).
        wassersteinDice(formula: 1, alpha: #"= [c \ne 1]"#, settings: [[:], ["smooth_nr": "0.5", "smooth_dr": "1"],
                                                                     ["dist_matrix": "[0, 2, 4, 1, 0, 1, 3, 2, 0]"]]),
        wassersteinDice(formula: 2, alpha: nil, settings: [["weighting_mode": "GDL"],
                                                           ["weighting_mode": "GDL", "dist_matrix": "[0, 2, 4, 1, 0, 1, 3, 2, 0]",
                                                            "smooth_nr": "0.5", "smooth_dr": "1"]]),
        // Two-channel probes with class indices (`to_onehot_y`); channel 1 of the formulas is the background.
        FormulaBinding(loss: "unified-focal", formulas: [0, 1, 2, 3],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "w": "weight", #"\gamma"#: "gamma",
                               #"\delta"#: "delta", #"\epsilon"#: "1e-7", "N": "size n", "S": "size i"],
                       settings: [["to_onehot_y": "true"],
                                  ["to_onehot_y": "true", "weight": "0.2", "gamma": "0.8", "delta": "0.4"]]),
    ]

    /// The Lovász losses per image (`per_image`: the formulas sort one image's errors), images on
    /// axis b, so that n is the formulas' count of positions; and with the batch pooled, one image
    /// of all positions (`pooling b into i`).
    static let lovasz: [FormulaBinding] = [
        FormulaBinding(loss: "lovasz-softmax", formulas: [0, 1, 2],
                       where: ["p_{i,c}": "probability over b,c,i", "g_{i,c}": "target one-hot over b,c,i", "n": "size i",
                               "G_c": #"= \{ i : g_{i,c} = 1 \}"#, #"\mathcal{C}"#: #"= \{ c : \sum_i g_{i,c} > 0 \}"#],
                       reduction: "mean over b", settings: [["per_image": "true"], ["per_image": "true", "activation": "none"]]),
        FormulaBinding(loss: "lovasz-softmax", formulas: [0, 1, 2],
                       where: ["p_{i,c}": "probability over b,c,i", "g_{i,c}": "target one-hot over b,c,i", "n": "size i",
                               "G_c": #"= \{ i : g_{i,c} = 1 \}"#, #"\mathcal{C}"#: #"= \{ c : c \ge 1 \}"#],
                       reduction: "mean over b", settings: [["per_image": "true", "classes": "all"]]),
        // per_image off (the default): the batch pooled is one image, its positions in storage order.
        FormulaBinding(loss: "lovasz-softmax", formulas: [0, 1, 2],
                       where: ["p_{i,c}": "probability over b,c,i pooling b into i", "g_{i,c}": "target one-hot over b,c,i pooling b into i",
                               "n": "size i", "G_c": #"= \{ i : g_{i,c} = 1 \}"#, #"\mathcal{C}"#: #"= \{ c : \sum_i g_{i,c} > 0 \}"#],
                       settings: [["per_image": "false"], ["per_image": "false", "activation": "none"], ["per_image": "false", "reduction": "sum"]]),
        FormulaBinding(loss: "lovasz-softmax", formulas: [0, 1, 2],
                       where: ["p_{i,c}": "probability over b,c,i pooling b into i", "g_{i,c}": "target one-hot over b,c,i pooling b into i",
                               "n": "size i", "G_c": #"= \{ i : g_{i,c} = 1 \}"#, #"\mathcal{C}"#: #"= \{ c : c \ge 1 \}"#],
                       settings: [["per_image": "false", "classes": "all"]]),
        FormulaBinding(loss: "lovasz-hinge", formulas: [0, 1],
                       where: ["x_i": "logit over b,i", "g_i": "target over b,i", "n": "size i", "G": #"= \{ i : g_i = 1 \}"#],
                       reduction: "mean over b"),
        // per_image off: the batch pooled is one image, i over every element in storage order.
        FormulaBinding(loss: "lovasz-hinge", formulas: [0, 1],
                       where: ["x_i": "logit over i", "g_i": "target over i", "n": "size i", "G": #"= \{ i : g_i = 1 \}"#],
                       settings: [["per_image": "false"], ["per_image": "false", "reduction": "sum"]]),
    ]

    static let segmentationGradients: [GradientBinding] = [
        // generalized-wasserstein-dice's prose (default mode): span 7, ∂𝓛/∂x_{i,c} through the softmax, read with
        // span 0 (W_i). ∂𝓛/∂W_i is span 2, which the prose gives in words ("the loss's derivative with respect
        // to W_i is …"), with span 5's ∂B/∂W_i = 1 − 2α (read as an equation beside span 7, a derivative on
        // the left is not evaluated: restated here), and A, B are formula 0's numerator and denominator.
        GradientBinding(FormulaBinding(loss: "generalized-wasserstein-dice", formulas: [7, 0], evaluate: nil,
                                       symbols: [("p_{i,c}", "probability over n,c,i"), ("y_i", "target index over n,i"),
                                                 ("M_{a,b}", "class distances over a,b"), ("s_{nr}", "smooth_nr"), ("s_{dr}", "smooth_dr"),
                                                 (#"\alpha_c"#, #"= [c \ne 1]"#),
                                                 ("A", #"= 2\sum_i \alpha_{y_i}\left(1 - W_i\right) + s_{nr}"#),
                                                 ("B", #"= 2\sum_i \alpha_{y_i}\left(1 - W_i\right) + \sum_i W_i + s_{dr}"#),
                                                 (#"\partial \mathcal{L}/\partial W_i"#, #"= 2\alpha_{y_i}/B + A\,\partial B/\partial W_i / B^2"#),
                                                 (#"\partial B/\partial W_i"#, #"= 1 - 2\alpha_{y_i}"#)],
                                       reduction: .mean(["n"]),
                                       settings: [[:], ["smooth_nr": "0.5", "smooth_dr": "1"], ["dist_matrix": "[0, 2, 4, 1, 0, 1, 3, 2, 0]"]]),
                        elements: "n, c, i"),
        // lovasz-hinge's prose (spans 0 s_i, 1 e_i, 2 the gradient) per image, the default: Δ(k) the Jaccard
        // loss (formula 1) of the k largest errors, k_i the rank of e_i in their stable decreasing order.
        lovaszHingeGradient(pooled: false),
        lovaszHingeGradient(pooled: true),
        // The focal term's partials (spans 2 and 3, with span 0's clip) at weight 1, where the loss is
        // the focal term alone, on the channel each differentiates by and where the clamp passes.
        unifiedFocalPartial(span: 2, channel: 1),
        unifiedFocalPartial(span: 3, channel: 2),
        GradientBinding(FormulaBinding(loss: "iou", formulas: [0, 1, 2, 3, 4],
                                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "s_{nr}": "smooth_nr",
                                               "s_{dr}": "smooth_dr"],
                                       reduction: "mean over n,c",
                                       settings: [["activation": "none"], ["activation": "none", "smooth_nr": "0.5", "smooth_dr": "1"]]),
                        elements: "n, c, i"),
        GradientBinding(FormulaBinding(loss: "sensitivity-specificity", formulas: [0, 1, 2],
                                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "r": "r", "s_{dr}": "smooth_dr"],
                                       reduction: "mean over n,c",
                                       settings: [["activation": "none"], ["activation": "none", "r": "0.5", "smooth_dr": "1"]]),
                        elements: "n, c, i"),
        GradientBinding(FormulaBinding(loss: "asymmetric", formulas: [0, 1, 2, 3, 4, 5],
                                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", #"\beta"#: "beta",
                                               "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr"],
                                       reduction: "mean over n,c",
                                       settings: [["activation": "none"], ["activation": "none", "beta": "1", "smooth_nr": "0.5", "smooth_dr": "1"]]),
                        elements: "n, c, i"),
        GradientBinding(FormulaBinding(loss: "generalized-dice", formulas: [0, 1, 2, 3, 4, 5, 6],
                                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "s_{nr}": "smooth_nr",
                                               "s_{dr}": "smooth_dr", "C": "size c"],
                                       reduction: "mean over n",
                                       settings: [["activation": "none"], ["activation": "none", "smooth_nr": "0.5", "smooth_dr": "1"]]),
                        elements: "n, c, i"),
        GradientBinding(FormulaBinding(loss: "focal-tversky", formulas: [0, 1, 2, 3, 4, 5, 6],
                                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", #"\alpha"#: "alpha",
                                               #"\beta"#: "beta", #"\gamma"#: "gamma", "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr"],
                                       reduction: "mean over n,c",
                                       settings: [["activation": "none"], ["activation": "none", "gamma": "0.5", "alpha": "0.5", "beta": "0.5"]]),
                        elements: "n, c, i"),
        GradientBinding(FormulaBinding(loss: "masked-dice", formulas: [0, 1, 2],
                                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "m_{n,i}": "mask",
                                               "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr"],
                                       reduction: "mean over n,c",
                                       settings: [["activation": "none"], ["activation": "none", "smooth_nr": "0.5", "smooth_dr": "1"]]),
                        elements: "n, c, i"),
    ]

    /// generalized-wasserstein-dice's prose ∂B/∂W_i = 1 − 2α (span 5, default mode): B the
    /// denominator (the prose names it so), D_n of formula 1 plus s_dr, with formula 0's W_i
    /// (both checked against `Losses`) given and moved at one (n, i) at a time; the function is B
    /// summed over the samples, each sample's B moved by its own W only.
    static let wassersteinPartials: [PartialBinding] = [
        PartialBinding(FormulaBinding(loss: "generalized-wasserstein-dice", formulas: [5], evaluate: nil,
                                      symbols: [("p_{i,c}", "probability over n,c,i"), ("y_i", "target index over n,i"),
                                                ("M_{a,b}", "class distances over a,b"), ("s_{nr}", "smooth_nr"), ("s_{dr}", "smooth_dr"),
                                                (#"\alpha_c"#, #"= [c \ne 1]"#), ("B", "= D_n + s_{dr}")],
                                      reduction: .sum(["n"]),
                                      settings: [[:], ["smooth_nr": "0.5", "smooth_dr": "1"], ["dist_matrix": "[0, 2, 4, 1, 0, 1, 3, 2, 0]"]]),
                       definitions: [0, 1], function: "B", variable: "W_i", elements: "n, i", isLoss: false),
    ]

    /// generalized-wasserstein-dice's formula 0 with the D_n of `formula` (1: default, 2: GDL), per
    /// sample; `alpha`: α's definition where the formula states it in words (default mode).
    static func wassersteinDice(formula: Int, alpha: String?, settings: [[String: String]]) -> FormulaBinding {
        FormulaBinding(loss: "generalized-wasserstein-dice", formulas: [0, formula], evaluate: nil,
                       symbols: [("p_{i,c}", "probability over n,c,i"), ("y_i", "target index over n,i"),
                                 ("M_{a,b}", "class distances over a,b"), ("s_{nr}", "smooth_nr"), ("s_{dr}", "smooth_dr"),
                                 ("V_c", #"= \sum_i [y_i = c]"#)] + (alpha.map { [(#"\alpha_c"#, $0)] } ?? []),
                       reduction: .mean(["n"]), settings: settings)
    }

    /// unified-focal's prose partial `\partial/\partial P_c` (span `span`, read with span 0, which
    /// defines P): `P_c` and `g_c` are channel c's values at the element's n and i.
    static func unifiedFocalPartial(span: Int, channel c: Int) -> GradientBinding {
        GradientBinding(FormulaBinding(loss: "unified-focal", formulas: [0, span], evaluate: nil,
                                       symbols: [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"), ("w", "weight"),
                                                 (#"\gamma"#, "gamma"), (#"\delta"#, "delta"), (#"\epsilon"#, "1e-7"), ("N", "size n"),
                                                 ("S", "size i"), ("P_\(c)", "= P_{n,\(c),i}"), ("g_\(c)", "= g_{n,\(c),i}")],
                                       reduction: .none,
                                       settings: [["to_onehot_y": "true", "weight": "1"],
                                                  ["to_onehot_y": "true", "weight": "1", "gamma": "0.8", "delta": "0.4"]]),
                        elements: "n, c, i",
                        holds: ["c = \(c)", #"p_{n,c,i} \ge \epsilon"#, #"p_{n,c,i} \le 1 - 2^{-23}"#])
    }

    /// lovasz-hinge's prose gradient; `pooled`: `per_image` off, the batch's positions one set (i over
    /// every element in storage order, as the library pools them), else per image (b) and averaged.
    static func lovaszHingeGradient(pooled: Bool) -> GradientBinding {
        GradientBinding(FormulaBinding(loss: "lovasz-hinge", formulas: [0, 1, 2], evaluate: nil,
                                       symbols: [("x_i", pooled ? "logit over i" : "logit over b,i"),
                                                 ("g_i", pooled ? "target over i" : "target over b,i"), ("n", "size i"),
                                                 ("G", #"= \{ i : g_i = 1 \}"#),
                                                 ("k_i", #"= \sum_{r=1}^{n} r\,[\pi(r) = i], \quad e_{\pi(1)} \ge e_{\pi(2)} \ge \cdots"#),
                                                 (#"\Delta(k)"#, #"= \Delta_J(\{\pi(1),\dots,\pi(k)\})"#),
                                                 defining("lovasz-hinge", 1)],
                                       reduction: pooled ? .none : .mean(["b"]),
                                       settings: pooled ? [["per_image": "false"], ["per_image": "false", "reduction": "sum"]] : [[:]]),
                        elements: pooled ? "i" : "b, i")
    }

    /// dice's formula 1 (`\text{jaccard: } \mathcal{L}_{n,c} = …`) with `jaccard` on; `squared`:
    /// with `squared_pred` too, P and G the sums of squares.
    static func diceJaccard(squared: Bool) -> FormulaBinding {
        let power = squared ? "^2" : ""
        let base: [String: String] = squared ? ["jaccard": "true", "squared_pred": "true"] : ["jaccard": "true"]
        return FormulaBinding(loss: "dice", formulas: [1], evaluate: #"\mathcal{L}_{n,c}"#,
                              symbols: [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"), ("s_{nr}", "smooth_nr"),
                                        ("s_{dr}", "smooth_dr"), ("I", #"= \sum_i p_{n,c,i}\, g_{n,c,i}"#),
                                        ("P", #"= \sum_i p_{n,c,i}"# + power), ("G", #"= \sum_i g_{n,c,i}"# + power)],
                              reduction: .mean(["n", "c"]),
                              settings: [base, base.merging(["activation": "none", "smooth_nr": "0.5", "smooth_dr": "1"]) { $1 }])
    }
}
