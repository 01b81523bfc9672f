import CLossKernels

/// Softmax over the class axis of channel-first scores, eight positions at a time in `Float`
/// SIMD: the one kernel behind every class-score loss (`ClassScores.activate` and so the region
/// losses, cross entropy, focal).
///
/// For the C logits x_c of one position, with m = max_c x_c:
/// ```latex
/// p_c = \frac{e^{x_c - m}}{z}, \qquad z = \sum_k e^{x_k - m} \in [1, C], \qquad
/// \log p_c = (x_c - m) - \log z
/// ```
/// **Stability.** Every exponent x_c − m is ≤ 0, so nothing overflows; z ≥ 1 (its largest term
/// is e⁰), so log z is finite and well conditioned; log p is never the log of a rounded p, so a
/// logit 1000 below the others gets log p ≈ −1000 where p underflows to 0.
///
/// **Error.** The kernel's `exp` and `log` are within 2 ulp (relative error < 2.4·10⁻⁷) of the
/// true value on their domains (measured by `SoftmaxKernelTests`); z adds C − 1 roundings and p = e·(1/z) two more, so p_c carries
/// a relative error below (C + 5)·6·10⁻⁸. A loss never takes the log of a rounded p: it forms
/// log p_c = (x_c − m) − log z from the block's x, m and log z (cross entropy's and focal's values
/// in `Double`, where x_c − m is exact: absolute error ≤ 2.4·10⁻⁷·log C, whatever the size of the
/// logits).
///
/// **Special values.** A NaN logit makes its position all NaN; a +∞ logit gives ∞ − ∞ = NaN;
/// a position whose logits are all −∞ is NaN (0/0) — the plain formula's answers, as PyTorch.
///
/// **Kernel.** The arithmetic of a block (max, `exp`, z, log z, p) is C (`CLossKernels`), compiled
/// for AVX2+FMA and for the baseline and chosen at run time (``implementation``): Swift cannot
/// compile one function for two instruction sets, and a package built for AVX2 would not run on
/// CPUs without it.
enum Softmax {
    typealias Vector = SIMD8<Float>
    static let width = 8

    // MARK: - Implementations

    /// The instruction sets the kernel is compiled for.
    enum Implementation: CaseIterable {
        /// The target's baseline (SSE2 on x86-64): every CPU. `LOSSES_KERNELS=portable` in the
        /// environment forces it for a whole run.
        case portable
        /// AVX2 and FMA, chosen by default where the CPU has them.
        case avx2

        var kernel: lk_implementation { self == .portable ? lk_portable : lk_avx2 }
    }

    /// The implementation in use. Setting one the CPU lacks is a precondition failure; set it
    /// only while no loss runs (tests run both).
    static var implementation: Implementation {
        get { lk_active() == lk_avx2 ? .avx2 : .portable }
        set { precondition(lk_select(newValue.kernel) != 0, "this CPU cannot run \(newValue)") }
    }

    /// Whether this CPU can run `implementation`.
    static func supports(_ implementation: Implementation) -> Bool {
        let active = lk_active()
        defer { lk_select(active) }
        return lk_select(implementation.kernel) != 0
    }

    /// e^x element-wise, for x ≤ 0 (the kernel's `exp`; for tests).
    static func exp(_ x: [Float]) -> [Float] { map(x, lk_exp) }

    /// log x element-wise, for x normal, ±0, +∞ or NaN (the kernel's `log`; for tests).
    static func log(_ x: [Float]) -> [Float] { map(x, lk_log) }

    private static func map(_ x: [Float], _ f: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { y, count in
            x.withUnsafeBufferPointer { f($0.baseAddress, y.baseAddress, x.count) }
            count = x.count
        }
    }

    /// A vector with every lane `value`.
    @inline(__always)
    static func splat(_ value: Float) -> Vector { Vector(repeating: value) }

    // MARK: - Blocks of positions

    /// Up to eight consecutive positions (lanes) of one sample, with their softmax.
    struct Block {
        /// Flat index of class 0 at the first lane, n·C·S + s; class c starts at `base + c·S`.
        var base = 0
        /// The first lane's position n·S + s.
        var position = 0
        /// Valid lanes (8 but at the end of a sample's spatial extent).
        var lanes = 0
        let classes: Int
        let stride: Int
        /// Per lane: m = max_c x_c and log z.
        var max = Vector.zero
        var logZ = Vector.zero
        /// x_c and p_c per class (0 in lanes ≥ `lanes`).
        let x: UnsafeMutablePointer<Vector>
        let p: UnsafeMutablePointer<Vector>

        /// Class c's eight values of an array in the input's layout (0 past `lanes`).
        @inline(__always)
        func load(_ a: UnsafePointer<Float>, class c: Int) -> Vector {
            let start = base + c * stride
            if lanes == Softmax.width { return UnsafeRawPointer(a + start).loadUnaligned(as: Vector.self) }
            var v = Vector.zero
            for l in 0..<lanes { v[l] = a[start + l] }
            return v
        }

        /// Stores class c's valid lanes into an array in the input's layout.
        @inline(__always)
        func store(_ v: Vector, to a: UnsafeMutablePointer<Float>, class c: Int) {
            let start = base + c * stride
            if lanes == Softmax.width {
                UnsafeMutableRawPointer(a + start).storeBytes(of: v, as: Vector.self)
            } else {
                for l in 0..<lanes { a[start + l] = v[l] }
            }
        }

        /// Eight values of an array shaped `[N, spatial…]` (one per position; 0 past `lanes`).
        @inline(__always)
        func load(_ a: UnsafePointer<Float>, position: Bool) -> Vector {
            if lanes == Softmax.width { return UnsafeRawPointer(a + self.position).loadUnaligned(as: Vector.self) }
            var v = Vector.zero
            for l in 0..<lanes { v[l] = a[self.position + l] }
            return v
        }

        /// The class labels of a `[N, spatial…]` map for the block's lanes (−1, no class, past `lanes`).
        @inline(__always)
        func labels(_ a: UnsafePointer<Float>) -> Vector {
            if lanes == Softmax.width { return UnsafeRawPointer(a + position).loadUnaligned(as: Vector.self) }
            var v = Softmax.splat(-1)
            for l in 0..<lanes { v[l] = a[position + l] }
            return v
        }

        /// Lanes inside the block (all but at the end of a sample).
        @inline(__always)
        var inside: SIMDMask<SIMD8<Int32>> {
            if lanes == Softmax.width { return SIMDMask(repeating: true) }
            return SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .< SIMD8<Int32>(repeating: Int32(lanes))
        }

        /// Points the block at block `index` (see `Softmax.blockCount`) without computing anything.
        @inline(__always)
        mutating func locate(_ index: Int) {
            let perSample = (stride + Softmax.width - 1) / Softmax.width
            let n = index / perSample, s = (index - n * perSample) * Softmax.width
            base = n * classes * stride + s
            position = n * stride + s
            lanes = Swift.min(Softmax.width, stride - s)
        }

        /// What ``compute(_:logits:_:)`` produces besides m: p, log z, or both.
        struct Outputs: OptionSet {
            let rawValue: Int
            /// p_c (0 in lanes ≥ `lanes`).
            static let probabilities = Outputs(rawValue: Int(lk_probabilities))
            /// log z, for log p.
            static let logNormaliser = Outputs(rawValue: Int(lk_log_normaliser))
            static let all: Outputs = [.probabilities, .logNormaliser]
        }

        /// Loads block `index` of `logits` and computes its softmax: always x_c and m; p_c and
        /// log z as `outputs` asks (Dice reads p only, cross entropy's value log z only).
        ///
        /// p_c = e^{x_c − m} · (1/z): one division per lane instead of one per class, at the
        /// price of one more rounding (p within 1.5 ulp of e^{x_c − m}/z).
        @inline(__always)
        mutating func compute(_ index: Int, logits: UnsafePointer<Float>, _ outputs: Outputs = .all) {
            locate(index)
            let start = logits + base, x = floats(self.x), p = floats(self.p)
            let (stride, classes, lanes) = (self.stride, Int32(classes), Int32(lanes))
            var m = Vector.zero, logZ = self.logZ
            withUnsafeMutablePointer(to: &m) { m in
                withUnsafeMutablePointer(to: &logZ) { logZ in
                    lk_softmax_block(start, stride, classes, lanes, Int32(outputs.rawValue), x, p, floats(m), floats(logZ))
                }
            }
            max = m
            self.logZ = logZ
        }

        /// The lanes of vectors as `Float`s, as the kernel reads and writes them.
        @inline(__always)
        private func floats(_ v: UnsafeMutablePointer<Vector>) -> UnsafeMutablePointer<Float> {
            UnsafeMutableRawPointer(v).assumingMemoryBound(to: Float.self)
        }
    }

    /// The number of blocks of a layout: N · ⌈S / 8⌉.
    static func blockCount(_ layout: ClassScoreShape) -> Int {
        layout.batch * ((layout.spatial + width - 1) / width)
    }

    /// The `Parallel` grain for block loops: about `Parallel.grain` elements per chunk.
    static func grain(_ layout: ClassScoreShape) -> Int {
        Swift.max(1, Parallel.grain / (width * layout.classes))
    }

    /// Runs `body` on a block for every index in `blocks`, its softmax computed from `logits`
    /// (`outputs` as in ``Block/compute(_:logits:_:)``; scratch for one worker; `body` must not
    /// keep the block).
    @inline(__always)
    static func forEachBlock(_ logits: UnsafePointer<Float>, layout: ClassScoreShape, blocks: Range<Int>,
                             _ outputs: Block.Outputs = .all, _ body: (Block) -> Void) {
        withUnsafeTemporaryAllocation(of: Vector.self, capacity: 2 * layout.classes) { scratch in
            var block = Block(classes: layout.classes, stride: layout.spatial,
                              x: scratch.baseAddress!, p: scratch.baseAddress! + layout.classes)
            for index in blocks {
                block.compute(index, logits: logits, outputs)
                body(block)
            }
        }
    }
}

/// A validated class-score target as the block kernels read it: a label map (`[N, spatial…]`,
/// compared with each class: g_c = [y = c]) or dense values in the input's layout.
struct BlockTarget {
    var labels: UnsafePointer<Float>? = nil
    /// The ignore index, when some label holds it (those positions take no part).
    var ignored: Float? = nil
    var dense: UnsafePointer<Float>? = nil

    /// g_c for the block's lanes (0 past `lanes`); `labels` from ``Softmax/Block/labels(_:)``
    /// when the target is a label map. Ignored positions are the caller's to mask.
    @inline(__always)
    func values(_ b: Softmax.Block, class c: Int, labels: Softmax.Vector) -> Softmax.Vector {
        if let dense { return b.load(dense, class: c) }
        return Softmax.Vector.zero.replacing(with: Softmax.splat(1), where: labels .== Softmax.splat(Float(c)))
    }

    /// The lanes that take part: inside the block and not ignored.
    @inline(__always)
    func taking(_ b: Softmax.Block, labels: Softmax.Vector) -> SIMDMask<SIMD8<Int32>> {
        guard let ignored else { return b.inside }
        return b.inside .& (labels .!= Softmax.splat(ignored))
    }
}

