import Foundation

/// Cross-entropy family on class scores `[N, C, spatial…]` (logits through softmax).
extension ReferenceLosses {
    static let crossEntropyDefaults: [String: RefParameter] = [
        "reduction": .string("mean"), "weight": .numbers([]), "ignore_index": .number(-100),
        "label_smoothing": .number(0),
    ]

    static var distributionEntries: [Entry] {
        [
            Entry(id: "cross-entropy", defaults: crossEntropyDefaults) { input, target, p in
                try crossEntropy(input, target, p)
            },
            Entry(id: "weighted-cross-entropy", defaults: crossEntropyDefaults) { input, target, p in
                try crossEntropy(input, target, p)
            },
            Entry(id: "topk", defaults: crossEntropyDefaults.merging(["k": .number(10)]) { $1 }) { input, target, p in
                try topK(input, target, p)
            },
            Entry(id: "topk-threshold", defaults: crossEntropyDefaults.merging(["threshold": .number(0.7)]) { $1 }) { input, target, p in
                try topKThreshold(input, target, p)
            },
            Entry(id: "focal", defaults: classScoreDefaults.merging([
                "gamma": .number(2), "alpha": .numbers([]), "weight": .numbers([]),
            ]) { $1 }) { input, target, p in
                try focal(input, target, p)
            },
            Entry(id: "dpce", defaults: crossEntropyDefaults) { input, target, p in
                try distancePenalizedCrossEntropy(input, target, p)
            },
        ]
    }

    /// Per-position cross entropy, `torch.nn.CrossEntropyLoss` semantics:
    /// class indices `ℓ_i = (1 − ε) w_{y_i} (−log p_{i,y_i}) + (ε/C) Σ_c w_c (−log p_{i,c})`,
    /// `mean` = Σ ℓ_i / Σ_{i not ignored} w_{y_i}; probability targets
    /// `ℓ_i = −Σ_c w_c ((1 − ε) t_{i,c} + ε/C) log p_{i,c}`, `mean` = Σ ℓ_i / (number of positions).
    /// Returns the per-position values, their mean denominator, and which positions count.
    static func crossEntropyTerms(_ input: RefArray, _ target: RefArray?, _ p: RefParameters)
        throws -> (values: [Double], denominator: Double, counts: [Bool], scores: RefClassScores, target: RefClassTarget) {
        let scores = try RefClassScores(input, activation: .softmax)
        let ignoreIndex = Int(try p.number("ignore_index"))
        let dense = try RefClassTarget(target, for: scores, ignoreIndex: ignoreIndex)
        let C = scores.channels
        var weight = try p.numbers("weight")
        if weight.isEmpty { weight = Array(repeating: 1, count: C) }
        guard weight.count == C else { throw ReferenceError.invalidParameter(name: "weight", message: "needs \(C) values") }
        let epsilon = try p.number("label_smoothing")
        var values: [Double] = [], denominator = 0.0
        for n in 0..<scores.batch {
            for s in 0..<scores.spatial {
                let position = n * scores.spatial + s
                guard dense.counts[position] else { values.append(0); continue }
                var loss = 0.0
                if let labels = dense.labels {
                    let y = labels[position]
                    loss += (1 - epsilon) * weight[y] * -scores.logP[scores.at(n, y, s)]
                    for c in 0..<C { loss += epsilon / Double(C) * weight[c] * -scores.logP[scores.at(n, c, s)] }
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

    static func crossEntropy(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let terms = try crossEntropyTerms(input, target, p)
        let shape = [terms.scores.batch] + terms.scores.spatialShape
        switch try p.reduction() {
        case .mean: return RefArray(scalar: terms.values.reduce(0, +) / terms.denominator)
        case .sum: return RefArray(scalar: terms.values.reduce(0, +))
        case .none: return RefMath.reduce(terms.values, shape: shape, .none)
        }
    }

    /// TopK (Wu et al.; SegLoss `TopKLoss`): the mean of the largest ⌊n·k/100⌋ per-position
    /// cross entropies, n the number of positions.
    static func topK(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let terms = try crossEntropyTerms(input, target, p)
        let k = try p.number("k")
        let kept = Int((Double(terms.values.count) * k / 100).rounded(.down))
        let worst = terms.values.sorted(by: >).prefix(kept)
        switch try p.reduction() {
        case .mean: return RefArray(scalar: worst.reduce(0, +) / Double(kept))
        case .sum: return RefArray(scalar: worst.reduce(0, +))
        case .none: return RefMath.reduce(terms.values, shape: [terms.scores.batch] + terms.scores.spatialShape, .none)
        }
    }

    /// TopK with a threshold: mean cross entropy over the positions whose probability of the
    /// true class is below `threshold`.
    static func topKThreshold(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let terms = try crossEntropyTerms(input, target, p)
        let threshold = try p.number("threshold")
        var selected: [Double] = []
        for position in terms.values.indices where terms.counts[position] {
            let n = position / terms.scores.spatial, s = position % terms.scores.spatial
            var trueClassProbability = 0.0
            for c in 0..<terms.scores.channels {
                trueClassProbability += terms.target.t[terms.scores.at(n, c, s)] * terms.scores.p[terms.scores.at(n, c, s)]
            }
            if trueClassProbability < threshold { selected.append(terms.values[position]) }
        }
        switch try p.reduction() {
        case .mean: return RefArray(scalar: selected.isEmpty ? 0 : selected.reduce(0, +) / Double(selected.count))
        case .sum: return RefArray(scalar: selected.reduce(0, +))
        case .none: return RefMath.reduce(terms.values, shape: [terms.scores.batch] + terms.scores.spatialShape, .none)
        }
    }

    /// Focal loss (Lin et al.): `−Σ_c α_c t_c (1 − p_c)^γ log p_c` per position (softmax), or
    /// per element `−α_t (1 − p_t)^γ log p_t` (sigmoid, torchvision's `sigmoid_focal_loss`).
    static func focal(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let activation = try p.activation()
        let scores = try RefClassScores(input, activation: activation)
        let dense = try RefClassTarget(target, for: scores)
        let gamma = try p.number("gamma"), alpha = try p.numbers("alpha")
        let C = scores.channels
        if activation == .sigmoid {
            var values: [Double] = []
            for i in 0..<input.count {
                let t = dense.t[i]
                let oneMinusPt = t * (1 - scores.p[i]) + (1 - t) * scores.p[i]
                let bce = -(t * scores.logP[i] + (1 - t) * scores.logOneMinusP[i])
                var value = pow(oneMinusPt, gamma) * bce
                if alpha.count == 1 { value *= t * alpha[0] + (1 - t) * (1 - alpha[0]) }
                values.append(value)
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
                    if dense.t[i] != 0 { loss += -a * dense.t[i] * pow(1 - scores.p[i], gamma) * scores.logP[i] }
                }
                values.append(loss)
            }
        }
        return RefMath.reduce(values, shape: [scores.batch] + scores.spatialShape, try p.reduction())
    }

    /// Distance-penalised cross entropy (Caliva et al.): per-position cross entropy weighted by
    /// `1 + D`, D the inverted, normalised distance map of the target's foreground (class 1 for a
    /// two-class target; per class otherwise), mean over positions.
    static func distancePenalizedCrossEntropy(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let terms = try crossEntropyTerms(input, target, p)
        let scores = terms.scores
        var values = terms.values
        for n in 0..<scores.batch {
            var mask = RefArray(shape: scores.spatialShape, repeating: 0)
            for s in 0..<scores.spatial { mask.data[s] = scores.channels > 1 ? terms.target.t[scores.at(n, 1, s)] : terms.target.t[scores.at(n, 0, s)] }
            let d = try inverseBoundaryMap(mask)
            for s in 0..<scores.spatial { values[n * scores.spatial + s] *= 1 + d.data[s] }
        }
        switch try p.reduction() {
        case .mean: return RefArray(scalar: values.reduce(0, +) / Double(values.count))
        case .sum: return RefArray(scalar: values.reduce(0, +))
        case .none: return RefMath.reduce(values, shape: [scores.batch] + scores.spatialShape, .none)
        }
    }

    /// SegLoss `compute_edts_forPenalizedLoss` (see REVIEW-dpce): inside the mask
    /// `(M − e)/max(M − e)`, M the largest inside distance; likewise outside; 0 for a mask
    /// without both kinds of element.
    static func inverseBoundaryMap(_ mask: RefArray) throws -> RefArray {
        let hasForeground = mask.data.contains { $0 > 0.5 }, hasBackground = mask.data.contains { $0 <= 0.5 }
        var out = RefArray(shape: mask.shape, repeating: 0)
        guard hasForeground, hasBackground else { return out }
        var inside = mask, outside = mask
        inside.data = mask.data.map { $0 > 0.5 ? 1 : 0 }
        outside.data = mask.data.map { $0 > 0.5 ? 0 : 1 }
        let dIn = try ReferenceDistanceTransform.edt(inside), dOut = try ReferenceDistanceTransform.edt(outside)
        let maxIn = (0..<mask.count).filter { inside.data[$0] == 1 }.map { dIn.data[$0] }.max() ?? 0
        let maxOut = (0..<mask.count).filter { outside.data[$0] == 1 }.map { dOut.data[$0] }.max() ?? 0
        for i in 0..<mask.count {
            out.data[i] = inside.data[i] == 1 ? (maxIn - dIn.data[i]) / maxIn : (maxOut - dOut.data[i]) / maxOut
        }
        return out
    }
}
