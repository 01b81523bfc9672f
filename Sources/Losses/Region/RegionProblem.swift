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

    /// The sums beyond tp, fp, fn and g that a loss reads: ``sums(keepingProbabilities:crossEntropy:extras:)``
    /// adds up only these (the others are 0), so Dice, Tversky and generalised Dice do not pay for
    /// the squares and squared errors in their one pass.
    struct Extras: OptionSet {
        let rawValue: Int
        /// pp and gg (Dice's `squared_pred`).
        static let squares = Extras(rawValue: 1)
        /// errorOnForeground and errorOnBackground (sensitivity–specificity).
        static let errors = Extras(rawValue: 2)
        static let all: Extras = [.squares, .errors]
    }

    let layout: ClassScoreShape
    let activation: Activation
    /// The scores as given: logits, or probabilities for `activation: none`.
    let input: Tensor
    /// The target: a class-index map read in place, or dense in the input's layout.
    let targetView: ClassTargetView
    /// 0, or 1 when the background channel is left out (only when C > 1, as MONAI).
    let firstClass: Int
    let batch: Bool
    /// 1 for the positions `[N, spatial…]` that take part and 0 for the rest (MONAI's
    /// `ignore_index`, a masked Dice region); empty when every position takes part.
    let mask: [Float]
    /// MONAI's `soft_label`: tp = Σ min(p, g) (= (Σp + Σg − Σ|p − g|)/2), fp = Σp − tp,
    /// fn = Σg − tp, which is Σpg, Σp(1 − g), Σ(1 − p)g for hard labels.
    let softLabel: Bool
    /// p for sigmoid and none, computed up front; nil for softmax, whose p the kernels compute
    /// block by block from the logits.
    private let stored: ClassProbabilities?
    private let arrays = Arrays()

    var keptClasses: Int { layout.classes - firstClass }
    /// N, or 1 with `batch`.
    var rows: Int { batch ? 1 : layout.batch }
    var entries: Int { rows * keptClasses }
    /// The number of elements summed into one entry.
    var elementsPerEntry: Int { layout.spatial * (batch ? layout.batch : 1) }
    /// The shape of an unreduced per-entry result: `[N, C′]`, or `[C′]` with `batch` (MONAI's
    /// values with its singleton spatial axes squeezed; C′ the kept classes).
    var entryShape: [Int] { batch ? [keptClasses] : [layout.batch, keptClasses] }

    /// Validates the input and target and, for sigmoid and none, applies the activation.
    ///
    /// Targets: a class-index map `[N, spatial…]` (or `[N, 1, spatial…]`) counts as one-hot; with a
    /// single channel (C = 1) a `[N, spatial…]` map is the binary target itself (MONAI's
    /// one-channel convention). A dense target of the input's shape is used as given.
    /// - Throws: `LossError.invalidInput` for softmax over one channel (it is identically 1: use
    ///   `sigmoid`; MONAI silently skips the softmax there instead), plus the shape and value
    ///   errors of `ClassScores`.
    /// - Parameter region: positions `[N, spatial…]` that take part (MONAI's `MaskedDiceLoss`
    ///   mask), combined with the `ignoreIndex` positions; nil for all.
    init(_ input: Tensor, target: Tensor?, activation: Activation, includeBackground: Bool, batch: Bool,
         ignoreIndex: Int? = nil, softLabel: Bool = false, region: [Bool]? = nil) throws {
        layout = try ClassScores.layout(of: input)
        if activation == .softmax && layout.classes == 1 {
            throw LossError.invalidInput("softmax over a single channel is identically 1; use activation 'sigmoid' (or 'none') for one-channel scores")
        }
        let (view, ignored) = try Self.targetView(target, layout: layout, ignoreIndex: ignoreIndex)
        targetView = view
        let counted = region.map { region in ignored.map { zip($0, region).map { $0 && $1 } } ?? region } ?? ignored
        mask = counted?.map { $0 ? 1 : 0 } ?? []
        self.activation = activation
        self.input = input
        stored = activation == .softmax ? nil
            : try ClassScores.activate(input, layout: layout, activation: activation, logarithms: false)
        firstClass = includeBackground || layout.classes == 1 ? 0 : 1
        self.batch = batch
        self.softLabel = softLabel
    }

    /// The target as the kernels read it and the positions that take part, with MONAI's
    /// `ignore_index` rules: a class-index position equal to `ignoreIndex` is left out (all
    /// channels); with a dense target and 0 ≤ `ignoreIndex` < C, positions where that channel is
    /// non-zero are left out.
    private static func targetView(_ target: Tensor?, layout: ClassScoreShape,
                                   ignoreIndex: Int?) throws -> (ClassTargetView, [Bool]?) {
        if layout.classes == 1, let target, target.shape == layout.positionShape || (ignoreIndex != nil && target.shape == layout.shape) {
            // One channel: the target is the binary map itself (with `ignoreIndex`, a label map that
            // MONAI compares directly).
            if let bad = target.data.firstIndex(where: { $0.isNaN }) {
                throw LossError.invalidInput("target holds NaN at flat index \(bad)")
            }
            guard let ignoreIndex else { return (.dense(target.data), nil) }
            let counted = target.data.map { $0 != Float(ignoreIndex) }
            return (.dense(zip(target.data, counted).map { $1 ? $0 : 0 }), counted.contains(false) ? counted : nil)
        }
        let view = try ClassScores.view(target, for: layout, ignoreIndex: ignoreIndex)
        switch view {
        case let .labels(map):
            guard let ignored = map.ignored else { return (view, nil) }
            return (view, map.values.map { $0 != ignored })
        case let .dense(dense):
            guard let ignoreIndex, (0..<layout.classes).contains(ignoreIndex) else { return (view, nil) }
            let counted = (0..<layout.positions).map { dense[layout.index(position: $0, class: ignoreIndex)] == 0 }
            return (view, counted.contains(false) ? counted : nil)
        }
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

    // MARK: - Full arrays

    /// p in the input's layout, for the losses that read it element by element (boundary,
    /// Hausdorff, clDice): computed on first use and kept; the overlap sums never build it.
    var probabilities: ClassProbabilities {
        if let stored { return stored }
        return arrays.value(\.probabilities) {
            ClassProbabilities(activation: .softmax, layout: layout,
                               p: ClassScores.softmax(input, layout: layout, logarithms: false).p, logP: [], logQ: nil)
        }
    }

    /// The dense target in the input's layout (a label map one-hot, ignored positions all 0),
    /// built on first use and kept (as `probabilities`).
    var target: [Float] {
        switch targetView {
        case let .dense(values): return values
        case .labels: return arrays.value(\.target) { ClassScores.dense(targetView.classTarget, layout: layout) }
        }
    }

    /// The lazily built arrays behind `probabilities` and `target` (a lock: region losses may
    /// read them from concurrent slices).
    private final class Arrays: @unchecked Sendable {
        private let lock = NSLock()
        var probabilities: ClassProbabilities?
        var target: [Float]?

        func value<T>(_ key: ReferenceWritableKeyPath<Arrays, T?>, _ make: () -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            if let value = self[keyPath: key] { return value }
            let value = make()
            self[keyPath: key] = value
            return value
        }
    }

    // MARK: - Sums and gradient

    /// The entry an element `(n, c)` belongs to, or nil for a class left out.
    @inline(__always)
    func entry(_ n: Int, _ c: Int) -> Int? {
        c < firstClass ? nil : (batch ? 0 : n) * keptClasses + (c - firstClass)
    }

    /// Puts block `b` at `index` with p_c in `b.p`: computed from the logits (softmax; log z too
    /// with `logNormaliser`) or loaded from the probabilities computed up front; with `keep`, p is
    /// also stored there.
    @inline(__always)
    private func loadProbabilities(_ b: inout Softmax.Block, _ index: Int, logits: UnsafePointer<Float>,
                               stored: UnsafePointer<Float>?, keep: UnsafeMutablePointer<Float>?, logNormaliser: Bool = false) {
        if let stored {
            b.locate(index)
            for c in 0..<layout.classes { b.p[c] = b.load(stored, class: c) }
        } else {
            b.compute(index, logits: logits, logNormaliser ? .all : .probabilities)
        }
        if let keep { for c in 0..<layout.classes { b.store(b.p[c], to: keep, class: c) } }
    }

    /// Runs `body` with raw pointers to the logits, the stored probabilities (sigmoid, none), the
    /// target and the mask (nil when every position takes part).
    private func withPointers<R>(_ body: (UnsafePointer<Float>, UnsafePointer<Float>?, BlockTarget,
                                          UnsafePointer<Float>?) -> R) -> R {
        input.data.withUnsafeBufferPointer { x in
            (stored?.p ?? []).withUnsafeBufferPointer { stored in
                mask.withUnsafeBufferPointer { mask in
                    targetView.withBlockTarget { target in
                        // An empty array's buffer may still have a base address.
                        body(x.baseAddress!, self.stored == nil ? nil : stored.baseAddress, target,
                             mask.isEmpty ? nil : mask.baseAddress)
                    }
                }
            }
        }
    }

    /// The eight sums of every entry (see the type's table) and, with `keepingProbabilities`, the
    /// softmax p in the input's layout (nil for sigmoid and none, whose p is kept already): the
    /// buffer ``gradient(_:over:)`` then overwrites, so a gradient costs one softmax per element.
    ///
    /// One pass over eight positions at a time: p (`Softmax.Block`) and g for every kept class;
    /// the products are formed in `Float` (p and g are `Float`), added lane-wise over at most 16
    /// blocks of one sample, then added in `Double`, so every `Float` partial sum has at most 16
    /// terms (relative error ≤ 16·6·10⁻⁸, and far less on average). fp and fn come from Σp − tp
    /// and Σg − tp in `Double`. Chunks of blocks run across cores and their sums are added in
    /// chunk order.
    /// - Parameters:
    ///   - crossEntropy: also add up softmax cross entropy's ℓ over the positions (Dice-CE),
    ///     from the same softmax, block by block as `CrossEntropyLoss` does (`CrossEntropyCore.block`),
    ///     returned as `crossEntropy` (0 without).
    ///   - extras: the sums beyond tp, fp, fn and g to add up (the rest are returned as 0).
    func sums(keepingProbabilities: Bool = false, crossEntropy: CrossEntropyCore? = nil, extras: Extras = .all)
        -> (sums: [SIMD8<Double>], probabilities: [Float]?, crossEntropy: Double) {
        typealias V = Softmax.Vector
        let C = layout.classes, S = layout.spatial, K = keptClasses, first = firstClass, softLabel = self.softLabel
        let squares = extras.contains(.squares), errors = extras.contains(.errors)
        let layout = self.layout, pairs = layout.batch * K
        let keeping = keepingProbabilities && stored == nil
        var kept = [Float].uninitialized(count: keeping ? layout.count : 0)
        let chunks = withPointers { x, stored, target, mask in
            kept.withUnsafeMutableBufferPointer { keep in
                let keep = keeping ? keep.baseAddress : nil
                return Parallel.map(count: Softmax.blockCount(layout), grain: Softmax.grain(layout)) { range in
                    var out = [SIMD8<Double>](repeating: .zero, count: pairs)
                    var crossEntropySum = SIMD8<Double>.zero
                    // Per kept class: the seven `Float` lane sums tp, Σp, Σg, pp, gg, and the two errors;
                    // then cross entropy's q (C vectors).
                    withUnsafeTemporaryAllocation(of: V.self, capacity: 3 * C + 7 * K) { scratch in
                        let sums = scratch.baseAddress! + 2 * C, q = sums + 7 * K
                        var b = Softmax.Block(classes: C, stride: S, x: scratch.baseAddress!, p: scratch.baseAddress! + C)
                        var sample = -1, run = 0
                        func flush() {
                            guard sample >= 0 else { return }
                            for k in 0..<K {
                                let a = sums + 7 * k
                                let tp = Self.sum(a[0]), p = Self.sum(a[1]), g = Self.sum(a[2])
                                out[sample * K + k] += SIMD8(tp, p - tp, g - tp, Self.sum(a[3]), Self.sum(a[4]), g,
                                                             Self.sum(a[5]), Self.sum(a[6]))
                                for j in 0..<7 { a[j] = .zero }
                            }
                        }
                        for j in 0..<(7 * K) { sums[j] = .zero }
                        for index in range {
                            loadProbabilities(&b, index, logits: x, stored: stored, keep: keep,
                                              logNormaliser: crossEntropy != nil)
                            if let crossEntropy {
                                crossEntropySum += crossEntropy.block(b, target: target, factors: nil, scale: 0, grad: nil,
                                                                      values: nil, q: q)
                            }
                            let n = b.position / S
                            if n != sample || run == 16 {
                                flush()
                                sample = n
                                run = 0
                            }
                            run += 1
                            let labels = target.labels.map { b.labels($0) } ?? .zero
                            let left = mask.map { b.load($0, position: true) .== V.zero }
                            for k in 0..<K {
                                var pi = b.p[first + k], gi = target.values(b, class: first + k, labels: labels)
                                if let left {
                                    pi = pi.replacing(with: V.zero, where: left)
                                    gi = gi.replacing(with: V.zero, where: left)
                                }
                                let a = sums + 7 * k
                                a[0] += softLabel ? pi.replacing(with: gi, where: gi .< pi) : pi * gi
                                a[1] += pi
                                a[2] += gi
                                if squares {
                                    a[3] += pi * pi
                                    a[4] += gi * gi
                                }
                                if errors {
                                    let e = gi - pi, e2 = e * e
                                    a[5] += e2 * gi
                                    a[6] += e2 - e2 * gi
                                }
                            }
                        }
                        flush()
                    }
                    return (sums: out, crossEntropy: crossEntropySum.sum())
                }
            }
        }
        var total = [SIMD8<Double>](repeating: .zero, count: batch ? K : pairs)
        var crossEntropySum = 0.0
        for chunk in chunks {
            for pair in 0..<pairs { total[batch ? pair % K : pair] += chunk.sums[pair] }
            crossEntropySum += chunk.crossEntropy
        }
        return (total, keeping ? kept : nil, crossEntropySum)
    }

    /// ∂L/∂input from ∂L/∂sums per entry (`coefficients`, already scaled by the reduction),
    /// written over `probabilities` when given (the softmax p from ``sums(keepingProbabilities:)``,
    /// taken: nil afterwards); otherwise p is computed again (softmax) or read from the stored
    /// probabilities.
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
    /// - Parameter added: a gradient added to every element as it is written (a compound's other term).
    func gradient(_ coefficients: [SIMD8<Double>], over probabilities: inout [Float]?, adding added: AddedGradient? = nil) -> Tensor {
        typealias V = Softmax.Vector
        let softLabel = self.softLabel
        let C = layout.classes, K = keptClasses, first = firstClass
        let activation = self.activation
        // Per entry: (k₁, k₀ − k₂, 2k₃, k₇, k₆).
        let forms: [SIMD8<Float>] = coefficients.map { k in
            SIMD8(Float(k[1]), Float(k[0] - k[2]), Float(2 * k[3]), Float(k[7]), Float(k[6]), 0, 0, 0)
        }
        // Terms whose coefficients are 0 in every entry are left out (Dice, Tversky: only the linear
        // ones). Not for `none`: there a NaN p reaches the gradient only through them.
        let skipping = activation != .none
        let squares = !skipping || forms.contains { $0[2] != 0 }
        let errors = !skipping || forms.contains { $0[3] != 0 || $0[4] != 0 }
        let one = V(repeating: 1), addedWeight = V(repeating: added?.weight ?? 0)
        var addedValues: [Float] = [], crossEntropy: (core: CrossEntropyCore, scale: V)? = nil
        switch added?.term {
        case let .values(values)?: addedValues = values
        case let .crossEntropy(core, scale)?: crossEntropy = (core, V(repeating: scale))
        case nil: break
        }
        // Taken from the caller, so the buffer is not shared and is written in place; otherwise
        // a new one, every element of which is written.
        let inPlace = probabilities != nil
        var out = probabilities.take() ?? [Float].uninitialized(count: layout.count)
        withPointers { x, stored, target, mask in addedValues.withUnsafeBufferPointer { addedValues in
            let addedValues = addedValues.isEmpty ? nil : addedValues.baseAddress
            out.withUnsafeMutableBufferPointer { out in
                let layout = self.layout
                Parallel.forEach(count: Softmax.blockCount(layout), grain: Softmax.grain(layout)) { range in
                    withUnsafeTemporaryAllocation(of: V.self, capacity: 4 * C) { scratch in
                        let d = scratch.baseAddress! + 2 * C, q = d + C
                        var b = Softmax.Block(classes: C, stride: layout.spatial, x: scratch.baseAddress!,
                                              p: scratch.baseAddress! + C)
                        for index in range {
                            loadProbabilities(&b, index, logits: x, stored: inPlace ? UnsafePointer(out.baseAddress!) : stored,
                                              keep: nil)
                            let row = (batch ? 0 : b.position / layout.spatial) * K
                            let labels = target.labels.map { b.labels($0) } ?? .zero
                            let keep = mask.map { b.load($0, position: true) }
                            var dot = V.zero
                            for c in 0..<C {
                                let pc = b.p[c]
                                guard c >= first else { d[c] = .zero; continue }
                                let gc = target.values(b, class: c, labels: labels)
                                let f = forms[row + c - first]
                                var t = gc
                                if softLabel {
                                    t = V(repeating: 0.5)
                                    t = t.replacing(with: one, where: pc .< gc)
                                    t = t.replacing(with: V.zero, where: pc .> gc)
                                }
                                // Vector operands only (vector–scalar operators compile to scalar code).
                                var dc: V = V(repeating: f[0]) * (one - t) + V(repeating: f[1]) * t
                                if squares { dc += V(repeating: f[2]) * pc }
                                if errors {
                                    let e: V = (gc - pc) * (V(repeating: f[3]) * (one - gc) + V(repeating: f[4]) * gc)
                                    dc -= e + e
                                }
                                if let keep { dc = dc.replacing(with: V.zero, where: keep .== V.zero) }
                                d[c] = dc
                                dot += pc * dc
                            }
                            // Cross entropy's p_c Σ_k q_k − q_c, from the same p.
                            let crossEntropyTotal = crossEntropy.map { $0.core.distribution(b, target: target, q: q) }
                            for c in 0..<C {
                                var v: V
                                switch activation {
                                case .softmax: v = b.p[c] * (d[c] - dot)
                                case .sigmoid: v = d[c] * b.p[c] * (one - b.p[c])
                                case .none: v = d[c]
                                }
                                if let addedValues { v += addedWeight * b.load(addedValues, class: c) }
                                if let crossEntropy, let total = crossEntropyTotal {
                                    v += addedWeight * ((b.p[c] * total - q[c]) * crossEntropy.scale)
                                }
                                b.store(v, to: out.baseAddress!, class: c)
                            }
                        }
                    }
                }
            }
        } }
        return Tensor(unchecked: layout.shape, data: out)
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
    ///   - compound: for a compound loss: this term's weight λ and another term's weighted
    ///     gradient, so the gradient returned is λ ∂L/∂input + `compound.other` (the value is this
    ///     term's alone).
    ///   - extras: the sums `entryLoss` reads beyond tp, fp, fn and g (``Extras``); the others reach it as 0.
    func evaluate(reduction: Reduction, gradient wanted: Bool, weights: [Double] = [],
                  compound: (weight: Double, other: AddedGradient)? = nil, extras: Extras = .all,
                  _ entryLoss: (SIMD8<Double>) -> (value: Double, partials: SIMD8<Double>)) -> LossOutput {
        evaluateAdding(reduction: reduction, gradient: wanted, weights: weights, compound: compound, extras: extras, entryLoss).output
    }

    /// ``evaluate(reduction:gradient:weights:compound:_:)``, also returning the other term's sum
    /// over positions when it is cross entropy computed here (``AddedGradient/Term/crossEntropy(_:scale:)``),
    /// 0 otherwise.
    func evaluateAdding(reduction: Reduction, gradient wanted: Bool, weights: [Double] = [],
                        compound: (weight: Double, other: AddedGradient)? = nil, extras: Extras = .all,
                        _ entryLoss: (SIMD8<Double>) -> (value: Double, partials: SIMD8<Double>)) -> (output: LossOutput, addedSum: Double) {
        var crossEntropy: CrossEntropyCore?
        if case let .crossEntropy(core, _)? = compound?.other.term { crossEntropy = core }
        let (sums, probabilities, addedSum) = self.sums(keepingProbabilities: wanted, crossEntropy: crossEntropy, extras: extras)
        var kept = probabilities
        var values = [Double](repeating: 0, count: entries)
        var partials = [SIMD8<Double>](repeating: .zero, count: entries)
        for e in 0..<entries {
            let w = weights.isEmpty ? 1 : weights[e % keptClasses]
            let (v, d) = entryLoss(sums[e])
            values[e] = w * v
            partials[e] = w * d
        }
        let (value, scale) = reduce(values, reduction)
        guard wanted else { return (LossOutput(value: value), addedSum) }
        let factor = scale * (compound?.weight ?? 1)
        return (LossOutput(value: value, gradient: gradient(partials.map { $0 * factor }, over: &kept, adding: compound?.other)),
                addedSum)
    }
}

/// Another term's gradient that a region loss adds to its own as it writes it, times `weight`,
/// so a compound (Dice + cross entropy) needs no buffer or pass to add them.
struct AddedGradient {
    enum Term {
        /// The other term's gradient, in the input's layout.
        case values([Float])
        /// Softmax cross entropy on the region loss's own logits and target, from its p:
        /// `scale` · (p_c Σ_k q_k − q_c) (`CrossEntropyCore`; `scale` the reduction's factor), its
        /// value added up in the pass that computes the sums — no softmax of its own.
        case crossEntropy(CrossEntropyCore, scale: Float)
    }

    let weight: Float
    let term: Term
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

    /// `backward` for a `Float` ∂L/∂p (a map stored at the gradient's own precision).
    func backward(_ upstream: [Float]) -> Tensor {
        Tensor(unchecked: layout.shape, data: probabilities.backward(upstream))
    }
}
