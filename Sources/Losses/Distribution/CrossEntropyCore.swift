import Foundation

/// Softmax cross entropy at one position at a time, shared by `cross-entropy`,
/// `weighted-cross-entropy`, `topk` and `topk-threshold`.
///
/// With class weights w (all 1 when not given) and label smoothing ε, the target becomes a
/// weighted distribution q over the C classes:
/// - class index y: q_c = (1 − ε)·w_y·[c = y] + (ε/C)·w_c (PyTorch's smoothing with weights);
/// - dense target t: q_c = w_c·((1 − ε)·t_c + ε/C).
///
/// Then ℓ = −Σ_c q_c log p_c and ∂ℓ/∂x_c = p_c·Σ_k q_k − q_c (softmax), or
/// ∂ℓ/∂p_c = −q_c / max(p_c, 10⁻¹²) for probabilities (`activation: none`, log p clamped at −100).
/// Terms with q_c = 0 are skipped, so a logit of −∞ in an unused class gives no NaN.
struct CrossEntropyCore {
    let layout: ClassScoreShape
    /// `activation: none`: the input holds probabilities.
    let probabilities: Bool
    /// Per-class weights, length C, or nil for all ones.
    let weight: [Double]?
    let smoothing: Double

    /// Builds the core after checking `weight` against the number of classes.
    init(loss: String, layout: ClassScoreShape, probabilities: Bool, weight: [Double], smoothing: Double) throws {
        if !weight.isEmpty && weight.count != layout.classes {
            throw LossError.shapeMismatch("'\(loss)': weight has \(weight.count) values but the input \(layout.shape) has \(layout.classes) classes")
        }
        self.layout = layout
        self.probabilities = probabilities
        self.weight = weight.isEmpty ? nil : weight
        self.smoothing = smoothing
    }

    @inline(__always) func w(_ c: Int) -> Double { weight?[c] ?? 1 }

    /// The `mean` denominator: Σ w_{y_i} over non-ignored labels (PyTorch's weighted mean),
    /// or the number of positions for a dense target.
    func denominator(_ target: ClassTarget) -> Double {
        switch target {
        case .dense: return Double(layout.positions)
        case let .labels(labels):
            var s = 0.0
            for y in labels where y >= 0 { s += w(y) }
            return s
        }
    }

    /// Scratch space for one worker.
    struct Scratch {
        var logP: [Double]
        var q: [Double]
        init(classes: Int) {
            logP = [Double](repeating: 0, count: classes)
            q = [Double](repeating: 0, count: classes)
        }
    }

    /// ℓ at `pos`; when `grad` is given, writes `scale`·∂ℓ/∂x for that position's C entries.
    /// Ignored positions (label < 0) give 0 and leave `grad` untouched.
    func position(_ pos: Int, x: UnsafeBufferPointer<Float>, labels: UnsafeBufferPointer<Int>?,
                  dense: UnsafeBufferPointer<Float>?, scale: Double,
                  grad: UnsafeMutableBufferPointer<Float>?, scratch: inout Scratch) -> Double {
        let C = layout.classes, S = layout.spatial
        let n = pos / S
        let base = n * C * S + (pos - n * S)
        let eps = smoothing
        // Target distribution q (weights included).
        if let labels {
            let y = labels[pos]
            if y < 0 { return 0 }
            for c in 0..<C { scratch.q[c] = eps / Double(C) * w(c) }
            scratch.q[y] += (1 - eps) * w(y)
        } else if let dense {
            for c in 0..<C {
                scratch.q[c] = w(c) * ((1 - eps) * Double(dense[base + c * S]) + eps / Double(C))
            }
        }
        // log p.
        if probabilities {
            for c in 0..<C { scratch.logP[c] = ClassScores.clampedLog(Double(x[base + c * S])) }
        } else {
            var m = -Double.infinity
            for c in 0..<C { m = max(m, Double(x[base + c * S])) }
            if m == -.infinity { m = 0 }
            var z = 0.0
            for c in 0..<C { z += exp(Double(x[base + c * S]) - m) }
            let lse = m + log(z)
            for c in 0..<C { scratch.logP[c] = Double(x[base + c * S]) - lse }
        }
        var loss = 0.0, total = 0.0
        for c in 0..<C where scratch.q[c] != 0 {
            loss -= scratch.q[c] * scratch.logP[c]
            total += scratch.q[c]
        }
        if let grad {
            for c in 0..<C {
                let i = base + c * S
                let g: Double
                if probabilities {
                    g = scratch.q[c] == 0 ? 0 : -scratch.q[c] / max(Double(x[i]), 1e-12)
                } else {
                    g = exp(scratch.logP[c]) * total - scratch.q[c]
                }
                grad[i] = Float(g * scale)
            }
        }
        return loss
    }

    /// The losses of a softmax block's positions (logits only, `Softmax.Block`), each times its
    /// factor, summed; writes them into `values` and `scale`·factor·∂ℓ/∂x into `grad` when given.
    ///
    /// ℓ = −Σ_c q_c log p_c per lane in `Double` (log p from `Block.logP`: exact for logits of any
    /// size), ∂ℓ/∂x_c = p_c Σ_k q_k − q_c in `Float` for all lanes at once. Ignored positions get
    /// 0 and a zero gradient (every element of `grad` in the block is written).
    func block(_ b: Softmax.Block, labels: UnsafeBufferPointer<Int>?, dense: UnsafeBufferPointer<Float>?,
               factors: UnsafeBufferPointer<Double>?, scale: Double,
               grad: UnsafeMutablePointer<Float>?, values: UnsafeMutablePointer<Float>?,
               scratch: inout Scratch, q: UnsafeMutablePointer<SIMD8<Float>>) -> Double {
        let C = layout.classes, S = layout.spatial, eps = smoothing
        var sum = 0.0
        var totals = SIMD8<Float>.zero, factorScale = SIMD8<Float>.zero
        if grad != nil { for c in 0..<C { q[c] = .zero } }
        for lane in 0..<b.lanes {
            let pos = b.position + lane
            let factor = factors?[pos] ?? 1
            var loss = 0.0, total = 0.0
            if let labels {
                let y = labels[pos]
                guard y >= 0 else { values?[pos] = 0; continue }
                if eps == 0 {
                    // One class takes part: q_y = w_y.
                    total = w(y)
                    loss = -total * b.logP(y, lane: lane)
                    if grad != nil { q[y][lane] = Float(total) }
                } else {
                    for c in 0..<C { scratch.q[c] = eps / Double(C) * w(c) }
                    scratch.q[y] += (1 - eps) * w(y)
                }
            } else if let dense {
                let at = b.base + lane
                for c in 0..<C {
                    scratch.q[c] = w(c) * ((1 - eps) * Double(dense[at + c * S]) + eps / Double(C))
                }
            }
            if labels == nil || eps != 0 {
                for c in 0..<C where scratch.q[c] != 0 {
                    loss -= scratch.q[c] * b.logP(c, lane: lane)
                    total += scratch.q[c]
                    if grad != nil { q[c][lane] = Float(scratch.q[c]) }
                }
            }
            totals[lane] = Float(total)
            factorScale[lane] = Float(factor * scale)
            sum += factor * loss
            values?[pos] = Float(factor * loss)
        }
        if let grad {
            for c in 0..<C { b.store((b.p[c] * totals - q[c]) * factorScale, to: grad, class: c) }
        }
        return sum
    }

    /// Per-position losses (no gradient), ignored positions 0.
    func positionLosses(_ input: Tensor, _ target: ClassTarget) -> [Double] {
        var out = [Double](repeating: 0, count: layout.positions)
        withPointers(target) { labels, dense in
            input.data.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { out in
                    Parallel.forEach(count: layout.positions, grain: max(1, Parallel.grain / layout.classes)) { range in
                        var scratch = Scratch(classes: layout.classes)
                        for pos in range {
                            out[pos] = position(pos, x: x, labels: labels, dense: dense, scale: 1, grad: nil, scratch: &scratch)
                        }
                    }
                }
            }
        }
        return out
    }

    /// The gradient at the listed positions only (zeros elsewhere), each scaled by `scale`.
    func gradient(_ input: Tensor, _ target: ClassTarget, at positions: [Int], scale: Double) -> [Float] {
        var grad = [Float](repeating: 0, count: input.count)
        withPointers(target) { labels, dense in
            input.data.withUnsafeBufferPointer { x in
                grad.withUnsafeMutableBufferPointer { g in
                    var scratch = Scratch(classes: layout.classes)
                    for pos in positions {
                        _ = position(pos, x: x, labels: labels, dense: dense, scale: scale, grad: g, scratch: &scratch)
                    }
                }
            }
        }
        return grad
    }

    /// Runs `body` with raw pointers to the target's labels or dense values.
    func withPointers<R>(_ target: ClassTarget,
                         _ body: (UnsafeBufferPointer<Int>?, UnsafeBufferPointer<Float>?) -> R) -> R {
        switch target {
        case let .labels(labels): return labels.withUnsafeBufferPointer { body($0, nil) }
        case let .dense(values): return values.withUnsafeBufferPointer { body(nil, $0) }
        }
    }
}

/// Parameter specs shared by the cross-entropy family.
enum CrossEntropyText {
    static func activation() -> ParameterSpec {
        ParameterSpec("activation", .choice(["softmax", "none"]), default: .string("softmax"))
    }

    static func weight() -> ParameterSpec {
        ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([]))
    }

    static let ignoreIndex = ParameterSpec(
        "ignore_index", .integer(min: nil, max: nil), default: .number(-100))

}
