import Foundation

/// Overlap (region) losses: per-(sample, class) sums of soft true positives, false positives
/// and false negatives, a ratio per class, then the reduction over samples × classes
/// (MONAI's convention: `mean` averages the `[N, C]` table, `none` returns it).
extension ReferenceLosses {
    static let classScoreDefaults: [String: RefParameter] = [
        "reduction": .string("mean"), "activation": .string("softmax"),
    ]

    static let overlapDefaults: [String: RefParameter] = classScoreDefaults.merging([
        "include_background": .bool(true), "batch": .bool(false),
        "smooth_nr": .number(1e-5), "smooth_dr": .number(1e-5),
    ]) { $1 }

    static let diceDefaults: [String: RefParameter] = overlapDefaults.merging([
        "squared_pred": .bool(false), "jaccard": .bool(false), "weight": .numbers([]),
        "ignore_index": .number(-100), "soft_label": .bool(false),
    ]) { $1 }

    static var regionEntries: [Entry] {
        [
            // Brosch et al.: r on the foreground (sensitivity) term; smoothing in the denominators only.
            Entry(id: "sensitivity-specificity", defaults: classScoreDefaults.merging([
                "include_background": .bool(true), "batch": .bool(false), "smooth_dr": .number(1e-5), "r": .number(0.05),
            ]) { $1 }) { input, target, p in
                let r = try p.number("r"), smooth = try p.number("smooth_dr")
                return try overlap(input, target, p) { t in
                    r * t.squaredErrorOnForeground / (t.g + smooth) + (1 - r) * t.squaredErrorOnBackground / (t.notG + smooth)
                }
            },
            Entry(id: "dice", defaults: diceDefaults) { input, target, p in
                let jaccard = try p.bool("jaccard")
                return try overlap(input, target, p, squared: try p.bool("squared_pred")) { t in
                    let denominator = jaccard ? 2 * (t.pSum + t.g - t.tp) : t.pSum + t.g
                    return 1 - (2 * t.tp + t.smoothNr) / (denominator + t.smoothDr)
                }
            },
            Entry(id: "iou", defaults: overlapDefaults) { input, target, p in
                try overlap(input, target, p) { t in
                    1 - (t.tp + t.smoothNr) / (t.pSum + t.g - t.tp + t.smoothDr)
                }
            },
            Entry(id: "lovasz-softmax", defaults: classScoreDefaults.merging([
                "per_image": .bool(false), "classes": .string("present"), "ignore_index": .number(-100),
            ]) { $1 }) { input, target, p in
                try lovaszSoftmax(input, target, p)
            },
            Entry(id: "tversky", defaults: overlapDefaults.merging([
                "alpha": .number(0.5), "beta": .number(0.5), "ignore_index": .number(-100), "soft_label": .bool(false),
            ]) { $1 }) { input, target, p in
                let alpha = try p.number("alpha"), beta = try p.number("beta")
                return try overlap(input, target, p) { t in
                    1 - (t.tp + t.smoothNr) / (t.tp + alpha * t.fp + beta * t.fn + t.smoothDr)
                }
            },
            Entry(id: "generalized-dice", defaults: overlapDefaults.merging(["w_type": .string("square"), "soft_label": .bool(false)]) { $1 }) { input, target, p in
                try generalizedDice(input, target, p, penalty: nil)
            },
            // Abraham & Khan: (1 − TI)^{1/γ}, α on FP, β on FN.
            Entry(id: "focal-tversky", defaults: overlapDefaults.merging([
                "alpha": .number(0.3), "beta": .number(0.7), "gamma": .number(4.0 / 3.0),
            ]) { $1 }) { input, target, p in
                let alpha = try p.number("alpha"), beta = try p.number("beta"), gamma = try p.number("gamma")
                return try overlap(input, target, p) { t in
                    let index = (t.tp + t.smoothNr) / (t.tp + alpha * t.fp + beta * t.fn + t.smoothDr)
                    return pow(1 - index, 1 / gamma)
                }
            },
            Entry(id: "asymmetric", defaults: overlapDefaults.merging(["beta": .number(1.5)]) { $1 }) { input, target, p in
                let b2 = pow(try p.number("beta"), 2)
                return try overlap(input, target, p) { t in
                    1 - ((1 + b2) * t.tp + t.smoothNr) / ((1 + b2) * t.tp + b2 * t.fn + t.fp + t.smoothDr)
                }
            },
            Entry(id: "penalty-generalized-dice",
                  defaults: overlapDefaults.merging(["w_type": .string("square"), "k": .number(2.5), "soft_label": .bool(false)]) { $1 }) { input, target, p in
                try generalizedDice(input, target, p, penalty: try p.number("k"))
            },
        ]
    }

    /// The per-(sample, class) sums an overlap ratio is made of.
    struct OverlapTerms {
        /// Σ p g, Σ p (or Σ p² when squared), Σ g (or Σ g²), Σ p (1 − g), Σ (1 − p) g, Σ (1 − g).
        var tp = 0.0, pSum = 0.0, g = 0.0, fp = 0.0, fn = 0.0, notG = 0.0
        /// Σ min(p, g), MONAI's soft-label true positives.
        var softTP = 0.0
        /// Σ (g − p)² g and Σ (g − p)² (1 − g).
        var squaredErrorOnForeground = 0.0, squaredErrorOnBackground = 0.0
        var smoothNr = 0.0, smoothDr = 0.0
    }

    /// Class probabilities and the dense target, with the classes a loss keeps.
    static func probabilitiesAndTarget(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> (RefClassScores, RefClassTarget) {
        let scores = try RefClassScores(input, activation: try p.activation())
        // MONAI 1.6's `ignore_index` for the overlap losses that have it: a label equal to it takes
        // part in no class; with a dense target, a valid class index leaves out the positions
        // where that channel is non-zero; with one channel the target is a label map.
        let ignoreIndex: Int? = p.defaults["ignore_index"] == nil ? nil : Int(try p.number("ignore_index"))
        var dense = try RefClassTarget(target, for: scores, ignoreIndex: ignoreIndex)
        if let ignoreIndex, dense.labels == nil {
            for n in 0..<scores.batch {
                for s in 0..<scores.spatial {
                    if scores.channels == 1 {
                        if dense.t[scores.at(n, 0, s)] == Double(ignoreIndex) {
                            dense.counts[n * scores.spatial + s] = false
                            dense.t[scores.at(n, 0, s)] = 0
                        }
                    } else if (0..<scores.channels).contains(ignoreIndex), dense.t[scores.at(n, ignoreIndex, s)] != 0 {
                        dense.counts[n * scores.spatial + s] = false
                    }
                }
            }
        }
        return (scores, dense)
    }

    /// The classes that take part: all, or all but channel 0 when `include_background` is false
    /// (and C > 1, as MONAI).
    static func keptClasses(_ channels: Int, _ p: RefParameters) throws -> [Int] {
        let includeBackground = try p.bool("include_background")
        return includeBackground || channels == 1 ? Array(0..<channels) : Array(1..<channels)
    }

    /// Sums per (sample, kept class), or per kept class over the whole batch when `batch`.
    static func overlapTable(_ scores: RefClassScores, _ target: RefClassTarget, _ p: RefParameters,
                             squared: Bool = false) throws -> (rows: Int, classes: [Int], terms: [[OverlapTerms]]) {
        let classes = try keptClasses(scores.channels, p)
        let batch = try p.bool("batch")
        var softLabel = false
        if !squared, p.defaults["soft_label"] != nil { softLabel = try p.bool("soft_label") }
        let rows = batch ? 1 : scores.batch
        var table = Array(repeating: Array(repeating: OverlapTerms(), count: classes.count), count: rows)
        for n in 0..<scores.batch {
            let row = batch ? 0 : n
            for (k, c) in classes.enumerated() {
                for s in 0..<scores.spatial where target.counts[n * scores.spatial + s] {
                    let i = scores.at(n, c, s)
                    let prob = scores.p[i], g = target.t[i]
                    table[row][k].tp += prob * g
                    table[row][k].softTP += min(prob, g)
                    table[row][k].pSum += squared ? prob * prob : prob
                    table[row][k].g += squared ? g * g : g
                    table[row][k].fp += prob * (1 - g)
                    table[row][k].fn += (1 - prob) * g
                    table[row][k].notG += 1 - g
                    table[row][k].squaredErrorOnForeground += (g - prob) * (g - prob) * g
                    table[row][k].squaredErrorOnBackground += (g - prob) * (g - prob) * (1 - g)
                }
                if softLabel {
                    // MONAI's soft_label: tp = Σ min(p, g), fp = Σp − tp, fn = Σg − tp (equal to the
                    // products for 0/1 targets).
                    table[row][k].tp = table[row][k].softTP
                    table[row][k].fp = table[row][k].pSum - table[row][k].softTP
                    table[row][k].fn = table[row][k].g - table[row][k].softTP
                }
                table[row][k].smoothNr = p.defaults["smooth_nr"] == nil ? 0 : try p.number("smooth_nr")
                table[row][k].smoothDr = p.defaults["smooth_dr"] == nil ? 0 : try p.number("smooth_dr")
            }
        }
        return (rows, classes, table)
    }

    /// A per-(sample, class) overlap loss, optionally class-weighted (`weight`, MONAI: the
    /// weight multiplies each class's term, the mean still divides by the number of classes).
    static func overlap(_ input: RefArray, _ target: RefArray?, _ p: RefParameters, squared: Bool = false,
                        _ f: (OverlapTerms) -> Double) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let (rows, classes, table) = try overlapTable(scores, dense, p, squared: squared)
        // MONAI applies class weights only when more than one class takes part.
        let weight = p.defaults["weight"] == nil || classes.count == 1 ? [] : try p.numbers("weight")
        if weight.count > 1 && weight.count != classes.count {
            throw ReferenceError.invalidParameter(name: "weight", message: "needs one value per kept class (\(classes.count))")
        }
        var values: [Double] = []
        for row in 0..<rows {
            for k in classes.indices {
                let w = weight.isEmpty ? 1 : (weight.count == 1 ? weight[0] : weight[k])
                values.append(w * f(table[row][k]))
            }
        }
        // `[N, C′]`, or `[C′]` with batch: MONAI's values with its singleton spatial axes squeezed.
        let shape = (try p.bool("batch")) ? [classes.count] : [rows, classes.count]
        return RefMath.reduce(values, shape: shape, try p.reduction())
    }

    /// Generalised Dice (Sudre et al.; MONAI `GeneralizedDiceLoss`): class weights
    /// `w_c = 1/(Σ g_c)²` (`square`), `1/Σ g_c` (`simple`) or 1 (`uniform`); an infinite weight
    /// (absent class) is replaced by the largest finite weight of its row;
    /// `GD = (2 Σ_c w_c I_c + s_nr) / (Σ_c w_c (P_c + G_c) + s_dr)`, loss `1 − GD` per sample.
    /// With `penalty` k (penalty GD): `L / (1 + k (1 − L))`, L = 1 − GD. `none`: `[N]` (`[1]` with batch).
    static func generalizedDice(_ input: RefArray, _ target: RefArray?, _ p: RefParameters, penalty k: Double?) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let (rows, classes, table) = try overlapTable(scores, dense, p)
        let wType = try p.string("w_type")
        var values: [Double] = []
        for row in 0..<rows {
            var w = classes.indices.map { k -> Double in
                let g = table[row][k].g
                switch wType {
                case "simple": return 1 / g
                case "uniform": return 1
                default: return 1 / (g * g)
                }
            }
            let largestFinite = w.filter { $0.isFinite }.max() ?? 0
            w = w.map { $0.isFinite ? $0 : largestFinite }
            var numerator = 0.0, denominator = 0.0
            for k in classes.indices {
                numerator += w[k] * table[row][k].tp
                denominator += w[k] * (table[row][k].pSum + table[row][k].g)
            }
            let gd = (2 * numerator + (try p.number("smooth_nr"))) / (denominator + (try p.number("smooth_dr")))
            let loss = 1 - gd
            // Penalty GD (Yang et al.): L_GD / (1 + k (1 − L_GD)).
            if let k { values.append(loss / (1 + k * (1 - loss))) } else { values.append(loss) }
        }
        return RefMath.reduce(values, shape: [rows], try p.reduction())
    }

    /// Lovász-Softmax (Berman et al. 2018): per class c, sort the errors `m_i = |g_i − p_i|`
    /// decreasingly (equal errors in position order), and weight them by the increments of the
    /// Jaccard set function `Δ(S) = |S| / |G ∪ S|` along that order (S the first i pixels, G the
    /// foreground `g = 1`): `loss_c = Σ_i m_(i) (Δ({1..i}) − Δ({1..i−1}))`. Mean over classes
    /// (`present`: those with foreground), once over the batch (`none`: shape [1]) or per image
    /// (`per_image`, `none`: [N]). Ignored positions are left out; an empty group scores 0.
    static func lovaszSoftmax(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let scores = try RefClassScores(input, activation: try p.activation())
        let dense = try RefClassTarget(target, for: scores, ignoreIndex: Int(try p.number("ignore_index")))
        let perImage = try p.bool("per_image"), onlyPresent = try p.string("classes") == "present"
        let groups: [[Int]] = perImage ? (0..<scores.batch).map { [$0] } : [Array(0..<scores.batch)]
        var values: [Double] = []
        for group in groups {
            var classLosses: [Double] = []
            for c in 0..<scores.channels {
                var errors: [(error: Double, foreground: Bool)] = []
                for n in group {
                    for s in 0..<scores.spatial where dense.counts[n * scores.spatial + s] {
                        let i = scores.at(n, c, s)
                        errors.append((abs(dense.t[i] - scores.p[i]), dense.t[i] == 1))
                    }
                }
                let foregroundCount = errors.filter(\.foreground).count
                if errors.isEmpty || (onlyPresent && foregroundCount == 0) { continue }
                // A stable sort keeps equal errors in position order.
                let order = errors.indices.sorted { errors[$0].error != errors[$1].error ? errors[$0].error > errors[$1].error : $0 < $1 }
                var previous = 0.0, backgroundSoFar = 0
                var loss = 0.0
                for (rank, i) in order.enumerated() {
                    if !errors[i].foreground { backgroundSoFar += 1 }
                    let jaccard = Double(rank + 1) / Double(foregroundCount + backgroundSoFar)
                    loss += errors[i].error * (jaccard - previous)
                    previous = jaccard
                }
                classLosses.append(loss)
            }
            values.append(classLosses.isEmpty ? 0 : classLosses.reduce(0, +) / Double(classLosses.count))
        }
        return RefMath.reduce(values, shape: [values.count], try p.reduction())
    }
}
