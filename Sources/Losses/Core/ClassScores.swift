import Foundation

/// The layout of a class-score tensor `[N, C, spatial…]` (channel-first).
///
/// Element `(n, c, s)`, with `s` the row-major index over the spatial axes, lives at
/// `(n · C + c) · S + s`, `S` the product of the spatial sizes (1 for `[N, C]`).
/// A *position* is one `(n, s)` pair: the unit a class-index label belongs to.
public struct ClassScoreShape: Sendable, Equatable {
    /// The full input shape.
    public let shape: [Int]
    /// N.
    public let batch: Int
    /// C.
    public let classes: Int
    /// S = product of the spatial sizes (1 when there are none).
    public let spatial: Int

    /// The spatial axes of the shape, `[spatial…]`.
    public var spatialShape: [Int] { Array(shape.dropFirst(2)) }
    /// N · S: the number of positions.
    public var positions: Int { batch * spatial }
    /// N · C · S.
    public var count: Int { batch * classes * spatial }
    /// The shape of a per-position map, `[N, spatial…]` (a class-index target, or an unreduced
    /// per-position loss).
    public var positionShape: [Int] { [batch] + spatialShape }

    /// Flat index of element `(n, c, s)`.
    @inlinable
    public func index(_ n: Int, _ c: Int, _ s: Int) -> Int { (n * classes + c) * spatial + s }

    /// Flat index of element `(position, c)`, `position = n · S + s`.
    @inlinable
    public func index(position p: Int, class c: Int) -> Int {
        let n = p / spatial
        return (n * classes + c) * spatial + (p - n * spatial)
    }
}

/// A class-score target after validation.
public enum ClassTarget: Sendable, Equatable {
    /// One class index per position, ordered like `[N, spatial…]`; `ClassScores.ignored`
    /// where the target equalled `ignore_index`.
    case labels([Int])
    /// A dense target of the input's shape (one-hot or class probabilities), as given.
    case dense([Float])
}

/// A class-index map validated where it lies: the `Float` labels as given (`[N, spatial…]` order),
/// which the block kernels compare with each class, so no `[Int]` copy is made.
struct LabelMap: Sendable {
    /// The labels: whole numbers in 0..<C, or the ignore index.
    let values: [Float]
    /// The ignore index, when at least one position holds it; nil when every position takes part.
    let ignored: Float?
    /// The number of positions holding it.
    let ignoredCount: Int
    /// The number of positions holding each class, when asked for (`ClassScores.labelMap`'s `counting`).
    let counts: [Int]?

    /// `counts`, or counted now if validation was not asked to.
    func classCounts(_ classes: Int) -> [Int] {
        if let counts { return counts }
        var counts = [Int](repeating: 0, count: classes)
        for v in values where v != ignored { counts[Int(v)] += 1 }
        return counts
    }

    /// The labels as ``ClassTarget/labels(_:)`` holds them (ignored positions `ClassScores.ignored`).
    var indices: [Int] { values.map { $0 == ignored ? ClassScores.ignored : Int($0) } }
}

/// A validated class-score target as the kernels read it (``ClassTarget`` is its public form).
enum ClassTargetView: Sendable {
    case labels(LabelMap)
    /// Dense, in the input's layout.
    case dense([Float])

    var classTarget: ClassTarget {
        switch self {
        case let .labels(map): return .labels(map.indices)
        case let .dense(values): return .dense(values)
        }
    }

    /// Runs `body` with the target's storage as a block kernel reads it.
    func withBlockTarget<R>(_ body: (BlockTarget) -> R) -> R {
        switch self {
        case let .labels(map):
            return map.values.withUnsafeBufferPointer { body(BlockTarget(labels: $0.baseAddress!, ignored: map.ignored)) }
        case let .dense(values):
            return values.withUnsafeBufferPointer { body(BlockTarget(dense: $0.baseAddress!)) }
        }
    }
}

/// Probabilities of a class-score input after its `Activation`, with their logarithms.
///
/// `p` and `logP` are in the input's layout. `logP` is computed stably: log-softmax through
/// log-sum-exp, log-sigmoid as `−softplus(−x)`; so logits of ±1000 give finite `logP` where
/// `p` is exactly 0 or 1. For `Activation.none`, `logP = max(log p, ClassScores.logClamp)`.
public struct ClassProbabilities: Sendable {
    /// The activation that produced `p`.
    public let activation: Activation
    /// The input's layout, which `p`, `logP` and `logQ` share.
    public let layout: ClassScoreShape
    /// p.
    public var p: [Float]
    /// log p (see the type's summary for how); empty for softmax when `activate` was asked for
    /// p only (`logarithms: false`).
    public var logP: [Float]
    /// log(1 − p), only when asked for (`complement: true`); stable for sigmoid
    /// (`log σ(−x)`), `log1p(−p)` clamped at `ClassScores.logClamp` for `none`,
    /// `log1mexp(log p)` for softmax.
    public var logQ: [Float]?

    /// Backward pass of the activation: given ∂L/∂p (input layout), returns ∂L/∂input.
    ///
    /// - softmax: the Jacobian-vector product ∂L/∂x_c = p_c (g_c − Σ_k p_k g_k) per position;
    /// - sigmoid: ∂L/∂x = g · p (1 − p);
    /// - none: ∂L/∂x = g.
    ///
    /// Accumulates in `Double`. Prefer a loss-specific closed form when ∂L/∂p is unbounded
    /// where the gradient wrt logits is not (cross entropy: p − y, not −y/p).
    public func backward(_ upstream: [Double]) -> [Float] {
        upstream.withUnsafeBufferPointer { backwardImpl($0) }
    }

    /// `backward` for a `Float` upstream gradient.
    public func backward(_ upstream: [Float]) -> [Float] {
        upstream.withUnsafeBufferPointer { backwardImpl($0) }
    }

    private func backwardImpl<T: BinaryFloatingPoint>(_ g: UnsafeBufferPointer<T>) -> [Float] {
        precondition(g.count == p.count, "upstream gradient has \(g.count) elements, expected \(p.count)")
        switch activation {
        case .none:
            return g.map { Float($0) }
        case .sigmoid:
            var out = [Float](repeating: 0, count: p.count)
            p.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { out in
                    Parallel.forEach(count: p.count) { range in
                        for i in range {
                            let pi = Double(p[i])
                            out[i] = Float(Double(g[i]) * pi * (1 - pi))
                        }
                    }
                }
            }
            return out
        case .softmax:
            var out = [Float](repeating: 0, count: p.count)
            let L = layout, C = L.classes, S = L.spatial
            p.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { out in
                    Parallel.forEach(count: L.positions, grain: max(1, Parallel.grain / C)) { range in
                        for pos in range {
                            let n = pos / S, s = pos - n * S
                            let base = n * C * S + s
                            var dot = 0.0
                            for c in 0..<C { dot += Double(p[base + c * S]) * Double(g[base + c * S]) }
                            for c in 0..<C {
                                let i = base + c * S
                                out[i] = Float(Double(p[i]) * (Double(g[i]) - dot))
                            }
                        }
                    }
                }
            }
            return out
        }
    }
}

/// Shared, validated building blocks of class-score losses (cross entropy, focal, Dice, …).
///
/// Typical use inside `evaluate`:
/// ```swift
/// let layout = try ClassScores.layout(of: input)
/// let t = try ClassScores.target(target, for: layout, ignoreIndex: ignoreIndex)
/// let probs = try ClassScores.activate(input, layout: layout, activation: activation)
/// // … loss value and ∂L/∂p …
/// let grad = probs.backward(dLdp)
/// ```
public enum ClassScores {
    /// The label stored for ignored positions in `ClassTarget.labels`.
    public static let ignored = -1

    /// Lower bound of log p when the input already holds probabilities (`activation: none`):
    /// the same −100 clamp as `torch.nn.BCELoss`, so p = 0 gives a finite loss of 100.
    public static let logClamp: Double = -100

    // MARK: - Validation

    /// Checks that `input` is `[N, C, spatial…]` with N, C and every spatial size ≥ 1.
    /// - Throws: `LossError.shapeMismatch` for rank < 2, `.invalidInput` for an empty tensor.
    public static func layout(of input: Tensor) throws -> ClassScoreShape {
        guard input.rank >= 2 else {
            throw LossError.shapeMismatch("class scores must be [N, C, spatial…] (rank ≥ 2), got \(input.shape)")
        }
        guard input.count > 0 else {
            throw LossError.invalidInput("class scores \(input.shape) hold no elements")
        }
        let spatial = input.shape.dropFirst(2).reduce(1, *)
        return ClassScoreShape(shape: input.shape, batch: input.shape[0], classes: input.shape[1], spatial: spatial)
    }

    /// Resolves a class-score target.
    ///
    /// Accepted forms:
    /// - a class-index map `[N, spatial…]` (whole numbers stored as `Float`), or `[N, 1, spatial…]`
    ///   when C > 1 (MONAI's label layout) → `.labels`. Each value must be `ignoreIndex` (if given)
    ///   or a whole number in `0..<C`;
    /// - a dense tensor of the input's shape (one-hot or probabilities) → `.dense`; NaN is rejected.
    ///
    /// When C = 1 a `[N, 1, spatial…]` target is dense.
    /// - Parameters:
    ///   - target: the target the loss was given; `nil` throws.
    ///   - layout: the input's layout, from ``layout(of:)``.
    ///   - ignoreIndex: the label to skip (`torch`'s `ignore_index`), or `nil`.
    ///   - allowLabels: the loss accepts a class-index map.
    ///   - allowDense: the loss accepts a dense target shaped like the input.
    /// - Throws: `LossError.shapeMismatch` (missing target, other shapes), `.invalidInput` (labels out
    ///   of range or not whole, NaN).
    public static func target(_ target: Tensor?, for layout: ClassScoreShape, ignoreIndex: Int? = nil,
                              allowLabels: Bool = true, allowDense: Bool = true) throws -> ClassTarget {
        try view(target, for: layout, ignoreIndex: ignoreIndex, allowLabels: allowLabels, allowDense: allowDense).classTarget
    }

    /// ``target(_:for:ignoreIndex:allowLabels:allowDense:)`` as the block kernels read it: a
    /// class-index map stays the `Float` values it was given (``LabelMap``), no `[Int]` copy.
    /// - Parameter counting: count each class of a label map (``LabelMap/counts``).
    static func view(_ target: Tensor?, for layout: ClassScoreShape, ignoreIndex: Int? = nil,
                     allowLabels: Bool = true, allowDense: Bool = true, counting: Bool = false) throws -> ClassTargetView {
        guard let target else {
            throw LossError.shapeMismatch("this loss needs a target shaped \(layout.positionShape) (class indices) or \(layout.shape) (dense)")
        }
        let labelShapes = [layout.positionShape, [layout.batch, 1] + layout.spatialShape]
        if target.shape == layout.shape, allowDense {
            if let bad = target.data.firstIndex(where: { $0.isNaN }) {
                throw LossError.invalidInput("target holds NaN at flat index \(bad)")
            }
            return .dense(target.data)
        }
        if allowLabels, target.shape == labelShapes[0] || (layout.classes != 1 && target.shape == labelShapes[1]) {
            return .labels(try labelMap(target.data, classes: layout.classes, ignoreIndex: ignoreIndex, counting: counting))
        }
        var expected: [String] = []
        if allowLabels { expected.append("\(layout.positionShape) (class indices)") }
        if allowDense { expected.append("\(layout.shape) (dense, like the input)") }
        throw LossError.shapeMismatch("target \(target.shape) does not fit input \(layout.shape): expected "
                                      + expected.joined(separator: " or "))
    }

    /// Validates class indices stored as `Float`.
    public static func labels(_ values: [Float], classes: Int, ignoreIndex: Int?) throws -> [Int] {
        try labelMap(values, classes: classes, ignoreIndex: ignoreIndex).indices
    }

    /// Validates class indices stored as `Float` (and, with `counting`, counts each class), in
    /// chunks across cores for large maps; the error names the first offending element, whatever
    /// the chunking.
    static func labelMap(_ values: [Float], classes: Int, ignoreIndex: Int?, counting: Bool = false) throws -> LabelMap {
        struct Chunk { var counts: [Int]; var ignored: Int; var firstBad: Int? }
        let top = Float(classes)
        // No whole `Float` equals an ignore index that is not itself a `Float`: compare with NaN then.
        let ignoreValue = ignoreIndex.flatMap { Float(exactly: $0) } ?? .nan
        let chunks = values.withUnsafeBufferPointer { v in
            Parallel.map(count: v.count) { range in
                var counts = [Int](repeating: 0, count: counting ? classes : 0), ignored = 0
                let firstBad = counts.withUnsafeMutableBufferPointer { counts -> Int? in
                    // Sixty-four labels (eight vectors) at a time while they are all fine, then one by one.
                    var i = range.lowerBound
                    var ignoredLanes = SIMD8<Int32>.zero
                    while i + 64 <= range.upperBound {
                        var notClass = SIMD8<Int32>.zero, ignoredHere = SIMD8<Int32>.zero
                        for j in stride(from: i, to: i + 64, by: 8) {
                            let lanes = LabelLanes.check(UnsafeRawPointer(v.baseAddress! + j).loadUnaligned(as: SIMD8<Float>.self),
                                                         classes: classes, ignore: ignoreValue)
                            notClass |= lanes.notClass
                            ignoredHere &+= lanes.ignored
                        }
                        guard all(notClass .>= SIMD8.zero) else { break }
                        ignoredLanes &+= ignoredHere
                        if counting { for j in i..<(i + 64) where v[j] != ignoreValue { counts[Int(v[j])] += 1 } }
                        i += 64
                    }
                    ignored = Int(ignoredLanes.wrappedSum())
                    while i < range.upperBound {
                        // A whole number survives the round trip through an integer (cheaper than
                        // `rounded()`, a library call per element); Int32 holds any v in [0, C).
                        if v[i] == ignoreValue {
                            ignored += 1
                        } else if v[i] >= 0 && v[i] < top && Float(Int32(v[i])) == v[i] {
                            if counting { counts[Int(v[i])] += 1 }
                        } else {
                            return i
                        }
                        i += 1
                    }
                    return nil
                }
                return Chunk(counts: counts, ignored: ignored, firstBad: firstBad)
            }
        }
        var counts = [Int](repeating: 0, count: counting ? classes : 0), ignored = 0
        for chunk in chunks {
            if let i = chunk.firstBad {
                let v = values[i]
                guard v.magnitude < 1e9, Float(Int(v)) == v else {
                    throw LossError.invalidInput("target value \(v) at flat index \(i) is not a class index")
                }
                throw LossError.invalidInput("class index \(Int(v)) at flat index \(i) is out of range 0..<\(classes)"
                                             + (ignoreIndex.map { " (ignore_index is \($0))" } ?? ""))
            }
            for c in counts.indices { counts[c] += chunk.counts[c] }
            ignored += chunk.ignored
        }
        return LabelMap(values: values, ignored: ignored > 0 ? ignoreValue : nil, ignoredCount: ignored,
                        counts: counting ? counts : nil)
    }

    /// Eight labels checked with integer lane arithmetic only: comparison masks (`.<`, `.&`) on
    /// `SIMD8` compile to one scalar comparison per lane, these operations to a few vector
    /// instructions for all eight.
    enum LabelLanes {
        /// Per lane, `notClass` is negative exactly when the label is not a class index in
        /// 0..<`classes` (nor the ignore index, whose lanes `ignored` counts as 1).
        ///
        /// A label's bits, read as an `Int32`, are negative for a negative `Float` (−0 included:
        /// the one-by-one path accepts it), order like the `Float` for non-negative ones, and
        /// exceed C − 1's for NaN and +∞; so x ∈ [0, C − 1] exactly when both its bits and
        /// bits(C − 1) − bits(x) are non-negative. x is whole when (x + 1.5·2²³) − 1.5·2²³ has
        /// its bits (exact for x in [0, 2²²); labels from 2²² on count as not a class here
        /// and are checked one by one). `ignore` is NaN when there is no ignore index: no lane matches then.
        @inline(__always)
        static func check(_ x: SIMD8<Float>, classes: Int, ignore: Float) -> (notClass: SIMD8<Int32>, ignored: SIMD8<Int32>) {
            let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
            let magic = SIMD8<Float>(repeating: 12582912)
            let rounded = unsafeBitCast((x + magic) - magic, to: SIMD8<Int32>.self)
            // Labels from 2²² on are left to the one-by-one path (see the summary).
            let last = SIMD8<Int32>(repeating: Int32(bitPattern: Float(min(classes, 1 << 22) - 1).bitPattern))
            var notClass = bits | (last &- bits) | nonZero(rounded ^ bits)
            guard !ignore.isNaN else { return (notClass, .zero) }
            // −1 where the bits equal the ignore index's, 0 elsewhere.
            let isIgnored = ~nonZero(bits ^ SIMD8(repeating: Int32(bitPattern: ignore.bitPattern))) &>> SIMD8(repeating: 31)
            notClass &= ~isIgnored
            return (notClass, SIMD8.zero &- isIgnored)
        }

        /// Negative in the lanes where v ≠ 0 (v | −v has the sign bit of a non-zero v).
        @inline(__always)
        private static func nonZero(_ v: SIMD8<Int32>) -> SIMD8<Int32> { v | (SIMD8.zero &- v) }
    }

    /// A dense one-hot tensor (input layout) from labels; ignored positions get all zeros.
    public static func oneHot(_ labels: [Int], layout: ClassScoreShape) -> [Float] {
        var out = [Float](repeating: 0, count: layout.count)
        let C = layout.classes, S = layout.spatial
        for n in 0..<layout.batch {
            for s in 0..<S where labels[n * S + s] >= 0 {
                out[(n * C + labels[n * S + s]) * S + s] = 1
            }
        }
        return out
    }

    /// The dense form of any target (labels become one-hot).
    public static func dense(_ target: ClassTarget, layout: ClassScoreShape) -> [Float] {
        switch target {
        case let .dense(values): return values
        case let .labels(labels): return oneHot(labels, layout: layout)
        }
    }

    /// Rejects probabilities outside [0, 1] (and NaN) for `activation: none`.
    public static func checkProbabilities(_ input: Tensor) throws {
        if let i = input.data.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw LossError.invalidInput("activation 'none' expects probabilities in [0, 1]; input[\(i)] = \(input.data[i])")
        }
    }

    // MARK: - Activations

    /// Applies `activation` and returns p and log p (and log(1 − p) if `complement`).
    ///
    /// NaN logits propagate to NaN probabilities.
    /// - Parameters:
    ///   - input: class scores `[N, C, spatial…]`.
    ///   - layout: the input's layout, from ``layout(of:)``.
    ///   - activation: softmax over the channel axis, sigmoid element-wise, or none (probabilities).
    ///   - complement: also compute log(1 − p) (`logQ`), for binary terms.
    ///   - validate: for `.none`, reject values outside [0, 1] (`LossError.invalidInput`).
    ///   - logarithms: compute log p; `false` leaves `logP` empty for softmax (the region losses
    ///     read p only), and is overridden by `complement`.
    public static func activate(_ input: Tensor, layout: ClassScoreShape, activation: Activation,
                                complement: Bool = false, validate: Bool = true,
                                logarithms: Bool = true) throws -> ClassProbabilities {
        let count = input.count
        let logarithms = logarithms || complement
        var p: [Float]
        var logP = [Float](repeating: 0, count: activation == .softmax ? 0 : count)
        var logQ: [Float]? = complement ? [Float](repeating: 0, count: count) : nil
        switch activation {
        case .none:
            if validate { try checkProbabilities(input) }
            p = input.data
            for i in 0..<count {
                let x = Double(p[i])
                logP[i] = Float(clampedLog(x))
                logQ?[i] = Float(clampedLog1p(-x))
            }
        case .sigmoid:
            p = [Float](repeating: 0, count: count)
            input.data.withUnsafeBufferPointer { x in
                p.withUnsafeMutableBufferPointer { p in
                    logP.withUnsafeMutableBufferPointer { logP in
                        Parallel.forEach(count: count) { range in
                            for i in range {
                                let xi = Double(x[i])
                                p[i] = Float(sigmoid(xi))
                                logP[i] = Float(logSigmoid(xi))
                            }
                        }
                    }
                }
            }
            if complement {
                logQ = input.data.map { Float(logSigmoid(-Double($0))) }
            }
        case .softmax:
            (p, logP) = softmax(input, layout: layout, logarithms: logarithms)
            if complement {
                logQ = logP.map { Float(log1mexp(Double($0))) }
            }
        }
        return ClassProbabilities(activation: activation, layout: layout, p: p, logP: logP, logQ: logQ)
    }

    /// p and, if `logarithms`, log p (`Float`, x_c − m − log z) of softmax logits, from the shared
    /// `Softmax` kernel eight positions at a time; `logP` is empty without `logarithms`.
    static func softmax(_ input: Tensor, layout: ClassScoreShape, logarithms: Bool) -> (p: [Float], logP: [Float]) {
        let count = input.count
        // Every element is written, so both start uninitialised.
        var p = [Float].uninitialized(count: count)
        var logP = [Float].uninitialized(count: logarithms ? count : 0)
        input.data.withUnsafeBufferPointer { x in
            p.withUnsafeMutableBufferPointer { p in
                logP.withUnsafeMutableBufferPointer { logP in
                    let logP = logarithms ? logP.baseAddress : nil
                    Parallel.forEach(count: Softmax.blockCount(layout), grain: Softmax.grain(layout)) { range in
                        Softmax.forEachBlock(x.baseAddress!, layout: layout, blocks: range,
                                             logarithms ? .all : .probabilities) { b in
                            for c in 0..<b.classes {
                                b.store(b.p[c], to: p.baseAddress!, class: c)
                                if let logP { b.store(b.x[c] - b.max - b.logZ, to: logP, class: c) }
                            }
                        }
                    }
                }
            }
        }
        return (p, logP)
    }

    // MARK: - Scalar functions (Double)

    /// σ(x) = 1 / (1 + e^{−x}), without overflow for large |x|.
    @inlinable
    public static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }

    /// log σ(x) = −softplus(−x) = min(x, 0) − log1p(e^{−|x|}); exact for |x| large
    /// (x = −1000 gives −1000, x = 1000 gives −0).
    @inlinable
    public static func logSigmoid(_ x: Double) -> Double {
        min(x, 0) - log1p(exp(-abs(x)))
    }

    /// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^{−|x|}).
    @inlinable
    public static func softplus(_ x: Double) -> Double {
        max(x, 0) + log1p(exp(-abs(x)))
    }

    /// log(1 − e^a) for a ≤ 0 (Mächler 2012): `log(−expm1(a))` near 0, `log1p(−e^a)` below −ln 2.
    /// Returns −∞ at a = 0 (p = 1); callers that need a finite value clamp it.
    @inlinable
    public static func log1mexp(_ a: Double) -> Double {
        a > -0.6931471805599453 ? log(-expm1(a)) : log1p(-exp(a))
    }

    /// max(log x, `logClamp`): torch's BCELoss clamp, also used for `activation: none`.
    @inlinable
    public static func clampedLog(_ x: Double) -> Double {
        x.isNaN ? x : max(log(x), logClamp)
    }

    /// max(log1p(x), `logClamp`).
    @inlinable
    public static func clampedLog1p(_ x: Double) -> Double {
        x.isNaN ? x : max(log1p(x), logClamp)
    }
}
