import Foundation

/// Cross-entropy family on class scores `[N, C, spatial…]` (logits through softmax).
extension ReferenceLosses {
    static let crossEntropyDefaults: [String: RefParameter] = [
        "reduction": .string("mean"), "activation": .string("softmax"), "weight": .numbers([]),
        "ignore_index": .number(-100), "label_smoothing": .number(0),
    ]
    static let weightedCrossEntropyDefaults = crossEntropyDefaults.filter { $0.key != "label_smoothing" }

    static var distributionEntries: [Entry] {
        [
            Entry(id: "cross-entropy", defaults: crossEntropyDefaults) { input, target, p in
                try crossEntropy(input, target, p)
            },
            Entry(id: "weighted-cross-entropy", defaults: weightedCrossEntropyDefaults) { input, target, p in
                try crossEntropy(input, target, p, balancedWhenUnweighted: true)
            },
            Entry(id: "topk", defaults: weightedCrossEntropyDefaults.merging(["k": .number(10)]) { $1 }) { input, target, p in
                try topK(input, target, p)
            },
            Entry(id: "topk-threshold", defaults: weightedCrossEntropyDefaults.merging(["threshold": .number(0.7)]) { $1 }) { input, target, p in
                try topKThreshold(input, target, p)
            },
            Entry(id: "focal", defaults: classScoreDefaults.merging(["gamma": .number(2), "alpha": .numbers([])]) { $1 }) { input, target, p in
                try focal(input, target, p)
            },
            Entry(id: "dpce", defaults: crossEntropyDefaults.merging(["spacing": .numbers([])]) { $1 }) { input, target, p in
                try distancePenalizedCrossEntropy(input, target, p)
            },
        ]
    }

    /// Per-position cross entropy with `torch.nn.CrossEntropyLoss` semantics:
    /// class indices `ℓ_i = (1 − ε) w_{y_i} (−log p_{i,y_i}) + (ε/C) Σ_c w_c (−log p_{i,c})`,
    /// `mean` = Σ ℓ_i / Σ_{i not ignored} w_{y_i}; probability targets
    /// `ℓ_i = −Σ_c w_c ((1 − ε) t_{i,c} + ε/C) log p_{i,c}`, `mean` = Σ ℓ_i / (number of positions).
    /// `balancedWhenUnweighted`: without `weight`, `w_c = M / (C M_c)` from the target's class
    /// masses (0 for a class the batch lacks), weighted-cross-entropy's default.
    static func crossEntropyTerms(_ input: RefArray, _ target: RefArray?, _ p: RefParameters, balancedWhenUnweighted: Bool = false)
        throws -> (values: [Double], denominator: Double, counts: [Bool], scores: RefClassScores, target: RefClassTarget) {
        let scores = try RefClassScores(input, activation: try p.activation())
        let ignoreIndex = Int(try p.number("ignore_index"))
        let dense = try RefClassTarget(target, for: scores, ignoreIndex: ignoreIndex)
        let C = scores.channels
        var weight = try p.numbers("weight")
        if weight.isEmpty {
            if balancedWhenUnweighted {
                var mass = Array(repeating: 0.0, count: C)
                for n in 0..<scores.batch {
                    for s in 0..<scores.spatial where dense.counts[n * scores.spatial + s] {
                        for c in 0..<C { mass[c] += dense.t[scores.at(n, c, s)] }
                    }
                }
                let total = mass.reduce(0, +)
                weight = mass.map { $0 > 0 ? total / (Double(C) * $0) : 0 }
            } else {
                weight = Array(repeating: 1, count: C)
            }
        }
        guard weight.count == C else { throw ReferenceError.invalidParameter(name: "weight", message: "needs \(C) values") }
        let epsilon = p.defaults["label_smoothing"] == nil ? 0 : try p.number("label_smoothing")
        var values: [Double] = [], denominator = 0.0
        for n in 0..<scores.batch {
            for s in 0..<scores.spatial {
                let position = n * scores.spatial + s
                guard dense.counts[position] else { values.append(0); continue }
                var loss = 0.0
                if let labels = dense.labels {
                    let y = labels[position]
                    guard y < C else { throw ReferenceError.invalidInput("label \(y) out of range 0..<\(C)") }
                    loss += (1 - epsilon) * weight[y] * -scores.logP[scores.at(n, y, s)]
                    if epsilon > 0 {
                        for c in 0..<C { loss += epsilon / Double(C) * weight[c] * -scores.logP[scores.at(n, c, s)] }
                    }
                    denominator += weight[y]
                } else {
                    for c in 0..<C {
                        let t = (1 - epsilon) * dense.t[scores.at(n, c, s)] + epsilon / Double(C)
                        // 0 · log 0 = 0: a class with zero target mass adds nothing, even at p = 0.
                        if t != 0 { loss += weight[c] * t * -scores.logP[scores.at(n, c, s)] }
                    }
                    denominator += 1
                }
                values.append(loss)
            }
        }
        return (values, denominator, dense.counts, scores, dense)
    }

    /// Cross entropy; every position ignored gives `mean` 0 (the catalog's choice; PyTorch: NaN).
    static func crossEntropy(_ input: RefArray, _ target: RefArray?, _ p: RefParameters,
                             balancedWhenUnweighted: Bool = false) throws -> RefArray {
        let terms = try crossEntropyTerms(input, target, p, balancedWhenUnweighted: balancedWhenUnweighted)
        let shape = [terms.scores.batch] + terms.scores.spatialShape
        let sum = terms.values.reduce(0, +)
        switch try p.reduction() {
        case .mean: return RefArray(scalar: terms.denominator == 0 ? 0 : sum / terms.denominator)
        case .sum: return RefArray(scalar: sum)
        case .none: return RefMath.reduce(terms.values, shape: shape, .none)
        }
    }

    /// The reduction of losses that keep a subset of positions: `mean` over the kept ones (0 if
    /// none), `sum`, or per position with 0 where not kept.
    static func selectedReduction(_ values: [Double], kept: [Int], shape: [Int], _ p: RefParameters) throws -> RefArray {
        let sum = kept.map { values[$0] }.reduce(0, +)
        switch try p.reduction() {
        case .mean: return RefArray(scalar: kept.isEmpty ? 0 : sum / Double(kept.count))
        case .sum: return RefArray(scalar: sum)
        case .none:
            var map = Array(repeating: 0.0, count: values.count)
            for i in kept { map[i] = values[i] }
            return RefMath.reduce(map, shape: shape, .none)
        }
    }

    /// TopK (Wu et al.; SegLoss `TopKLoss`): the mean of the K = max(1, ⌊M·k/100⌋) largest
    /// per-position cross entropies, M the number of non-ignored positions; equal losses are
    /// taken in increasing position order.
    static func topK(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let terms = try crossEntropyTerms(input, target, p)
        let k = try p.number("k")
        let candidates = terms.values.indices.filter { terms.counts[$0] }
        let count = candidates.isEmpty ? 0 : max(1, Int((Double(candidates.count) * k / 100).rounded(.down)))
        let order = candidates.sorted { terms.values[$0] != terms.values[$1] ? terms.values[$0] > terms.values[$1] : $0 < $1 }
        return try selectedReduction(terms.values, kept: Array(order.prefix(count)),
                                     shape: [terms.scores.batch] + terms.scores.spatialShape, p)
    }

    /// Threshold TopK: the cross entropies of the positions whose probability of the true class
    /// is strictly below `threshold` (class-index targets only).
    static func topKThreshold(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let terms = try crossEntropyTerms(input, target, p)
        guard let labels = terms.target.labels else { throw ReferenceError.invalidInput("topk-threshold needs class indices") }
        let threshold = try p.number("threshold")
        let S = terms.scores.spatial
        let kept = terms.values.indices.filter { i in
            terms.counts[i] && terms.scores.p[terms.scores.at(i / S, labels[i], i % S)] < threshold
        }
        return try selectedReduction(terms.values, kept: kept, shape: [terms.scores.batch] + terms.scores.spatialShape, p)
    }

    /// Focal loss (Lin et al.). Softmax (or probabilities): per position
    /// `−Σ_c α_c t_c (1 − p_c)^γ log p_c` (α: none → 1; one value → 1 − α for class 0, α for the
    /// rest; C values → α_c), `mean` over positions. Sigmoid: per element
    /// `α_t (1 − p_t)^γ BCE(x, t)`, `p_t = p t + (1 − p)(1 − t)`, `α_t = α t + (1 − α)(1 − t)` per
    /// channel (torchvision's `sigmoid_focal_loss`), `mean` over elements.
    static func focal(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let activation = try p.activation()
        let scores = try RefClassScores(input, activation: activation)
        let dense = try RefClassTarget(target, for: scores)
        let gamma = try p.number("gamma"), alpha = try p.numbers("alpha")
        let C = scores.channels
        guard alpha.count <= 1 || alpha.count == C else {
            throw ReferenceError.invalidParameter(name: "alpha", message: "needs 1 or \(C) values")
        }
        if activation == .sigmoid {
            var values: [Double] = []
            for n in 0..<scores.batch {
                for c in 0..<C {
                    for s in 0..<scores.spatial {
                        let i = scores.at(n, c, s), t = dense.t[i], prob = scores.p[i]
                        let oneMinusPt = prob * (1 - t) + (1 - prob) * t
                        let bce = -(t * scores.logP[i] + (1 - t) * scores.logOneMinusP[i])
                        var value = (gamma == 0 ? 1 : pow(oneMinusPt, gamma)) * bce
                        if !alpha.isEmpty {
                            let a = alpha.count == 1 ? alpha[0] : alpha[c]
                            value *= a * t + (1 - a) * (1 - t)
                        }
                        values.append(value)
                    }
                }
            }
            return RefMath.reduce(values, shape: input.shape, try p.reduction())
        }
        var values: [Double] = []
        for n in 0..<scores.batch {
            for s in 0..<scores.spatial {
                var loss = 0.0
                for c in 0..<C {
                    let i = scores.at(n, c, s)
                    let a = alpha.isEmpty ? 1 : (alpha.count == 1 ? (c == 0 ? 1 - alpha[0] : alpha[0]) : alpha[c])
                    let factor = gamma == 0 ? 1 : pow(1 - scores.p[i], gamma)
                    if dense.t[i] != 0 { loss += -a * dense.t[i] * factor * scores.logP[i] }
                }
                values.append(loss)
            }
        }
        return RefMath.reduce(values, shape: [scores.batch] + scores.spatialShape, try p.reduction())
    }

    /// Distance-penalised cross entropy (Caliva et al.; SegLoss's map, its unweighted-mean bug not
    /// copied): `Σ_i (1 + D_i) ℓ_i / (cross entropy's mean denominator)`, ℓ_i the cross entropy
    /// of position i and D_i the inverted distance map of the mask of i's own class
    /// (class indices, or the first arg-max of a dense target; ignored positions belong to none):
    /// `D = (M − e)/(M − μ)` on the mask, e its distance transform, M and μ its largest and smallest
    /// value there (1 when M = μ); 0 for a class filling the whole sample.
    static func distancePenalizedCrossEntropy(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let terms = try crossEntropyTerms(input, target, p)
        let scores = terms.scores
        let S = scores.spatial, C = scores.channels
        let steps = try spacing(p, rank: scores.spatialShape.count)
        var values = terms.values
        for n in 0..<scores.batch {
            // The class of each position of this sample (−1: ignored).
            var classOf = Array(repeating: -1, count: S)
            for s in 0..<S where terms.counts[n * S + s] {
                if let labels = terms.target.labels {
                    classOf[s] = labels[n * S + s]
                } else {
                    var best = 0
                    for c in 1..<C where terms.target.t[scores.at(n, c, s)] > terms.target.t[scores.at(n, best, s)] { best = c }
                    classOf[s] = best
                }
            }
            for c in Set(classOf) where c >= 0 {
                var mask = RefArray(shape: scores.spatialShape, repeating: 0)
                for s in 0..<S where classOf[s] == c { mask.data[s] = 1 }
                guard mask.data.contains(0) else { continue }  // a full class: D = 0
                let e = try ReferenceDistanceTransform.edt(mask, spacing: steps)
                let inside = (0..<S).filter { mask.data[$0] == 1 }.map { e.data[$0] }
                let largest = inside.max() ?? 0, smallest = inside.min() ?? 0
                for s in 0..<S where mask.data[s] == 1 {
                    let d = largest > smallest ? (largest - e.data[s]) / (largest - smallest) : 1
                    values[n * S + s] *= 1 + d
                }
            }
        }
        let sum = values.reduce(0, +)
        switch try p.reduction() {
        case .mean: return RefArray(scalar: terms.denominator == 0 ? 0 : sum / terms.denominator)
        case .sum: return RefArray(scalar: sum)
        case .none: return RefMath.reduce(values, shape: [scores.batch] + scores.spatialShape, .none)
        }
    }
}
