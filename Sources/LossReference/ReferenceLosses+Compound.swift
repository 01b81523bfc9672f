import Foundation

/// Compound losses: weighted sums of the reference's own region and distribution losses.
extension ReferenceLosses {
    /// The Dice options the MONAI-style compounds share (dice's parameters but weight,
    /// activation and reduction).
    static let compoundDiceDefaults: [String: RefParameter] = [
        "include_background": .bool(true), "smooth_nr": .number(1e-5), "smooth_dr": .number(1e-5),
        "squared_pred": .bool(false), "jaccard": .bool(false), "batch": .bool(false),
        "activation": .string("softmax"), "reduction": .string("mean"), "weight": .numbers([]),
    ]

    static var compoundEntries: [Entry] {
        [
            Entry(id: "dice-ce", defaults: compoundDiceDefaults.merging([
                "label_smoothing": .number(0), "lambda_dice": .number(1), "lambda_ce": .number(1),
            ]) { $1 }) { input, target, p in
                try diceCE(input, target, p)
            },
            Entry(id: "dice-focal", defaults: compoundDiceDefaults.merging([
                "gamma": .number(2), "alpha": .numbers([]), "lambda_dice": .number(1), "lambda_focal": .number(1),
            ]) { $1 }) { input, target, p in
                try diceFocal(input, target, p)
            },
            Entry(id: "dice-topk", defaults: compoundDiceDefaults.merging([
                "include_background": .bool(false), "k": .number(10), "lambda_dice": .number(1), "lambda_topk": .number(1),
            ]) { $1 }) { input, target, p in
                let (full, diceWeights) = try compoundWeights(input, p)
                let dice = try component("dice", input, target, p, ["weight": .numbers(diceWeights)])
                let topk = try component("topk", input, target, p, ["weight": .numbers(full)])
                return RefArray(scalar: try p.number("lambda_dice") * dice + (try p.number("lambda_topk")) * topk)
            },
            Entry(id: "exp-log", defaults: [
                "w_dice": .number(0.8), "w_cross": .number(0.2), "gamma_dice": .number(0.3), "gamma_cross": .number(0.3),
                "weight": .numbers([]), "include_background": .bool(true), "smooth_nr": .number(1), "smooth_dr": .number(1),
                "batch": .bool(false), "activation": .string("softmax"), "reduction": .string("mean"),
            ]) { input, target, p in
                try expLog(input, target, p)
            },
            Entry(id: "combo", defaults: [
                "alpha": .number(0.5), "beta": .number(0.5), "include_background": .bool(true), "smooth_nr": .number(1e-5),
                "smooth_dr": .number(1e-5), "batch": .bool(false), "activation": .string("softmax"), "reduction": .string("mean"),
            ]) { input, target, p in
                try combo(input, target, p)
            },
        ]
    }

    /// Evaluates a component loss with the compound's values for the parameters it has (then
    /// `overrides`), its own defaults for the rest; returns the reduced scalar.
    static func component(_ id: String, _ input: RefArray, _ target: RefArray?, _ p: RefParameters,
                          _ overrides: [String: RefParameter] = [:]) throws -> Double {
        let component = try entry(id)
        var values: [String: RefParameter] = [:]
        for name in component.defaults.keys {
            if let v = p.values[name] ?? p.defaults[name] { values[name] = v }
        }
        for (name, value) in overrides { values[name] = value }
        let result = try component.evaluate(input, target, try RefParameters(values, defaults: component.defaults))
        guard let scalar = result.scalar else { throw ReferenceError.invalidInput("\(id) returned \(result.shape)") }
        return scalar
    }

    /// The compounds' `weight`: empty, one value for every class, or C values (background
    /// included). Returns the per-class list for the cross-entropy term and the Dice term's
    /// (without the first when the background is excluded and C > 1).
    static func compoundWeights(_ input: RefArray, _ p: RefParameters) throws -> (full: [Double], dice: [Double]) {
        let weight = try p.numbers("weight")
        let C = input.shape.count > 1 ? input.shape[1] : 1
        if weight.isEmpty { return ([], []) }
        let full: [Double]
        if weight.count == 1 { full = Array(repeating: weight[0], count: C) }
        else if weight.count == C { full = weight }
        else { throw ReferenceError.invalidParameter(name: "weight", message: "needs 1 or \(C) values") }
        let keepAll = (try p.bool("include_background")) || C == 1
        return (full, keepAll ? full : Array(full.dropFirst()))
    }

    /// MONAI `DiceCELoss`: `λ_dice · Dice loss + λ_ce · CE`, the cross entropy on the logits
    /// (softmax cross entropy for C > 1 whatever the activation, log p for `none`), binary cross
    /// entropy with `pos_weight = weight` for C = 1.
    static func diceCE(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let (full, diceWeights) = try compoundWeights(input, p)
        let activation = try p.activation()
        let dice = try component("dice", input, target, p, ["weight": .numbers(diceWeights)])
        let ce: Double
        if input.shape[1] == 1 {
            guard activation == .sigmoid else { throw ReferenceError.invalidInput("one channel needs activation sigmoid") }
            var binaryTarget = target
            if let t = target, t.shape != input.shape { binaryTarget = try RefArray(shape: input.shape, data: t.data) }
            ce = try component("binary-cross-entropy", input, binaryTarget, p,
                               ["weight": .numbers([]), "pos_weight": .numbers(full), "activation": .string("sigmoid")])
        } else {
            ce = try component("cross-entropy", input, target, p,
                               ["weight": .numbers(full), "activation": .string(activation == .none ? "none" : "softmax")])
        }
        return RefArray(scalar: try p.number("lambda_dice") * dice + (try p.number("lambda_ce")) * ce)
    }

    /// MONAI `DiceFocalLoss` (1.6): `λ_dice · Dice loss + λ_focal · F`. MONAI builds its focal
    /// term without `use_softmax`, so F is the *sigmoid* focal loss on the raw logits and the
    /// one-hot target of the kept channels, whatever the Dice activation (see
    /// notes/REVIEW-dice-focal.md): per element `α_t (1 − p_t)^γ BCE(x, t)`, p = σ(x) of the input
    /// taken as logits even with `activation: none` (as the catalog documents),
    /// α_t = α_c t + (1 − α_c)(1 − t) (`focal`'s sigmoid rule), times the kept channel's `weight`;
    /// the mean over all N·C′·S elements (`sum`: Σ over (n, c) of the spatial mean).
    static func diceFocal(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let dice = try component("dice", input, target, p)
        let focal = try monaiSigmoidFocal(input, target, p, alpha: try p.numbers("alpha"))
        return RefArray(scalar: try p.number("lambda_dice") * dice + (try p.number("lambda_focal")) * focal)
    }

    /// The focal term of MONAI's segmentation compounds (see ``diceFocal``), reduced.
    static func monaiSigmoidFocal(_ input: RefArray, _ target: RefArray?, _ p: RefParameters, alpha: [Double]) throws -> Double {
        let scores = try RefClassScores(input, activation: .sigmoid)
        let dense = try RefClassTarget(target, for: scores)
        let C = scores.channels
        let kept = (try p.bool("include_background")) || C == 1 ? Array(0..<C) : Array(1..<C)
        let gamma = try p.number("gamma"), weight = try p.numbers("weight")
        guard alpha.count <= 1 || alpha.count == kept.count, weight.count <= 1 || weight.count == kept.count else {
            throw ReferenceError.invalidParameter(name: "alpha", message: "alpha and weight need 1 or \(kept.count) values")
        }
        var total = 0.0
        for n in 0..<scores.batch {
            for s in 0..<scores.spatial {
                for (k, c) in kept.enumerated() {
                    let i = scores.at(n, c, s), t = dense.t[i], prob = scores.p[i]
                    let oneMinusPt = prob * (1 - t) + (1 - prob) * t
                    var value = (gamma == 0 ? 1 : pow(oneMinusPt, gamma)) * -(t * scores.logP[i] + (1 - t) * scores.logOneMinusP[i])
                    if !alpha.isEmpty {
                        let a = alpha.count == 1 ? alpha[0] : alpha[k]
                        value *= a * t + (1 - a) * (1 - t)
                    }
                    if !weight.isEmpty { value *= weight.count == 1 ? weight[0] : weight[k] }
                    total += value
                }
            }
        }
        switch try p.reduction() {
        case .mean: return total / Double(scores.batch * kept.count * scores.spatial)
        case .sum: return total / Double(scores.spatial)
        case .none: throw ReferenceError.invalidParameter(name: "reduction", message: "none is not available")
        }
    }

    /// Exponential logarithmic loss (Wong et al. 2018):
    /// `w_dice · E_{n,c}[(−ln Dice_{n,c})^{γ_dice}] + w_cross · E_i[w_i (−ln p_{i,y_i})^{γ_cross}]`,
    /// Dice_{n,c} = (2 Σ p g + s_nr)/(Σ p + Σ g + s_dr) per (sample, kept class) (per class with
    /// batch); for a dense target −Σ_c t_c ln p_c and w_i = Σ_c t_c w_c. `sum` adds instead of
    /// averaging. A term whose base is ≤ 0 (a perfect entry or position) counts 0.
    static func expLog(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let (rows, classes, table) = try overlapTable(scores, dense, p)
        let gammaDice = try p.number("gamma_dice"), gammaCross = try p.number("gamma_cross")
        var weight = try p.numbers("weight")
        if weight.isEmpty { weight = Array(repeating: 1, count: scores.channels) }
        guard weight.count == scores.channels else { throw ReferenceError.invalidParameter(name: "weight", message: "needs C values") }
        var diceTerms: [Double] = []
        for row in 0..<rows {
            for k in classes.indices {
                let t = table[row][k]
                let dice = (2 * t.tp + t.smoothNr) / (t.pSum + t.g + t.smoothDr)
                diceTerms.append(pow(max(0, -log(dice)), gammaDice))
            }
        }
        var crossTerms: [Double] = []
        for n in 0..<scores.batch {
            for s in 0..<scores.spatial {
                var crossEntropy = 0.0, w = 0.0
                for c in 0..<scores.channels {
                    let t = dense.t[scores.at(n, c, s)]
                    if t != 0 {
                        crossEntropy -= t * scores.logP[scores.at(n, c, s)]
                        w += t * weight[c]
                    }
                }
                crossTerms.append(w * pow(max(0, crossEntropy), gammaCross))
            }
        }
        let mean = try p.reduction() == .mean
        let dicePart = diceTerms.reduce(0, +) / (mean ? Double(diceTerms.count) : 1)
        let crossPart = crossTerms.reduce(0, +) / (mean ? Double(crossTerms.count) : 1)
        return RefArray(scalar: try p.number("w_dice") * dicePart + (try p.number("w_cross")) * crossPart)
    }

    /// Combo loss (Taghanaki et al. 2019), offset to be 0 at perfection:
    /// `α · L_βCE + (1 − α) · Dice loss`, `L_βCE = −mean_j[β g_j ln p_j + (1 − β)(1 − g_j) ln(1 − p_j)]`
    /// over every element of the kept channels, the Dice loss `dice`'s (MONAI smoothing, no weight);
    /// `sum` adds both terms instead.
    static func combo(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let alpha = try p.number("alpha"), beta = try p.number("beta")
        let kept = try keptClasses(scores.channels, p)
        var crossEntropy = 0.0
        for n in 0..<scores.batch {
            for c in kept {
                for s in 0..<scores.spatial {
                    let i = scores.at(n, c, s), g = dense.t[i]
                    // 0 · ln 0 = 0: a term whose coefficient is 0 adds nothing, even where p is exactly 0 or 1.
                    if g != 0 { crossEntropy -= beta * g * scores.logP[i] }
                    if g != 1 { crossEntropy -= (1 - beta) * (1 - g) * scores.logOneMinusP[i] }
                }
            }
        }
        if try p.reduction() == .mean { crossEntropy /= Double(scores.batch * kept.count * scores.spatial) }
        let dice = try component("dice", input, target, p, ["weight": .numbers([])])
        return RefArray(scalar: alpha * crossEntropy + (1 - alpha) * dice)
    }
}
