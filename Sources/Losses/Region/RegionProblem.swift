import Foundation

/// The shared machinery of the overlap (region) losses: probabilities after the activation,
/// the dense target, the classes kept, and the per-entry sums every overlap ratio is made of.
///
/// An *entry* is one (sample, kept class) pair, or one kept class over the whole batch when
/// `batch` is true (MONAI's `batch=True`: the batch axis is summed before the ratio). Entries
/// are ordered row-major `[row, class]`.
///
/// Per entry the sums are, in `Double` (MONAI's names where it has them):
///
/// | index | sum | ∂/∂p |
/// |---|---|---|
/// | `tp` 0 | Σ p g (soft labels: Σ min(p, g)) | g (soft: [p < g]) |
/// | `fp` 1 | Σ p (1 − g) (soft: Σ p − tp) | 1 − ∂tp/∂p |
/// | `fn` 2 | Σ (1 − p) g (soft: Σ g − tp) | −∂tp/∂p |
/// | `pp` 3 | Σ p² | 2p |
/// | `gg` 4 | Σ g² | 0 |
/// | `g` 5 | Σ g | 0 |
/// | `errorOnForeground` 6 | Σ (g − p)² g | −2 (g − p) g |
/// | `errorOnBackground` 7 | Σ (g − p)² (1 − g) | −2 (g − p)(1 − g) |
///
/// Σ p = tp + fp, Σ(1 − g) = elements − g. A loss maps the sums of an entry to its value and
/// to ∂value/∂sums; the gradient with respect to p is then Σ_k ∂value/∂sum_k · ∂sum_k/∂p,
/// passed back through the activation.
struct RegionProblem {
    enum Sum {
        static let tp = 0, fp = 1, fn = 2, pp = 3, gg = 4, g = 5, errorOnForeground = 6, errorOnBackground = 7
    }

    let layout: ClassScoreShape
    let probabilities: ClassProbabilities
    /// The target, dense, in the input's layout.
    let target: [Float]
    /// 0, or 1 when the background channel is left out (only when C > 1, as MONAI).
    let firstClass: Int
    let batch: Bool
    /// Positions `[N, spatial…]` that take part (MONAI's `ignore_index` mask), nil for all.
    let counted: [Bool]?
    /// MONAI's `soft_label`: tp = Σ min(p, g) (= (Σp + Σg − Σ|p − g|)/2), fp = Σp − tp,
    /// fn = Σg − tp, which is Σpg, Σp(1 − g), Σ(1 − p)g for hard labels.
    let softLabel: Bool

    var keptClasses: Int { layout.classes - firstClass }
    /// N, or 1 with `batch`.
    var rows: Int { batch ? 1 : layout.batch }
    var entries: Int { rows * keptClasses }
    /// The number of elements summed into one entry.
    var elementsPerEntry: Int { layout.spatial * (batch ? layout.batch : 1) }
    /// The shape of an unreduced per-entry result: `[N, C′]`, or `[C′]` with `batch` (MONAI's
    /// values with its singleton spatial axes squeezed; C′ the kept classes).
    var entryShape: [Int] { batch ? [keptClasses] : [layout.batch, keptClasses] }

    /// Validates the input and target and applies the activation.
    ///
    /// Targets: a class-index map `[N, spatial…]` (or `[N, 1, spatial…]`) becomes one-hot; with a
    /// single channel (C = 1) a `[N, spatial…]` map is the binary target itself (MONAI's
    /// one-channel convention). A dense target of the input's shape is used as given.
    /// - Throws: `LossError.invalidInput` for softmax over one channel (it is identically 1: use
    ///   `sigmoid`; MONAI silently skips the softmax there instead), plus the shape and value
    ///   errors of `ClassScores`.
    /// - Parameter region: positions `[N, spatial…]` that take part (MONAI's `MaskedDiceLoss`
    ///   mask), combined with the `ignoreIndex` positions; nil for all.
    init(_ input: Tensor, target: Tensor?, activation: Activation, includeBackground: Bool, batch: Bool,
         complement: Bool = false, ignoreIndex: Int? = nil, softLabel: Bool = false, region: [Bool]? = nil) throws {
        layout = try ClassScores.layout(of: input)
        if activation == .softmax && layout.classes == 1 {
            throw LossError.invalidInput("softmax over a single channel is identically 1; use activation 'sigmoid' (or 'none') for one-channel scores")
        }
        let (dense, ignored) = try Self.denseTarget(target, layout: layout, ignoreIndex: ignoreIndex)
        self.target = dense
        if let region {
            counted = ignored.map { zip($0, region).map { $0 && $1 } } ?? region
        } else {
            counted = ignored
        }
        probabilities = try ClassScores.activate(input, layout: layout, activation: activation, complement: complement,
                                                 logarithms: false)
        firstClass = includeBackground || layout.classes == 1 ? 0 : 1
        self.batch = batch
        self.softLabel = softLabel
    }

    /// The dense target and the positions that take part, with MONAI's `ignore_index` rules:
    /// a class-index position equal to `ignoreIndex` is left out (all channels); with a dense
    /// target and 0 ≤ `ignoreIndex` < C, positions where that channel is non-zero are left out.
    static func denseTarget(_ target: Tensor?, layout: ClassScoreShape, ignoreIndex: Int?) throws -> ([Float], [Bool]?) {
        guard let ignoreIndex else { return (try denseTarget(target, layout: layout), nil) }
        if layout.classes == 1, let target, target.shape == layout.positionShape || target.shape == layout.shape {
            // One channel: the target is a label map (MONAI compares it directly).
            let dense = try denseTarget(target.reshaped(layout.positionShape), layout: layout)
            let counted = dense.map { $0 != Float(ignoreIndex) }
            return (dense.indices.map { counted[$0] ? dense[$0] : 0 }, counted.contains(false) ? counted : nil)
        }
        let resolved = try ClassScores.target(target, for: layout, ignoreIndex: ignoreIndex)
        let dense = ClassScores.dense(resolved, layout: layout)
        var counted: [Bool]
        switch resolved {
        case let .labels(labels): counted = labels.map { $0 != ClassScores.ignored }
        case .dense:
            guard (0..<layout.classes).contains(ignoreIndex) else { return (dense, nil) }
            counted = (0..<layout.positions).map { dense[layout.index(position: $0, class: ignoreIndex)] == 0 }
        }
        return (dense, counted.contains(false) ? counted : nil)
    }

    /// The dense form of a class-score target for the region losses (see `init`).
    static func denseTarget(_ target: Tensor?, layout: ClassScoreShape) throws -> [Float] {
        if layout.classes == 1, let target, target.shape == layout.positionShape {
            if let bad = target.data.firstIndex(where: { $0.isNaN }) {
                throw LossError.invalidInput("target holds NaN at flat index \(bad)")
            }
            return target.data
        }
        return ClassScores.dense(try ClassScores.target(target, for: layout), layout: layout)
    }

    /// The entry an element `(n, c)` belongs to, or nil for a class left out.
    @inline(__always)
    func entry(_ n: Int, _ c: Int) -> Int? {
        c < firstClass ? nil : (batch ? 0 : n) * keptClasses + (c - firstClass)
    }

    /// The eight sums of every entry (see the type's table).
    ///
    /// Per (sample, kept class), eight elements at a time: the products are formed in `Float`
    /// (p and g are `Float`), added lane-wise over at most 128 elements, then added in `Double`,
    /// so every `Float` partial sum has at most 16 terms (relative error ≤ 16·6·10⁻⁸, and far less
    /// on average). fp and fn come from Σp − tp and Σg − tp in `Double`.
    func sums() -> [SIMD8<Double>] {
        typealias V = Softmax.Vector
        let C = layout.classes, S = layout.spatial, K = keptClasses, softLabel = self.softLabel
        let pairs = layout.batch * K
        let mask = countedMask()
        var partial = [SIMD8<Double>](repeating: .zero, count: pairs)
        probabilities.p.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { g in
                mask.withUnsafeBufferPointer { mask in
                    // An empty array's buffer may still have a base address.
                    let mask = mask.isEmpty ? nil : mask.baseAddress
                    partial.withUnsafeMutableBufferPointer { out in
                        Parallel.forEach(count: pairs, grain: max(1, Parallel.grain / max(1, S))) { range in
                            for pair in range {
                                let n = pair / K, c = firstClass + pair % K
                                let base = (n * C + c) * S
                                var total = SIMD8<Double>.zero
                                var s = 0
                                while s < S {
                                    var tp = V.zero, sp = V.zero, sg = V.zero, pp = V.zero, gg = V.zero
                                    var errorOnForeground = V.zero, errorOnBackground = V.zero
                                    let end = min(S, s + 16 * Softmax.width)
                                    while s < end {
                                        let lanes = min(Softmax.width, end - s)
                                        var pi = Self.load(p.baseAddress! + base + s, lanes)
                                        var gi = Self.load(g.baseAddress! + base + s, lanes)
                                        if let mask {
                                            let left = Self.load(mask + n * S + s, lanes) .== V.zero
                                            pi = pi.replacing(with: V.zero, where: left)
                                            gi = gi.replacing(with: V.zero, where: left)
                                        }
                                        let e = gi - pi, e2 = e * e
                                        tp += softLabel ? pi.replacing(with: gi, where: gi .< pi) : pi * gi
                                        sp += pi
                                        sg += gi
                                        pp += pi * pi
                                        gg += gi * gi
                                        errorOnForeground += e2 * gi
                                        errorOnBackground += e2 - e2 * gi
                                        s += lanes
                                    }
                                    let tpSum = Self.sum(tp), pSum = Self.sum(sp), gSum = Self.sum(sg)
                                    total += SIMD8(tpSum, pSum - tpSum, gSum - tpSum, Self.sum(pp), Self.sum(gg), gSum,
                                                   Self.sum(errorOnForeground), Self.sum(errorOnBackground))
                                }
                                out[pair] = total
                            }
                        }
                    }
                }
            }
        }
        guard batch else { return partial }
        var total = [SIMD8<Double>](repeating: .zero, count: K)
        for pair in 0..<pairs { total[pair % K] += partial[pair] }
        return total
    }

    /// ∂L/∂input from ∂L/∂sums per entry (`coefficients`, already scaled by the reduction).
    ///
    /// With k the coefficients of an entry, ∂L/∂p = Σ_j k_j ∂sum_j/∂p (the type's table), which
    /// for an element with target g and t = ∂tp/∂p is
    /// ```latex
    /// d = k_1 (1 - t) + (k_0 - k_2)\,t + 2k_3\,p - 2(g - p)\,\bigl(k_7 (1 - g) + k_6\,g\bigr)
    /// ```
    /// — weights of (1 − t, t) and (1 − g, g) rather than a constant plus a difference, so a huge
    /// k_7 (1/s_dr for a class whose background is empty) does not cancel against k_6 in `Float`
    /// where g = 1.
    /// Eight positions at a time (`Softmax.Block` layout): d for the C classes of each, then the
    /// activation's backward pass (softmax: p_c (d_c − Σ_k p_k d_k)), in `Float`.
    func gradient(_ coefficients: [SIMD8<Double>]) -> Tensor {
        typealias V = Softmax.Vector
        let softLabel = self.softLabel
        let C = layout.classes, K = keptClasses, first = firstClass
        let activation = probabilities.activation
        // Per entry: (k₁, k₀ − k₂, 2k₃, k₇, k₆).
        let forms: [SIMD8<Float>] = coefficients.map { k in
            SIMD8(Float(k[1]), Float(k[0] - k[2]), Float(2 * k[3]), Float(k[7]), Float(k[6]), 0, 0, 0)
        }
        let mask = countedMask()
        let one = V(repeating: 1)
        let out = [Float](unsafeUninitializedCapacity: layout.count) { out, initialized in
            probabilities.p.withUnsafeBufferPointer { p in
                target.withUnsafeBufferPointer { g in
                    mask.withUnsafeBufferPointer { mask in
                        let mask = mask.isEmpty ? nil : mask.baseAddress
                        let layout = self.layout
                        Parallel.forEach(count: Softmax.blockCount(layout), grain: Softmax.grain(layout)) { range in
                            withUnsafeTemporaryAllocation(of: V.self, capacity: 2 * C) { scratch in
                                let pv = scratch.baseAddress!, d = pv + C
                                var b = Softmax.Block(classes: C, stride: layout.spatial, x: pv, p: pv)
                                for index in range {
                                    b.locate(index)
                                    let row = (batch ? 0 : b.position / layout.spatial) * K
                                    let keep = mask.map { b.load($0, position: true) }
                                    var dot = V.zero
                                    for c in 0..<C {
                                        let pc = b.load(p.baseAddress!, class: c)
                                        pv[c] = pc
                                        guard c >= first else { d[c] = .zero; continue }
                                        let gc = b.load(g.baseAddress!, class: c)
                                        let f = forms[row + c - first]
                                        var t = gc
                                        if softLabel {
                                            t = V(repeating: 0.5)
                                            t = t.replacing(with: one, where: pc .< gc)
                                            t = t.replacing(with: V.zero, where: pc .> gc)
                                        }
                                        // Vector operands only (vector–scalar operators compile to scalar code).
                                        let linear: V = V(repeating: f[0]) * (one - t) + V(repeating: f[1]) * t + V(repeating: f[2]) * pc
                                        let squares: V = (gc - pc) * (V(repeating: f[3]) * (one - gc) + V(repeating: f[4]) * gc)
                                        var dc: V = linear - (squares + squares)
                                        if let keep { dc = dc.replacing(with: V.zero, where: keep .== V.zero) }
                                        d[c] = dc
                                        dot += pc * dc
                                    }
                                    for c in 0..<C {
                                        let v: V
                                        switch activation {
                                        case .softmax: v = pv[c] * (d[c] - dot)
                                        case .sigmoid: v = d[c] * pv[c] * (one - pv[c])
                                        case .none: v = d[c]
                                        }
                                        b.store(v, to: out.baseAddress!, class: c)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            initialized = layout.count
        }
        return Tensor(unchecked: layout.shape, data: out)
    }

    /// `counted` as 1/0 per position (empty when every position takes part).
    private func countedMask() -> [Float] {
        counted?.map { $0 ? 1 : 0 } ?? []
    }

    /// Up to eight contiguous values, 0 past `lanes`.
    @inline(__always)
    private static func load(_ a: UnsafePointer<Float>, _ lanes: Int) -> SIMD8<Float> {
        if lanes == Softmax.width { return UnsafeRawPointer(a).loadUnaligned(as: SIMD8<Float>.self) }
        var v = SIMD8<Float>.zero
        for l in 0..<lanes { v[l] = a[l] }
        return v
    }

    /// The lanes' sum in `Double`.
    @inline(__always)
    private static func sum(_ v: SIMD8<Float>) -> Double { SIMD8<Double>(v).sum() }

    /// Reduces per-entry values (MONAI: `mean` over all entries, `sum`, or `none` shaped
    /// `entryShape`) and returns the factor ∂reduced/∂entry.
    func reduce(_ values: [Double], _ reduction: Reduction) -> (value: Tensor, scale: Double) {
        var sum = 0.0
        for v in values { sum += v }
        let value = Reduce.value(sum: sum, count: Double(values.count), elements: values.map(Float.init),
                                 shape: entryShape, reduction: reduction)
        return (value, Reduce.gradientScale(reduction, count: Double(values.count)))
    }

    /// Evaluates a loss that is a function of each entry's sums alone.
    /// - Parameters:
    ///   - weights: per kept class multipliers (MONAI `weight`), or empty.
    ///   - entryLoss: the entry's value and ∂value/∂sums.
    func evaluate(reduction: Reduction, gradient wanted: Bool, weights: [Double] = [],
                  _ entryLoss: (SIMD8<Double>) -> (value: Double, partials: SIMD8<Double>)) -> LossOutput {
        let sums = self.sums()
        var values = [Double](repeating: 0, count: entries)
        var partials = [SIMD8<Double>](repeating: .zero, count: entries)
        for e in 0..<entries {
            let w = weights.isEmpty ? 1 : weights[e % keptClasses]
            let (v, d) = entryLoss(sums[e])
            values[e] = w * v
            partials[e] = w * d
        }
        let (value, scale) = reduce(values, reduction)
        guard wanted else { return LossOutput(value: value) }
        return LossOutput(value: value, gradient: gradient(partials.map { $0 * scale }))
    }
}

/// Parameter specs and checks shared by the region losses (their descriptions are catalog prose).
enum RegionText {
    static func includeBackground(default value: Bool = true) -> ParameterSpec {
        ParameterSpec("include_background", .bool, default: .bool(value))
    }

    static let batch = ParameterSpec("batch", .bool, default: .bool(false))

    static let smoothNr = ParameterSpec("smooth_nr", .number(min: 0, max: nil), default: .number(1e-5))

    static let smoothDr = ParameterSpec("smooth_dr", .number(min: 0, max: nil), default: .number(1e-5))

    static let softLabel = ParameterSpec("soft_label", .bool, default: .bool(false))

    static func ignoreIndex() -> ParameterSpec {
        ParameterSpec("ignore_index", .integer(min: nil, max: nil), default: .number(-100))
    }

    static let weight = ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([]))

    /// Validates MONAI-style per-class weights against the number of kept classes.
    /// As MONAI, weights are ignored when a single class takes part.
    static func checkWeights(_ weights: [Double], problem: RegionProblem, loss: String) throws -> [Double] {
        if weights.isEmpty || problem.keptClasses == 1 { return [] }
        if weights.count == 1 { return Array(repeating: weights[0], count: problem.keptClasses) }
        guard weights.count == problem.keptClasses else {
            throw LossError.invalidParameter(loss: loss, name: "weight",
                message: "\(weights.count) weights given for \(problem.keptClasses) classes taking part")
        }
        return weights
    }
}

extension RegionProblem {
    /// `1 − A/B` for `A = a·sums + a0`, `B = b·sums + b0` (a, b constant vectors), and its
    /// partials `−a/B + A b/B²`. B = 0 gives NaN, as the peers (only with zero smoothing).
    @inline(__always)
    static func oneMinusRatio(_ sums: SIMD8<Double>, a: SIMD8<Double>, a0: Double, b: SIMD8<Double>, b0: Double)
        -> (value: Double, partials: SIMD8<Double>) {
        let A = (a * sums).sum() + a0, B = (b * sums).sum() + b0
        return (1 - A / B, (A / (B * B)) * b - a / B)
    }

    /// A vector with the given components set (the rest 0).
    @inline(__always)
    static func vector(_ components: [(Int, Double)]) -> SIMD8<Double> {
        var v = SIMD8<Double>.zero
        for (k, x) in components { v[k] += x }
        return v
    }
}

extension RegionProblem {
    /// ∂L/∂input from ∂L/∂p given for every element (input layout).
    func backward(_ upstream: [Double]) -> Tensor {
        Tensor(unchecked: layout.shape, data: probabilities.backward(upstream))
    }
}
