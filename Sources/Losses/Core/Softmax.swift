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
/// **Error.** ``exp(_:)`` and ``log(_:)`` are within 2 ulp (relative error < 2.4·10⁻⁷) of the
/// true value on their domains; z adds C − 1 roundings and p = e·(1/z) two more, so p_c carries
/// a relative error below (C + 5)·6·10⁻⁸. Losses need their *values* closer than that where log p
/// is large (logits of
/// ±1000), so ``Block/logP(_:lane:)`` recomputes log p in `Double` from the exact x_c − m and
/// the rounded log z: absolute error ≤ 2.4·10⁻⁷·log C, whatever the size of the logits.
///
/// **Special values.** A NaN logit makes its position all NaN; a +∞ logit gives ∞ − ∞ = NaN;
/// a position whose logits are all −∞ is NaN (0/0) — the plain formula's answers, as PyTorch.
enum Softmax {
    typealias Vector = SIMD8<Float>
    static let width = 8

    // MARK: - Elementary functions

    /// e^x for x ≤ 0, lane-wise — the softmax's exponents x_c − m (Cephes `expf`: Cody–Waite
    /// reduction x = n ln 2 + r, |r| ≤ ln 2 / 2, and a degree-6 polynomial for e^r; relative
    /// error < 2 ulp where e^x is a normal `Float`).
    ///
    /// x is first raised to −127 ln 2: there n = −127 puts an exponent field of 0 into the scale
    /// 2ⁿ, so the result is exactly 0 with no lane-wise fix-up afterwards. Below −87.34 (e^x
    /// subnormal) the result is 0 or within 2⁻¹²⁶ of e^x. NaN gives NaN (the clamp keeps it, and
    /// the polynomial propagates it). Positive x is outside the domain: nothing clamps it from
    /// above, and from 88.73 on the scale's exponent overflows. Every constant is a
    /// vector: Swift's vector–scalar operators are generic and compile to scalar code.
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        let low = splat(-88.0296919311)
        let xc = x.replacing(with: low, where: x .< low)
        // Adding 1.5·2²³ rounds to the nearest integer n, which then sits in the low mantissa bits.
        let magic = splat(12582912)
        let t = xc * splat(1.44269504088896341) + magic
        let n = t - magic
        let r = xc - n * splat(0.693359375) + n * splat(2.12194440e-4)
        var poly = splat(1.9875691500e-4)
        poly = poly * r + splat(1.3981999507e-3)
        poly = poly * r + splat(8.3334519073e-3)
        poly = poly * r + splat(4.1665795894e-2)
        poly = poly * r + splat(1.6666665459e-1)
        poly = poly * r + splat(5.0000001201e-1)
        poly = poly * (r * r) + r + splat(1)
        // 2ⁿ from the bits: n + 127 in the exponent field (n ∈ [−127, 0] after the clamp).
        let nBits = unsafeBitCast(t, to: SIMD8<Int32>.self) &- SIMD8(repeating: 0x4B40_0000)
        let scale = unsafeBitCast((nBits &+ SIMD8(repeating: 127)) &<< SIMD8(repeating: 23), to: Vector.self)
        return poly * scale
    }

    /// log x, lane-wise, for x normal or ±0, +∞, NaN (Cephes `logf`: x = m·2^e with
    /// m ∈ [√½, √2), a degree-9 polynomial in m − 1; error < 1 ulp, measured over the normal
    /// floats). 0 gives −∞, negative x and NaN give NaN; subnormal x is outside the domain.
    ///
    /// m and e come without a comparison (FreeBSD's `logf`): adding 1 − √½ to the bits carries
    /// into the exponent exactly when the mantissa is ≥ √2 / 2, so e is the carried exponent and m
    /// the mantissa with √½'s bits added back. The tail is written (P m − ½)·m² − e·c: the form
    /// y·m·z − z/2 makes the optimiser split the vector into scalar lanes.
    @inline(__always)
    static func log(_ x: Vector) -> Vector {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self) &+ SIMD8(repeating: 0x3F80_0000 - 0x3F35_04F3)
        // The biased exponent k as a Float without a conversion: the bits of 2²³ + k.
        let biased = (bits &>> SIMD8(repeating: 23)) | SIMD8(repeating: 0x4B00_0000)
        let e = unsafeBitCast(biased, to: Vector.self) - splat(8388608 + 127)
        let m = unsafeBitCast((bits & SIMD8(repeating: 0x007F_FFFF)) &+ SIMD8(repeating: 0x3F35_04F3), to: Vector.self)
            - splat(1)
        let z = m * m
        var y = splat(7.0376836292e-2)
        y = y * m - splat(1.1514610310e-1)
        y = y * m + splat(1.1676998740e-1)
        y = y * m - splat(1.2420140846e-1)
        y = y * m + splat(1.4249322787e-1)
        y = y * m - splat(1.6668057665e-1)
        y = y * m + splat(2.0000714765e-1)
        y = y * m - splat(2.4999993993e-1)
        y = y * m + splat(3.3333331174e-1)
        // log(1 + m) = m − m²/2 + m³ P(m), and e ln 2 in two parts (Cody–Waite).
        y = (y * m - splat(0.5)) * z - e * splat(2.12194440e-4)
        var result = m + y + e * splat(0.693359375)
        result = result.replacing(with: x, where: x .== splat(.infinity))
        result = result.replacing(with: splat(-.infinity), where: x .== Vector.zero)
        return result.replacing(with: splat(.nan), where: .!(x .>= Vector.zero))
    }

    /// A vector with every lane `value`.
    @inline(__always)
    static func splat(_ value: Float) -> Vector { Vector(repeating: value) }

    /// Lane-wise max, NaN in `b` ignored (the stdlib's `pointwiseMax` compiles to scalar code).
    @inline(__always)
    static func maximum(_ a: Vector, _ b: Vector) -> Vector { a.replacing(with: b, where: b .> a) }

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

        /// log p_c of one lane in `Double`: x_c − m exactly, minus the rounded log z.
        @inline(__always)
        func logP(_ c: Int, lane: Int) -> Double {
            Double(x[c][lane]) - Double(max[lane]) - Double(logZ[lane])
        }

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
            static let probabilities = Outputs(rawValue: 1)
            /// log z, for log p.
            static let logNormaliser = Outputs(rawValue: 2)
            static let all: Outputs = [.probabilities, .logNormaliser]
        }

        /// Loads block `index` of `logits` and computes its softmax: always x_c and m; p_c and
        /// log z as `outputs` asks (Dice reads p only, cross entropy's value log z only).
        ///
        /// p_c = e^{x_c − m} · (1/z): one division per lane instead of one per class, at the
        /// price of one more rounding (p within 1.5 ulp of e^{x_c − m}/z).
        mutating func compute(_ index: Int, logits: UnsafePointer<Float>, _ outputs: Outputs = .all) {
            locate(index)
            var m = Softmax.splat(-.infinity)
            for c in 0..<classes {
                x[c] = load(logits, class: c)
                m = Softmax.maximum(m, x[c])
            }
            var z = Vector.zero
            for c in 0..<classes {
                p[c] = Softmax.exp(x[c] - m)
                z += p[c]
            }
            max = m
            if outputs.contains(.logNormaliser) { logZ = Softmax.log(z) }
            guard outputs.contains(.probabilities) else { return }
            var inverse = Softmax.splat(1) / z
            if lanes < Softmax.width {
                // Lanes past the end hold x = 0 (so p = 1/C): their p must read 0.
                inverse = Vector.zero.replacing(with: inverse, where: inside)
            }
            for c in 0..<classes { p[c] *= inverse }
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

