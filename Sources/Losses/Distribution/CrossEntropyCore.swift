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
    /// q's per-class constants in `Float` for the block kernels, computed once: (1 − ε)·w_c, the
    /// label's q, and ε·w_c / C, the smoothing's (``distribution(_:target:q:)``).
    private let labelQ: [Float], smoothingQ: [Float]

    /// Builds the core after checking `weight` against the number of classes.
    init(loss: String, layout: ClassScoreShape, probabilities: Bool, weight: [Double], smoothing: Double) throws {
        if !weight.isEmpty && weight.count != layout.classes {
            throw LossError.shapeMismatch("'\(loss)': weight has \(weight.count) values but the input \(layout.shape) has \(layout.classes) classes")
        }
        self.layout = layout
        self.probabilities = probabilities
        self.weight = weight.isEmpty ? nil : weight
        self.smoothing = smoothing
        let w = (0..<layout.classes).map { weight.isEmpty ? 1 : weight[$0] }
        labelQ = w.map { Float((1 - smoothing) * $0) }
        smoothingQ = w.map { Float(smoothing * $0 / Double(layout.classes)) }
    }

    @inline(__always) func w(_ c: Int) -> Double { weight?[c] ?? 1 }

    /// The `mean` denominator: Σ w_{y_i} over non-ignored labels (PyTorch's weighted mean), from
    /// the label map's class counts (the number of labels without weights), or the number of
    /// positions for a dense target.
    func denominator(_ target: ClassTargetView) -> Double {
        switch target {
        case .dense: return Double(layout.positions)
        case let .labels(map):
            guard weight != nil else { return Double(layout.positions - map.ignoredCount) }
            let counts = map.classCounts(layout.classes)
            var s = 0.0
            for c in 0..<layout.classes { s += w(c) * Double(counts[c]) }
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

    /// The losses of a softmax block's positions (logits only; the block holds log z, and p when
    /// `grad` is given), each times its factor, lane by lane; writes them into `values` and
    /// `scale`·factor·∂ℓ/∂x into `grad` when given. Every lane at once, in `Float`:
    ///
    /// ℓ = Σ_c q_c (m − x_c + log z) — each term a product of non-negative numbers, so without
    /// cancellation (relative error ≤ 3 roundings, ≈ 2·10⁻⁷, for logits of any size), added over
    /// classes in `Double`; terms with q_c = 0 are skipped, so a logit of −∞ in an unused class
    /// gives no NaN. ∂ℓ/∂x_c = p_c Σ_k q_k − q_c. Ignored positions
    /// and lanes past the block's end give 0 and a zero gradient.
    /// - Parameter q: scratch for C vectors.
    @inline(__always)
    func block(_ b: Softmax.Block, target: BlockTarget, factors: UnsafePointer<Double>?, scale: Double,
               grad: UnsafeMutablePointer<Float>?, values: UnsafeMutablePointer<Float>?,
               q: UnsafeMutablePointer<Softmax.Vector>) -> SIMD8<Double> {
        typealias V = Softmax.Vector
        let total = distribution(b, target: target, q: q)
        var lanes = SIMD8<Double>.zero
        if target.labels != nil && smoothing == 0 {
            // Class indices without smoothing: one q_c per lane is non-zero (w_y, so Σ_k q_k), and
            // ℓ = w_y (m − x_y + log z) in `Double`: the same number as −w_y log p_y below.
            var single = V.zero
            for c in 0..<layout.classes { single = single.replacing(with: b.x[c], where: q[c] .!= V.zero) }
            lanes = SIMD8<Double>(total) * ((SIMD8<Double>(b.max) - SIMD8<Double>(single)) + SIMD8<Double>(b.logZ))
        } else {
            for c in 0..<layout.classes {
                // −q_c log p_c with log p_c = x_c − m − log z in `Double` (exact x_c − m).
                let qc = SIMD8<Double>(q[c])
                let logP = SIMD8<Double>(b.x[c]) - SIMD8<Double>(b.max) - SIMD8<Double>(b.logZ)
                lanes -= SIMD8<Double>.zero.replacing(with: qc * logP, where: qc .!= .zero)
            }
        }
        if let factors {
            let f = b.lanes == Softmax.width ? UnsafeRawPointer(factors + b.position).loadUnaligned(as: SIMD8<Double>.self)
                : SIMD8<Double>((0..<8).map { $0 < b.lanes ? factors[b.position + $0] : 0 })
            lanes *= f
            if let grad { writeGradient(b, q: q, total: total, scale: SIMD8<Float>(f * scale), to: grad) }
        } else if let grad {
            writeGradient(b, q: q, total: total, scale: V(repeating: Float(scale)), to: grad)
        }
        if let values {
            let v = SIMD8<Float>(lanes)
            for l in 0..<b.lanes { values[b.position + l] = v[l] }
        }
        return lanes
    }

    /// The weighted, smoothed target q_c of the block's lanes into `q` (0 in lanes that take no
    /// part: ignored, or past the block's end), and Σ_c q_c, in `Float`.
    /// - Parameter q: scratch for C vectors.
    @inline(__always)
    func distribution(_ b: Softmax.Block, target: BlockTarget, q: UnsafeMutablePointer<Softmax.Vector>) -> Softmax.Vector {
        typealias V = Softmax.Vector
        let C = layout.classes, eps = smoothing
        var total = V.zero
        guard let labelMap = target.labels else {
            let inside = b.inside
            for c in 0..<C {
                let w = self.w(c)
                var qc = V(repeating: Float(w)) * (V(repeating: Float(1 - eps)) * target.values(b, class: c, labels: .zero)
                                                   + V(repeating: Float(eps / Double(C))))
                qc = V.zero.replacing(with: qc, where: inside)
                total += qc
                q[c] = qc
            }
            return total
        }
        // Lanes that take no part get the label −1, which no class matches (b.labels fills the
        // lanes past the end with it): one comparison per class instead of a mask per class.
        let none = V(repeating: -1)
        var labels = b.labels(labelMap)
        if let ignored = target.ignored { labels = labels.replacing(with: none, where: labels .== V(repeating: ignored)) }
        let taking = labels .!= none
        for c in 0..<C {
            // q_c = (1 − ε) w_c [y = c] + ε w_c / C.
            var qc = V.zero.replacing(with: V(repeating: labelQ[c]), where: labels .== V(repeating: Float(c)))
            if eps != 0 { qc += V.zero.replacing(with: V(repeating: smoothingQ[c]), where: taking) }
            total += qc
            q[c] = qc
        }
        return total
    }

    /// scale · (p_c Σ_k q_k − q_c) for the block's classes.
    @inline(__always)
    private func writeGradient(_ b: Softmax.Block, q: UnsafeMutablePointer<Softmax.Vector>, total: Softmax.Vector,
                               scale: Softmax.Vector, to grad: UnsafeMutablePointer<Float>) {
        for c in 0..<layout.classes { b.store((b.p[c] * total - q[c]) * scale, to: grad, class: c) }
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
