import FormulaCheck
import Losses

/// The catalog's formulas bound to the library: the one place that says what each symbol of a
/// `descriptor.formulas` entry stands for. `CatalogFormulas.check` evaluates them on probes.
public enum CatalogBindings {
    public static let all: [FormulaBinding] = [
        FormulaBinding(loss: "l1", formulas: [0], where: ["x_i": "input", "y_i": "target"], reduction: "mean over i"),
        FormulaBinding(loss: "l1", formulas: [1], where: ["x_i": "input", "y_i": "target", "n": "size i"]),
        FormulaBinding(loss: "l2", formulas: [0], where: ["x_i": "input", "y_i": "target"], reduction: "mean over i"),
        FormulaBinding(loss: "l2", formulas: [1], where: ["x_i": "input", "y_i": "target", "n": "size i"]),
        FormulaBinding(loss: "smooth-l1", where: ["x_i": "input", "y_i": "target", #"\beta"#: "beta"],
                       reduction: "mean over i", settings: [[:], ["beta": "0.5"]]),
        FormulaBinding(loss: "huber", where: ["x_i": "input", "y_i": "target", #"\delta"#: "delta"],
                       reduction: "mean over i", settings: [[:], ["delta": "2"]]),
        FormulaBinding(loss: "cross-entropy", formulas: [0, 1],
                       where: ["x_{i,c}": "logit", "y_i": "target index", "w_c": "weight", #"\varepsilon"#: "label_smoothing",
                               "C": "size c"],
                       reduction: "mean over i", settings: [[:], ["label_smoothing": "0.1"]]),
        FormulaBinding(loss: "binary-cross-entropy", formulas: [0],
                       where: ["x_i": "logit", "y_i": "target", "w": "weight", "p_w": "pos_weight"],
                       reduction: "mean over i", settings: [[:], ["pos_weight": "[2]", "weight": "[0.5]"]]),
        FormulaBinding(loss: "binary-cross-entropy", formulas: [1],
                       where: ["x_i": "logit", "y_i": "target", "w": "weight", "p_w": "pos_weight"],
                       reduction: "mean over i", settings: [[:], ["pos_weight": "[2]", "weight": "[0.5]"]]),
        FormulaBinding(loss: "focal", formulas: [1], evaluate: #"\ell^{\text{softmax}}"#,
                       where: ["p_{i,c}": "probability", "t_{i,c}": "target one-hot", #"\alpha_c"#: "alpha",
                               #"\gamma"#: "gamma", "C": "size c"],
                       reduction: "mean over i", settings: [[:], ["gamma": "0.5", "alpha": "[0.25, 0.5, 0.25]"]]),
        FormulaBinding(loss: "dice", formulas: [0],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "s_{nr}": "smooth_nr",
                               "s_{dr}": "smooth_dr", "w_c": "weight", "N": "size n", "C": "size c"],
                       settings: [[:], ["activation": "none"], ["weight": "[0.2, 1, 2]", "smooth_nr": "0.5", "smooth_dr": "1"]]),
        FormulaBinding(loss: "iou", formulas: [0],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "s_{nr}": "smooth_nr",
                               "s_{dr}": "smooth_dr", "N": "size n", "C": "size c"],
                       settings: [[:], ["activation": "none"]]),
        FormulaBinding(loss: "tversky", formulas: [0, 1],
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", #"\alpha"#: "alpha",
                               #"\beta"#: "beta", "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr"],
                       reduction: "mean over n,c", settings: [[:], ["activation": "none", "alpha": "0.3", "beta": "0.7"]]),
        FormulaBinding(loss: "log-cosh", where: ["x_i": "input", "y_i": "target"], reduction: "mean over i"),
        FormulaBinding(loss: "zero-one", where: ["f_i": "input", "y_i": "target"], reduction: "mean over i"),
        FormulaBinding(loss: "exponential", where: ["f_i": "input", "y_i": "target"], reduction: "mean over i"),
        FormulaBinding(loss: "hinge", where: ["f_i": "input", "y_i": "target"], reduction: "mean over i"),
        FormulaBinding(loss: "squared-hinge", where: ["f_i": "input", "y_i": "target"], reduction: "mean over i"),
        FormulaBinding(loss: "soft-margin", where: ["f_i": "input", "y_i": "target"], reduction: "mean over i"),
        FormulaBinding(loss: "l1-regularization", where: ["w_i": "input", #"\lambda"#: "lambda"], settings: [[:], ["lambda": "0.5"]]),
        FormulaBinding(loss: "l2-regularization", where: ["w_i": "input", #"\lambda"#: "lambda"], settings: [[:], ["lambda": "0.5"]]),
        FormulaBinding(loss: "sensitivity-specificity",
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "r": "r", "s_{dr}": "smooth_dr"],
                       reduction: "mean over n,c", settings: [[:], ["r": "0.5", "smooth_dr": "1"]]),
        FormulaBinding(loss: "asymmetric",
                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", #"\beta"#: "beta",
                               "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr"],
                       reduction: "mean over n,c", settings: [[:], ["beta": "1"]]),
        // Formula 1, Tversky's form (TP, FP, FN as tversky's formula 1 defines them), smoothing included.
        FormulaBinding(loss: "asymmetric", formulas: [1], evaluate: nil,
                       symbols: [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"), (#"\beta"#, "beta"),
                                 ("s_{nr}", "smooth_nr"), ("s_{dr}", "smooth_dr"), ("TP", #"= \sum_i p_i g_i"#),
                                 ("FP", #"= \sum_i p_i (1 - g_i)"#), ("FN", #"= \sum_i (1 - p_i)\, g_i"#)],
                       reduction: .mean(["n", "c"]), settings: [[:], ["beta": "1"], ["beta": "2", "smooth_nr": "0.5", "smooth_dr": "1"]]),
    ] + segmentation + lovasz + classification + chainValues + distance + topology + relations + images + alignments + forwardRecursion
}

extension CatalogBindings {
    /// The gradient formulas the catalog prose displays (the `## gradient` section of
    /// `content/<lang>/reference/<id>.md`), bound to the library's analytic gradient. `formulas`
    /// are the indices of the section's `$…$` spans read together (the same in every language);
    /// the span whose equation has `\partial` on its left is the gradient.
    public static let gradients: [GradientBinding] = [
        GradientBinding(FormulaBinding(loss: "l2", formulas: [0], where: ["x_i": "input", "y_i": "target"], reduction: "mean over i"),
                        elements: "i"),
        GradientBinding(FormulaBinding(loss: "huber", formulas: [0], where: ["x_i": "input", "y_i": "target", #"\delta"#: "delta"],
                                       reduction: "mean over i", settings: [[:], ["delta": "2"]]), elements: "i"),
        GradientBinding(FormulaBinding(loss: "smooth-l1", formulas: [0, 1], where: ["x_i": "input", "y_i": "target", #"\beta"#: "beta"],
                                       reduction: "mean over i", settings: [[:], ["beta": "0.5"]]), elements: "i"),
        GradientBinding(FormulaBinding(loss: "binary-cross-entropy", formulas: [0],
                                       where: ["x_i": "logit", "y_i": "target", "w": "weight", "p_w": "pos_weight"],
                                       reduction: "mean over i", settings: [[:], ["pos_weight": "[2]", "weight": "[0.5]"]]), elements: "i"),
        GradientBinding(FormulaBinding(loss: "cross-entropy", formulas: [0],
                                       where: ["p_{i,c}": "probability", "q_{i,c}": "target one-hot", "C": "size c"],
                                       reduction: "mean over i"), elements: "i, c"),
        GradientBinding(FormulaBinding(loss: "focal", formulas: [1, 2],
                                       where: ["p_{i,c}": "probability", "t_{i,c}": "target one-hot", #"\alpha_c"#: "alpha",
                                               #"\gamma"#: "gamma"],
                                       reduction: "mean over i", settings: [[:], ["gamma": "0.5", "alpha": "[0.25, 0.5, 0.25]"]]),
                        elements: "i, j=c"),
        GradientBinding(FormulaBinding(loss: "dice", formulas: [0, 1, 2, 3, 4, 5],
                                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", "s_{nr}": "smooth_nr",
                                               "s_{dr}": "smooth_dr"],
                                       reduction: "mean over n,c",
                                       settings: [["activation": "none"], ["activation": "none", "smooth_nr": "0.5", "smooth_dr": "1"]]),
                        elements: "n, c, i"),
        GradientBinding(FormulaBinding(loss: "tversky", formulas: [0, 1, 2, 3, 4, 5],
                                       where: ["p_{n,c,i}": "probability", "g_{n,c,i}": "target one-hot", #"\alpha"#: "alpha",
                                               #"\beta"#: "beta", "s_{nr}": "smooth_nr", "s_{dr}": "smooth_dr"],
                                       reduction: "mean over n,c",
                                       settings: [["activation": "none"], ["activation": "none", "alpha": "0.3", "beta": "0.7"]]),
                        elements: "n, c, i"),
        GradientBinding(FormulaBinding(loss: "l1", formulas: [0], where: ["x_i": "input", "y_i": "target"], reduction: "mean over i"),
                        elements: "i"),
        GradientBinding(FormulaBinding(loss: "log-cosh", formulas: [0], where: ["x_i": "input", "y_i": "target"], reduction: "mean over i"),
                        elements: "i"),
        GradientBinding(FormulaBinding(loss: "exponential", formulas: [0], where: ["f_i": "input", "y_i": "target"], reduction: "mean over i"),
                        elements: "i"),
        GradientBinding(FormulaBinding(loss: "squared-hinge", formulas: [0], where: ["f_i": "input", "y_i": "target"], reduction: "mean over i"),
                        elements: "i"),
        GradientBinding(FormulaBinding(loss: "soft-margin", formulas: [0], where: ["f_i": "input", "y_i": "target"], reduction: "mean over i"),
                        elements: "i"),
        GradientBinding(FormulaBinding(loss: "l1-regularization", formulas: [0], where: ["w_i": "input", #"\lambda"#: "lambda"],
                                       settings: [[:], ["lambda": "0.5"]]), elements: "i"),
        GradientBinding(FormulaBinding(loss: "l2-regularization", formulas: [0], where: ["w_i": "input", #"\lambda"#: "lambda"],
                                       settings: [[:], ["lambda": "0.5"]]), elements: "i"),
    ] + segmentationGradients + classificationGradients + chainGradients + distanceGradients + imageGradients + alignmentGradients
}

/// Checks catalog formulas against the library.
public enum CatalogFormulas {
    public struct Outcome: Sendable {
        public var binding: FormulaBinding
        public var settings: [String: String]
        public var report: FormulaChecker.Report
    }

    /// Checks `binding` on every one of its settings; `formulas` overrides the descriptor's
    /// TeX (to check a mutated formula).
    /// Checks a gradient binding on every one of its settings, with the TeX of its spans.
    public static func checkGradient(_ binding: GradientBinding, formulas: [String],
                                     macros: [String: String] = [:]) throws -> [Outcome] {
        try binding.value.settings.map { settings in
            let loss = try CatalogLoss(id: binding.value.loss, settings: settings)
            return Outcome(binding: binding.value, settings: settings,
                           report: try GradientChecker.check(formula: formulas, binding: binding, loss: loss, macros: macros))
        }
    }

    public static func check(_ binding: FormulaBinding, formulas: [String]? = nil,
                             macros: [String: String] = [:]) throws -> [Outcome] {
        let descriptor = try Catalog.descriptor(for: binding.loss)
        let tex = try formulas ?? binding.formulas.map { index in
            guard descriptor.formulas.indices.contains(index) else {
                throw FormulaError("'\(binding.loss)' has \(descriptor.formulas.count) formulas; there is no formula \(index)")
            }
            return descriptor.formulas[index]
        }
        return try binding.settings.map { settings in
            let loss = try CatalogLoss(id: binding.loss, settings: settings)
            return Outcome(binding: binding, settings: settings,
                           report: try FormulaChecker.check(formula: tex, binding: binding, loss: loss, macros: macros))
        }
    }
}
