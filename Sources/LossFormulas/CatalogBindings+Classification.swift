import FormulaCheck
import Losses

/// The classification, distribution, `torch.nn` and regression formulas of the catalog bound to
/// the library (joined into `CatalogBindings.all` and `.gradients`). A symbol's source names a
/// probe array, a parameter, `size <axis>` or a number (see `FormulaBinding`); the probes are
/// `CatalogLoss`'s.
extension CatalogBindings {
    static let classification: [FormulaBinding] = [
        // The definition, summed (reduction: sum); then the library's per-element form, averaged.
        FormulaBinding(loss: "kl-divergence", formulas: [0], where: ["p_i": "target", "q_i": "probability"],
                       settings: [["reduction": "sum"]]),
        FormulaBinding(loss: "kl-divergence", formulas: [1], where: ["p_i": "target", "q_i": "probability"], reduction: "mean over i"),
        // The stable form of log cosh, an identity in the residual d = x - y: both sides against the loss.
        FormulaBinding(loss: "log-cosh", formulas: [1], where: ["d_i": "residual"], reduction: "mean over i"),
        // The general form at the probability of each position's class (softmax), α_t = 1 (no alpha).
        FormulaBinding(loss: "focal", formulas: [0], where: ["p_t": "target probability", #"\alpha_t"#: "alpha", #"\gamma"#: "gamma"],
                       reduction: "mean over t", settings: [[:], ["gamma": "0.5"]]),
        // Sigmoid, element-wise; without alpha α_t = 1 (the formula does not define α_t).
        FormulaBinding(loss: "focal", formulas: [2], evaluate: #"\ell^{\text{sigmoid}}"#,
                       where: ["x_{i,c}": "logit", "t_{i,c}": "target one-hot", #"\alpha_t"#: "alpha", #"\gamma"#: "gamma"],
                       reduction: "mean over i,c", settings: [["activation": "sigmoid"], ["activation": "sigmoid", "gamma": "0.5"]]),
        // Boxes: x_1, x_2 of the prediction are box x's two rows, x_1^g, x_2^g the target's.
        FormulaBinding(loss: "box-iou", formulas: [0, 1], where: boxSymbols, reduction: "sum over n", settings: [[:], ["eps": "0.01"]]),
        FormulaBinding(loss: "giou", formulas: [0, 1], where: boxSymbols, reduction: "sum over n", settings: [[:], ["eps": "0.01"]]),
        FormulaBinding(loss: "diou", formulas: [0, 1, 2], where: boxSymbols, reduction: "sum over n", settings: [[:], ["eps": "0.01"]]),
        // CIoU names ρ (the centres' distance), c (the enclosing box's diagonal) and the sides w, h
        // without defining them in its formulas: bound to the probe's values of those.
        FormulaBinding(loss: "ciou", formulas: [0, 1, 2],
                       where: ["x_{k,n}": "box x", "y_{k,n}": "box y", "x_{k,n}^g": "target box x", "y_{k,n}^g": "target box y",
                               #"\epsilon"#: "eps", #"\rho_n"#: "centre distance", "c_n": "enclosing diagonal",
                               "w_n": "box width", "h_n": "box height", "w_n^g": "target box width", "h_n^g": "target box height"],
                       reduction: "sum over n", settings: [[:], ["eps": "0.01"]]),
        // The default weights, balanced from the batch: M positions, M_c of them of class c.
        FormulaBinding(loss: "weighted-cross-entropy", formulas: [0, 1], evaluate: #"L_{\text{mean}}"#,
                       where: ["p_{i,c}": "probability", "y_i": "target index", "M": "size i", "C": "size c", "M_c": "class count"]),
        // The hard positions as a set by their condition; no probe leaves it empty (then the loss is 0).
        FormulaBinding(loss: "topk-threshold", where: ["p_{i,c}": "probability", "y_i": "target index", "w_c": "weight", "t": "threshold"],
                       settings: [[:], ["threshold": "0.4"], ["weight": "[0.5, 2, 1]"]]),
        // The weighted mean: Σ ℓ_i / Σ w_{y_i} (no probe position is ignored).
        FormulaBinding(loss: "cross-entropy", formulas: [0, 1, 2], evaluate: #"L_{\text{mean}}"#,
                       where: ["x_{i,c}": "logit", "y_i": "target index", "w_c": "weight", #"\varepsilon"#: "label_smoothing",
                               "C": "size c", #"\text{ignore}"#: "ignore_index"],
                       settings: [["weight": "[0.5, 2, 1]"], ["weight": "[0.5, 2, 1]", "label_smoothing": "0.2"]]),
        FormulaBinding(loss: "nll", formulas: [0, 1], evaluate: #"L_{\text{mean}}"#,
                       where: ["x_{i,c}": "input", "y_i": "target index", "w_c": "weight", #"\text{ignore}"#: "ignore_index"],
                       settings: [[:], ["weight": "[0.5, 2, 1]"]]),
        FormulaBinding(loss: "weighted-cross-entropy", formulas: [0], evaluate: #"L_{\text{mean}}"#,
                       where: ["p_{i,c}": "probability", "y_i": "target index", "w_c": "weight"],
                       settings: [["weight": "[0.5, 2, 1]"], ["weight": "[1, 1, 3]"]]),
        // The mean of the K largest per-position cross entropies: formula 1's set (ties to the lower
        // position) and K from k, at K = 1, 2 and every position.
        FormulaBinding(loss: "topk", formulas: [0, 1],
                       where: ["p_{i,c}": "probability", "y_i": "target index", "w_c": "weight", "M": "size i", "k": "k"],
                       settings: [[:], ["k": "60"], ["k": "100", "weight": "[0.5, 2, 1]"]]),
        FormulaBinding(loss: "margin-ranking", where: ["x_{k,i}": "input", "y_i": "target", #"\text{margin}"#: "margin"],
                       reduction: "mean over i", settings: [[:], ["margin": "0.5"]]),
        FormulaBinding(loss: "hinge-embedding", where: ["x_i": "input", "y_i": "target", #"\Delta"#: "margin"],
                       reduction: "mean over i", settings: [[:], ["margin": "0.5"]]),
        FormulaBinding(loss: "multilabel-margin", where: ["x_{n,c}": "input", "Y_{n,c}": "target set", "C": "size c"],
                       reduction: "mean over n"),
        FormulaBinding(loss: "multilabel-soft-margin", where: ["x_{n,c}": "input", "y_{n,c}": "target", "w_c": "weight", "C": "size c"],
                       reduction: "mean over n", settings: [[:], ["weight": "[0.5, 1, 2]"]]),
        FormulaBinding(loss: "multi-margin",
                       where: ["x_{n,c}": "input", "y_n": "target index", "w_c": "weight", #"\text{margin}"#: "margin", "p": "p",
                               "C": "size c"],
                       reduction: "mean over n", settings: [[:], ["p": "2", "margin": "0.5", "weight": "[0.5, 1, 2]"]]),
        // cos(a, b) over each pair's vectors (a, b the rows of x1 and x2); ε = 10^{-12} as the formula defines it.
        FormulaBinding(loss: "cosine-embedding", formulas: [0, 1],
                       where: ["a_{n,d}": "x1", "b_{n,d}": "x2", "y_n": "target", #"\text{margin}"#: "margin"],
                       reduction: "mean over n", settings: [[:], ["margin": "0.5"], ["margin": "-0.25"]]),
        // d over each triplet's vectors (axes t, k), called with the anchor, positive (q) and negative.
        FormulaBinding(loss: "triplet-margin", formulas: [0], where: tripletSymbols, reduction: "mean over t",
                       settings: [[:], ["p": "1", "margin": "0.5"], ["p": "3", "eps": "0.01", "margin": "2"]]),
        // With swap, formula 1 (d as formula 0 defines it).
        FormulaBinding(loss: "triplet-margin", formulas: [0, 1], evaluate: #"\ell_{\text{swap}}"#, where: tripletSymbols,
                       reduction: "mean over t",
                       settings: [["swap": "true"], ["swap": "true", "p": "1", "margin": "0.5"]]),
        // Both readings of the input, and with full Stirling's term where y > 1 (the probes' targets are counts).
        FormulaBinding(loss: "poisson-nll", formulas: [0], where: poissonSymbols, reduction: "mean over i",
                       settings: [[:], ["log_input": "false"], ["log_input": "false", "eps": "0.5"]]),
        FormulaBinding(loss: "poisson-nll", formulas: [0, 1], evaluate: #"\ell_{\text{full}}"#, where: poissonSymbols,
                       reduction: "mean over i", settings: [["full": "true"], ["full": "true", "log_input": "false"]]),
        // One variance per element (D = 1): σ the square root of the variance; ε clamps it.
        FormulaBinding(loss: "gaussian-nll", where: gaussianSymbols, reduction: "mean over i",
                       settings: [[:], ["full": "true"], ["eps": "0.5"]]),
    ]

    /// Anchor, positive (q: p is the norm's degree) and negative over each triplet's vectors (t, k).
    private static let tripletSymbols: KeyValuePairs<String, String> = [
        "a_{t,k}": "anchor", "q_{t,k}": "positive", "n_{t,k}": "negative", #"\text{margin}"#: "margin", "p": "p", #"\epsilon"#: "eps",
    ]

    private static let poissonSymbols: KeyValuePairs<String, String> = [
        "x_i": "input", "y_i": "target", #"\varepsilon"#: "eps", #"\text{log\_input}"#: "log_input",
    ]

    /// A probe's `[μ, σ²]` rows (axes i, k) and what the Gaussian NLL's formulas name.
    private static let gaussianSymbols: KeyValuePairs<String, String> = [
        "x_{i,k}": "input", #"\mu_i"#: "mean", "y_i": "target", #"\sigma_i"#: "standard deviation",
        #"\varepsilon"#: "eps", #"\text{full}"#: "full",
    ]

    /// The coordinates of a predicted box (x₁, y₁, x₂, y₂) and its target's (x₁ᵍ, …), and ε.
    private static let boxSymbols: KeyValuePairs<String, String> = [
        "x_{k,n}": "box x", "y_{k,n}": "box y", "x_{k,n}^g": "target box x", "y_{k,n}^g": "target box y", #"\epsilon"#: "eps",
    ]

    private static let marginRankingSymbols: KeyValuePairs<String, String> = [
        "x_{k,i}": "input", "y_i": "target", #"\text{margin}"#: "margin",
    ]

    static let classificationGradients: [GradientBinding] = [
        GradientBinding(FormulaBinding(loss: "kl-divergence", formulas: [0], where: ["x_i": "input", "p_i": "target"],
                                       reduction: "mean over i"), elements: "i"),
        GradientBinding(FormulaBinding(loss: "poisson-nll", formulas: [0], where: ["x_i": "input", "y_i": "target"],
                                       reduction: "mean over i"), elements: "i"),
        GradientBinding(FormulaBinding(loss: "poisson-nll", formulas: [1], where: poissonSymbols, reduction: "mean over i",
                                       settings: [["log_input": "false"], ["log_input": "false", "eps": "0.5"]]), elements: "i"),
        // ∂/∂μ on the input's mean column, ∂/∂σ² on its variance column, where the variance is not clamped.
        GradientBinding(FormulaBinding(loss: "gaussian-nll", formulas: [0], where: gaussianSymbols, reduction: "mean over i",
                                       settings: [[:], ["eps": "0.5"]]),
                        elements: "i, k", holds: ["k = 1", #"\sigma^2 \ge \varepsilon"#]),
        GradientBinding(FormulaBinding(loss: "gaussian-nll", formulas: [1], where: gaussianSymbols, reduction: "mean over i",
                                       settings: [[:], ["eps": "0.5"]]),
                        elements: "i, k", holds: ["k = 2", #"\sigma^2 \ge \varepsilon"#]),
        // Where the margin is not met (z > 0; at z = 0 PyTorch passes no gradient), on x_1's row and on x_2's.
        GradientBinding(FormulaBinding(loss: "margin-ranking", formulas: [0], where: marginRankingSymbols, reduction: "mean over i",
                                       settings: [[:], ["margin": "0.5"]]),
                        elements: "k, i", holds: ["k = 1", #"-y_i\,(x_{1,i} - x_{2,i}) + \text{margin} > 0"#]),
        GradientBinding(FormulaBinding(loss: "margin-ranking", formulas: [1], where: marginRankingSymbols, reduction: "mean over i",
                                       settings: [[:], ["margin": "0.5"]]),
                        elements: "k, i", holds: ["k = 2", #"-y_i\,(x_{1,i} - x_{2,i}) + \text{margin} > 0"#]),
        // Sigmoid mode, element-wise; without alpha α_t = 1. p, p_t and BCE as the value formula defines them.
        GradientBinding(FormulaBinding(loss: "focal", formulas: [0],
                                       where: ["x_{i,c}": "logit", "t_{i,c}": "target one-hot", #"\alpha_t"#: "alpha",
                                               #"\gamma"#: "gamma", "p": #"= \sigma(x)"#, "p_t": #"= p\,t + (1 - p)(1 - t)"#,
                                               #"\mathrm{BCE}"#: #"= -t\log\sigma(x) - (1-t)\log\sigma(-x)"#],
                                       reduction: "mean over i,c",
                                       settings: [["activation": "sigmoid"], ["activation": "sigmoid", "gamma": "0.5"],
                                                  ["activation": "sigmoid", "gamma": "1"]]),
                        elements: "i, c"),
        // The classes i ≠ y that violate the margin (z > 0, z as the prose defines it); the target
        // class's entry (minus their sum) is stated in words.
        GradientBinding(FormulaBinding(loss: "multi-margin", formulas: [1],
                                       where: ["x_{n,c}": "input", "y_n": "target index", "w_c": "weight", "p": "p", "C": "size c",
                                               #"\mathrm{margin}"#: "margin", "z": #"= \mathrm{margin} - x_y + x_i"#],
                                       reduction: "mean over n",
                                       settings: [[:], ["p": "2", "margin": "0.5", "weight": "[0.5, 1, 2]"]]),
                        elements: "n, i=c", holds: [#"i \ne y_n"#, "z > 0"]),
        GradientBinding(FormulaBinding(loss: "hinge-embedding", formulas: [0], where: ["x_i": "input", "y_i": "target", #"\Delta"#: "margin"],
                                       reduction: "mean over i", settings: [[:], ["margin": "0.5"]]),
                        elements: "i", holds: ["y_i = 1"]),
        GradientBinding(FormulaBinding(loss: "hinge-embedding", formulas: [1], where: ["x_i": "input", "y_i": "target", #"\Delta"#: "margin"],
                                       reduction: "mean over i", settings: [[:], ["margin": "0.5"]]),
                        elements: "i", holds: ["y_i = -1"]),
        // Summed, so the weights need no normaliser.
        GradientBinding(FormulaBinding(loss: "nll", formulas: [0], where: ["x_{i,c}": "input", "y_i": "target index", "w_c": "weight"],
                                       reduction: "sum over i",
                                       settings: [["reduction": "sum"], ["reduction": "sum", "weight": "[0.5, 2, 1]"]]),
                        elements: "i, c"),
        GradientBinding(FormulaBinding(loss: "weighted-cross-entropy", formulas: [0],
                                       where: ["p_{i,c}": "probability", "y_i": "target index", "w_c": "weight"],
                                       reduction: "sum over i", settings: [["reduction": "sum", "weight": "[0.5, 2, 1]"]]),
                        elements: "i, c"),
        // ∂cos/∂a on x1's row where the loss is cos − margin (y = −1 and cos > margin; for y = 1 the
        // prose negates it). cos as the descriptor's formula 1 defines it; m_a, m_b as the prose's legend.
        GradientBinding(FormulaBinding(loss: "cosine-embedding", formulas: [0], evaluate: nil,
                                       symbols: [("x_{k,n,d}", "input"), ("a_{n,d}", "x1"), ("b_{n,d}", "x2"), ("y_n", "target"),
                                                 (#"\text{margin}"#, "margin"), ("m_a", #"= \sum_d a_d^2 + \epsilon"#),
                                                 ("m_b", #"= \sum_d b_d^2 + \epsilon"#), defining("cosine-embedding", 1)],
                                       reduction: .mean(["n"]), settings: [[:], ["margin": "0.5"], ["margin": "-0.25"]]),
                        elements: "k, n, d", holds: ["k = 1", "y_n = -1", #"\cos(a, b) > \text{margin}"#]),
        // ∂d(u,v)/∂u_k with u the anchor and v the negative: on the negative's rows (s = 3) the loss's
        // gradient is exactly that (−∂d(a,n)/∂n_k) where the margin is not met; r and d as the prose
        // defines them for that pair, the margin's test with the positive's distance written out.
        GradientBinding(FormulaBinding(loss: "triplet-margin", formulas: [0], evaluate: nil,
                                       symbols: [("x_{s,t,k}", "input"), ("a_{t,k}", "anchor"), ("q_{t,k}", "positive"),
                                                 ("n_{t,k}", "negative"), (#"\text{margin}"#, "margin"), ("p", "p"),
                                                 (#"\epsilon"#, "eps"), ("D", "size k"), ("r_k", #"= a_k - n_k + \epsilon"#),
                                                 ("d", #"= \Bigl(\sum_{j=1}^{D} \lvert r_j\rvert^p\Bigr)^{1/p}"#)],
                                       reduction: .mean(["t"]),
                                       settings: [[:], ["p": "1", "margin": "0.5"], ["p": "3", "eps": "0.01", "margin": "2"]]),
                        elements: "s, t, k",
                        holds: ["s = 3", #"\text{margin} + \Bigl(\sum_{j=1}^{D} \lvert a_j - q_j + \epsilon\rvert^p\Bigr)^{1/p} - d > 0"#]),
        GradientBinding(FormulaBinding(loss: "multilabel-soft-margin", formulas: [0],
                                       where: ["x_{n,c}": "input", "y_{n,c}": "target", "w_c": "weight", "C": "size c"],
                                       reduction: "mean over n", settings: [[:], ["weight": "[0.5, 1, 2]"]]),
                        elements: "n, c"),
    ]

    /// Gradient formulas among the descriptors' `formulas` (`\nabla_w R = …`), bound to the
    /// library's analytic gradient; `formulas` index `descriptor.formulas`.
    public static let formulaGradients: [GradientBinding] = [
        GradientBinding(FormulaBinding(loss: "l2-regularization", formulas: [1], where: ["w_i": "input", #"\lambda"#: "lambda"],
                                       settings: [[:], ["lambda": "0.5"]]), elements: "i"),
    ] + distanceFormulaGradients
}

extension CatalogFormulas {
    /// Checks a gradient formula of a loss's descriptor (`CatalogBindings.formulaGradients`);
    /// `formulas` overrides the descriptor's TeX (to check a mutated formula).
    public static func checkDescriptorGradient(_ binding: GradientBinding, formulas: [String]? = nil,
                                               macros: [String: String] = [:]) throws -> [Outcome] {
        let descriptor = try Catalog.descriptor(for: binding.value.loss)
        let tex = try formulas ?? binding.value.formulas.map { index in
            guard descriptor.formulas.indices.contains(index) else {
                throw FormulaError("'\(binding.value.loss)' has \(descriptor.formulas.count) formulas; there is no formula \(index)")
            }
            return descriptor.formulas[index]
        }
        return try checkGradient(binding, formulas: tex, macros: macros)
    }
}
