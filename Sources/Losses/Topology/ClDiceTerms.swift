/// The per-sample clDice of MONAI's `SoftclDiceLoss` and its gradient with respect to the
/// probabilities, shared by `cldice` and `dice-cldice`.
///
/// Per sample n, summing over the kept classes and all positions, with S_p = skel(p) and
/// S_g = skel(g) (`SoftSkeleton`, one image per class):
///
/// ```latex
/// T_{prec} = \frac{\sum S_p\, g + s_{nr}}{\sum S_p + s_{dr}}, \quad
/// T_{sens} = \frac{\sum S_g\, p + s_{nr}}{\sum S_g + s_{dr}}, \quad
/// \mathcal{L}_n = 1 - \frac{2\, T_{prec} T_{sens}}{T_{prec} + T_{sens} + \text{smooth}}
/// ```
///
/// S_g is a constant (the target's); S_p carries the gradient through `SoftSkeleton.gradient`.
/// Sums in `Double`, over the images in order (results do not depend on scheduling).
struct ClDiceTerms {
    let skeleton: SoftSkeleton
    let smoothNr: Double, smoothDr: Double, smooth: Double

    /// The four sums of one image: Σ S_p g, Σ S_p, Σ S_g p, Σ S_g.
    private typealias Sums = SIMD4<Double>

    /// - Throws: `LossError.invalidInput` unless the input is 2-D or 3-D (`[N, C, H, W]`,
    ///   `[N, C, D, H, W]`).
    init(problem: RegionProblem, iterations: Int, smoothNr: Double, smoothDr: Double, smooth: Double) throws {
        skeleton = try SoftSkeleton(shape: problem.layout.spatialShape, iterations: iterations)
        self.smoothNr = smoothNr
        self.smoothDr = smoothDr
        self.smooth = smooth
    }

    /// The clDice loss of every sample and, given per-sample factors (∂(reduced)/∂𝓛_n, times a
    /// compound's weight), ∂/∂p in the input's layout (0 for the classes left out).
    func evaluate(_ problem: RegionProblem, gradientFactors: [Double]?) -> (values: [Double], gradient: [Double]?) {
        let layout = problem.layout, S = layout.spatial, K = problem.keptClasses, first = problem.firstClass
        let images = layout.batch * K
        let p = problem.probabilities.p, g = problem.target
        func image(_ k: Int) -> (base: Int, p: [Double], g: [Double]) {
            let base = layout.index(k / K, first + k % K, 0)
            return (base, (0..<S).map { Double(p[base + $0]) }, (0..<S).map { Double(g[base + $0]) })
        }
        var sums = [Sums](repeating: .zero, count: images)
        sums.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(count: images, grain: max(1, Parallel.grain / max(1, S))) { range in
                for k in range {
                    let (_, pk, gk) = image(k)
                    let sp = skeleton(pk), sg = skeleton(gk)
                    var s = Sums.zero
                    for i in 0..<S { s += Sums(sp[i] * gk[i], sp[i], sg[i] * pk[i], sg[i]) }
                    out[k] = s
                }
            }
        }
        var values = [Double](repeating: 0, count: layout.batch)
        // Per sample: (T_prec, T_sens, ∂𝓛/∂T_prec / (ΣS_p + s_dr), ∂𝓛/∂T_sens / (ΣS_g + s_dr)).
        var slopes = [SIMD4<Double>](repeating: .zero, count: layout.batch)
        for n in 0..<layout.batch {
            var total = Sums.zero
            for c in 0..<K { total += sums[n * K + c] }
            let precision = (total[0] + smoothNr) / (total[1] + smoothDr)
            let sensitivity = (total[2] + smoothNr) / (total[3] + smoothDr)
            let d = precision + sensitivity + smooth
            values[n] = 1 - 2 * precision * sensitivity / d
            slopes[n] = SIMD4(precision, sensitivity,
                              -2 * sensitivity * (sensitivity + smooth) / (d * d) / (total[1] + smoothDr),
                              -2 * precision * (precision + smooth) / (d * d) / (total[3] + smoothDr))
        }
        guard let factors = gradientFactors else { return (values, nil) }
        var gradient = [Double](repeating: 0, count: layout.count)
        gradient.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(count: images, grain: 1) { range in
                for k in range {
                    let n = k / K
                    let (base, pk, gk) = image(k)
                    let w = factors[n], slope = slopes[n]
                    guard w != 0 else { continue }
                    // ∂T_prec/∂S_p,i = (g_i − T_prec)/(ΣS_p + s_dr); ∂T_sens/∂p_i = S_g,i/(ΣS_g + s_dr).
                    let upstream = gk.map { w * slope[2] * ($0 - slope[0]) }
                    let throughSkeleton = skeleton.gradient(pk, upstream: upstream)
                    let sg = skeleton(gk)
                    for i in 0..<S { out[base + i] = throughSkeleton[i] + w * slope[3] * sg[i] }
                }
            }
        }
        return (values, gradient)
    }
}
