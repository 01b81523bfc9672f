import FormulaCheck
import Losses

/// The reference prose's partial derivatives with respect to an intermediate quantity (the
/// boxes' intersection I, the union's area A, …), bound to a central difference of the loss's own
/// value formula written in that intermediate (`PartialBinding`): the descriptor formulas each
/// reads (`definitions`) are the ones `CatalogBindings.all` checks against `Losses`, and the
/// checker compares the rewritten formula with `Losses` on every probe before differentiating it.
extension CatalogBindings {
    /// The boxes' coordinates and ε (as the value bindings), A^g the target box's area as the prose
    /// names A the predicted one's.
    private static let boxPartialSymbols: [(symbol: String, source: String)] = [
        ("x_{k,n}", "box x"), ("y_{k,n}", "box y"), ("x_{k,n}^g", "target box x"), ("y_{k,n}^g", "target box y"), (#"\epsilon"#, "eps"),
        ("A^g", "= (x_2^g - x_1^g)(y_2^g - y_1^g)"),
    ]

    /// U written in A (the predicted box's area, the prose's span) and I, for ∂ℓ/∂A.
    private static let unionInArea: (symbol: String, source: String) = ("U", "= A + A^g - I")

    /// A as giou's prose names it in words ("A the predicted box's area"); box-iou's prose writes it as a span.
    private static let predictedArea: (symbol: String, source: String) = ("A", "= (x_2 - x_1)(y_2 - y_1)")

    private static func boxPartial(_ loss: String, spans: [Int], variable: String, replacing: [String] = [],
                                   area: Bool = false) -> PartialBinding {
        PartialBinding(FormulaBinding(loss: loss, formulas: spans, evaluate: nil,
                                      symbols: boxPartialSymbols + (area ? [predictedArea] : []) + (replacing.contains("U") ? [unionInArea] : []),
                                      reduction: .sum(["n"]), settings: [[:], ["eps": "0.01"]]),
                       definitions: [0, 1], variable: variable, elements: "n", replacing: replacing)
    }

    public static let partials: [PartialBinding] = [
        // box-iou's spans: 0 D = U + ε, 1 ∂ℓ/∂I, 2 ∂ℓ/∂A, 3 A = (x₂ − x₁)(y₂ − y₁).
        boxPartial("box-iou", spans: [0, 1, 3], variable: "I"),
        boxPartial("box-iou", spans: [0, 2, 3], variable: "A", replacing: ["U"]),
        // giou's: 0 D = U + ε, 1 E = C + ε, 2 ∂ℓ/∂I, 3 ∂ℓ/∂A, 4 ∂ℓ/∂C (A in words).
        boxPartial("giou", spans: [0, 1, 2], variable: "I"),
        boxPartial("giou", spans: [0, 1, 3], variable: "A", replacing: ["U"], area: true),
        boxPartial("giou", spans: [0, 1, 4], variable: "C"),
        // ciou's spans: 3 θ = arctan(w/h), 5 ∂θ/∂w, 6 ∂θ/∂h, 7 w = x₂ − x₁, 8 h = y₂ − y₁. What is
        // differentiated is the prose's θ (the arctan(w/h) of formula 1, which is checked); θ is
        // not the loss, so only the calculus is checked here.
        // ∂v/∂θ (span 4): v is formula 1 (checked) with w written through θ, w = h tan θ, so that
        // arctan(w/h) is θ (h > 0 on every probe) and v is moved by θ alone.
        PartialBinding(FormulaBinding(loss: "ciou", formulas: [3, 4], evaluate: nil,
                                      symbols: [("w_n", "box width"), ("h_n", "box height"), ("w_n^g", "target box width"),
                                                ("h_n^g", "target box height"), (#"\theta^g"#, #"= \arctan(w^g/h^g)"#),
                                                ("w", #"= h\tan\theta"#)],
                                      reduction: .sum(["n"]), settings: [[:]]),
                       definitions: [1], function: "v", variable: #"\theta"#, elements: "n", replacing: ["w"], isLoss: false),
        ciouAngle(span: 5, variable: "w"),
        // exp-log's span 0, ∂(−ln D)^γ/∂D: formula 1's L_Dice (checked) written in the per-(n, c)
        // Dice D (its fraction, as formula 1 writes it), without the max(0, ·) that D ≤ 1 leaves
        // inactive; L_Dice averages the term over n, c. γ ≥ 1: at γ < 1 the term's slope is
        // unbounded as D → 1 (the confident probes) and a central difference is no reference there.
        PartialBinding(FormulaBinding(loss: "exp-log", formulas: [0], evaluate: nil,
                                      symbols: [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"), ("s_{nr}", "smooth_nr"),
                                                ("s_{dr}", "smooth_dr"), ("N", "size n"), ("C", "size c"),
                                                (#"\gamma_{\text{dice}}"#, "gamma_dice"), (#"\gamma"#, "gamma_dice"),
                                                ("D_{n,c}", #"= \frac{2\sum_i p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_i \left(p_{n,c,i} + g_{n,c,i}\right) + s_{dr}}"#),
                                                (#"\mathcal{L}_{\text{Dice}}"#, #"= \frac{1}{NC}\sum_{n,c}\left(-\ln D_{n,c}\right)^{\gamma_{\text{dice}}}"#)],
                                      reduction: .none, settings: [["gamma_dice": "1"], ["gamma_dice": "2", "smooth_nr": "0.5", "smooth_dr": "1"]]),
                       definitions: [1], function: #"\mathcal{L}_{\text{Dice}}"#, variable: "D_{n,c}", elements: "n, c",
                       replacing: [#"\mathcal{L}_{\text{Dice}}"#], isLoss: false, averagedOver: "n, c"),
        ciouAngle(span: 6, variable: "h"),
        // lovasz-softmax's span 1, ∂m_i/∂p_i: formula 0's error m_i(c) = |g_{i,c} − p_{i,c}| (checked),
        // summed over every class and position (the batch pooled), moved by one p_{i,c} at a time.
        PartialBinding(FormulaBinding(loss: "lovasz-softmax", formulas: [1], evaluate: nil,
                                      symbols: [("p_{i,c}", "probability over b,c,i pooling b into i"),
                                                ("g_{i,c}", "target one-hot over b,c,i pooling b into i"), ("n", "size i"),
                                                ("M", #"= \sum_{c}\sum_{i} m_{i,c}"#)],
                                      reduction: .none, settings: [["per_image": "false", "activation": "none"]]),
                       definitions: [0], function: "M", variable: "p_{i,c}", elements: "c, i", isLoss: false),
        // unified-focal's spans: 0 P = clip(p, ε, 1 − 2⁻²³), 6 ∂D/∂P_i; D_{n,c} is formula 2's
        // (with formula 3's TP, FN, FP), moved by one P_{n,c,i} at a time.
        PartialBinding(FormulaBinding(loss: "unified-focal", formulas: [0, 6], evaluate: nil,
                                      symbols: [("p_{n,c,i}", "probability"), ("g_{n,c,i}", "target one-hot"), ("w", "weight"),
                                                (#"\gamma"#, "gamma"), (#"\delta"#, "delta"), (#"\epsilon"#, "1e-7"), ("N", "size n"),
                                                ("S", "size i"), tverskyDenominator],
                                      reduction: .sum(["n", "c"]),
                                      settings: [["to_onehot_y": "true"], ["to_onehot_y": "true", "gamma": "0.8", "delta": "0.4"]]),
                       definitions: [2, 3], function: "D", variable: "P_{n,c,i}", elements: "n, c, i", isLoss: false),
    ] + topologyPartials + distancePartials + wassersteinPartials + imagePartials

    /// "The Tversky denominator is δΣg + (1 − δ)ΣP + ε": the prose's span writes it without its
    /// indices and without a name; the partial calls it den.
    private static let tverskyDenominator: (symbol: String, source: String) =
        (#"\text{den}"#, #"= \delta\sum_i g_{n,c,i} + (1 - \delta)\sum_i P_{n,c,i} + \epsilon"#)

    private static func ciouAngle(span: Int, variable: String) -> PartialBinding {
        PartialBinding(FormulaBinding(loss: "ciou", formulas: [3, span, 7, 8], evaluate: nil,
                                      symbols: [("x_{k,n}", "box x"), ("y_{k,n}", "box y")], reduction: .sum(["n"]), settings: [[:]]),
                       definitions: [], function: #"\theta"#, variable: variable, elements: "n", isLoss: false)
    }
}

extension CatalogFormulas {
    /// Checks a partial binding on every one of its settings, with the TeX of its spans.
    public static func checkPartial(_ binding: PartialBinding, spans: [String], macros: [String: String] = [:]) throws -> [Outcome] {
        let descriptor = try Catalog.descriptor(for: binding.value.loss)
        let definitions = try binding.definitions.map { index in
            guard descriptor.formulas.indices.contains(index) else {
                throw FormulaError("'\(binding.value.loss)' has \(descriptor.formulas.count) formulas; there is no formula \(index)")
            }
            return descriptor.formulas[index]
        }
        return try binding.value.settings.map { settings in
            let loss = try CatalogLoss(id: binding.value.loss, settings: settings)
            return Outcome(binding: binding.value, settings: settings,
                           report: try PartialChecker.check(definitions: definitions, spans: spans, binding: binding, loss: loss, macros: macros))
        }
    }

    /// A check of the gradient section: the library's gradient (`CatalogBindings.gradients`) or a
    /// partial by an intermediate (`CatalogBindings.partials`).
    public struct ProseGradient: Sendable {
        public var loss: String
        /// The section's spans it reads.
        public var formulas: [Int]
        /// What a disagreement is measured against, for messages.
        public var against: String
        /// Names the value it is compared with (`Losses computes`).
        public var expected: String
        let check: @Sendable ([String], [String: String]) throws -> [Outcome]

        public func check(_ spans: [String], macros: [String: String] = [:]) throws -> [Outcome] { try check(spans, macros) }
    }

    /// The gradient section's checks of a loss.
    public static func proseGradients(of loss: String) -> [ProseGradient] {
        CatalogBindings.gradients.filter { $0.value.loss == loss }.map { binding in
            ProseGradient(loss: loss, formulas: binding.value.formulas, against: "the library's gradient", expected: "Losses computes") {
                try checkGradient(binding, formulas: $0, macros: $1)
            }
        } + CatalogBindings.partials.filter { $0.value.loss == loss }.map { binding in
            ProseGradient(loss: loss, formulas: binding.value.formulas,
                          against: "the central difference of the value formula in \(binding.variable)",
                          expected: "the difference (or the value, at the probe) is") {
                try checkPartial(binding, spans: $0, macros: $1)
            }
        }
    }
}
