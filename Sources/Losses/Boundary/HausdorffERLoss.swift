import Foundation

/// Hausdorff-distance loss through morphological erosion (Karimi & Salcudean 2019, HD-ER).
///
/// Per (sample, kept class), the squared error f⁽⁰⁾ = (p − g)² is eroded K times (`erosions`)
/// with the cross-shaped structuring element B (the centre and its 2d axis neighbours, each
/// 1/(2d + 1), zero outside the grid), each erosion a convolution, a soft threshold at ½ and a
/// rescaling to [0, 1]:
///
/// ```latex
/// f^{(k)} = \operatorname{norm}\bigl(\max(B * f^{(k-1)} - \tfrac12,\ 0)\bigr), \qquad
/// \mathcal{L}_{n,c} = \frac{1}{|\Omega|}\sum_{k=1}^{K} k^{\alpha} \sum_{i \in \Omega} f^{(k)}_i
/// ```
///
/// norm(r) = (r − min r)/(max r − min r), left out when r is constant (an error region eroded
/// away stays 0). An error region survives about as many erosions as its radius, so the loss
/// grows with the largest error's distance from the rest, as the Hausdorff distance does. The
/// gradient runs back through every erosion (the convolution is self-adjoint for the symmetric
/// B; the threshold passes where its argument is > 0; min and max share their gradient evenly
/// among tied positions, as autograd's `amax`/`amin`), then through the activation.
/// `batch` averages over the batch per class; `mean`, `sum` or `none` (`[N, C′]`, `[C′]` with
/// batch). A perfect prediction has f⁽⁰⁾ = 0 and gives 0 with a zero gradient.
public struct HausdorffERLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "hausdorff-er",
        category: .boundary,
        formulas: [
            #"\mathcal{L}_{n,c} = \frac{1}{|\Omega|}\sum_{k=1}^{K} k^{\alpha} \sum_{i \in \Omega} \left(f \ominus_k B\right)_i, \qquad f \ominus_0 B = (p - g)^2"#,
            #"f \ominus_k B = \operatorname{norm}\!\left(\max\!\left(B * (f \ominus_{k-1} B) - \tfrac{1}{2},\ 0\right)\right), \qquad \operatorname{norm}(r) = \begin{cases} \dfrac{r - \min r}{\max r - \min r}, & \max r > \min r \\ r, & \text{otherwise} \end{cases}"#,
        ],
        parameters: [
            ParameterSpec("alpha", .number(min: 0, max: nil), default: .number(2)),
            ParameterSpec("erosions", .integer(min: 1, max: 100), default: .number(10)),
            RegionText.includeBackground(default: false),
            ParameterSpec("batch", .bool, default: .bool(false)),
            .activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("kornia", "kornia.losses.HausdorffERLoss(alpha=α, k=K)(p, y)  # activation=none, include_background=true"),
        ],
        citation: HausdorffDTLoss.descriptor.citation)

    let alpha: Double
    let erosions: Int
    let settings: RegionSettings

    public init(_ parameters: Parameters) throws {
        alpha = try parameters.number("alpha")
        erosions = try parameters.integer("erosions")
        settings = try RegionSettings(parameters)
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let problem = try settings.problem(input, target: target)
        let layout = problem.layout, S = layout.spatial
        let p = problem.probabilities.p, g = problem.target
        let erosion = Erosion(shape: layout.spatialShape)
        let weights = (1...erosions).map { pow(Double($0), alpha) }
        var upstream = [Double](repeating: 0, count: gradient ? layout.count : 0)
        var sliceSums = [Double](repeating: 0, count: layout.batch * problem.keptClasses)
        try upstream.withUnsafeMutableBufferPointer { upstream in
            try sliceSums.withUnsafeMutableBufferPointer { sliceSums in
                try BoundaryText.forEachSlice(problem) { n, c, slice in
                    let base = layout.index(n, c, 0)
                    let error = (0..<S).map { Double(p[base + $0]) - Double(g[base + $0]) }
                    let (sum, dF0) = erosion.loss(error.map { $0 * $0 }, weights: weights, gradient: gradient)
                    sliceSums[slice] = sum
                    if gradient { for s in 0..<S { upstream[base + s] = dF0[s] * 2 * error[s] } }
                }
            }
        }
        let perSample = 1 / Double(S) / Double(settings.batch ? layout.batch : 1)
        let values = BoundaryText.entryValues(sliceSums, problem: problem, factor: perSample)
        let (value, scale) = problem.reduce(values, settings.reduction)
        guard gradient else { return LossOutput(value: value) }
        let k = perSample * scale
        for i in upstream.indices { upstream[i] *= k }
        return LossOutput(value: value, gradient: problem.backward(upstream))
    }
}

/// The erosion chain of `HausdorffERLoss` on one spatial grid (row-major, any rank).
struct Erosion {
    let shape: [Int]
    let strides: [Int]
    let count: Int

    init(shape: [Int]) {
        self.shape = shape
        count = shape.reduce(1, *)
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        self.strides = strides
    }

    /// B ∗ f: the mean of each position and its axis neighbours inside the grid, over 2d + 1 (zero
    /// padding). Symmetric, so it is its own adjoint.
    func convolve(_ f: [Double]) -> [Double] {
        let weight = 1 / Double(2 * shape.count + 1)
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var sum = f[i]
            for axis in shape.indices {
                let coordinate = (i / strides[axis]) % shape[axis]
                if coordinate > 0 { sum += f[i - strides[axis]] }
                if coordinate < shape[axis] - 1 { sum += f[i + strides[axis]] }
            }
            out[i] = sum * weight
        }
        return out
    }

    /// Σ_k w_k Σ_i f⁽ᵏ⁾_i from f⁽⁰⁾, and its derivative with respect to f⁽⁰⁾ when asked for.
    func loss(_ f0: [Double], weights: [Double], gradient: Bool) -> (Double, [Double]) {
        struct Stage { var h: [Double]; var low: Double; var range: Double }
        var stages: [Stage] = []
        var f = f0
        var total = 0.0
        for w in weights {
            let h = convolve(f).map { $0 - 0.5 }
            let r = h.map { max($0, 0) }
            let low = r.min() ?? 0, high = r.max() ?? 0
            let range = high - low
            f = range > 0 ? r.map { ($0 - low) / range } : r
            var sum = 0.0
            for v in f { sum += v }
            total += w * sum
            if gradient { stages.append(Stage(h: h, low: low, range: range)) }
        }
        guard gradient else { return (total, []) }
        // Backwards: dF is ∂(total)/∂f⁽ᵏ⁾, starting with the direct term of the last stage.
        var dF = [Double](repeating: weights[weights.count - 1], count: count)
        for k in stride(from: weights.count - 1, through: 0, by: -1) {
            let stage = stages[k]
            let r = stage.h.map { max($0, 0) }
            var dR = dF
            if stage.range > 0 {
                let high = stage.low + stage.range
                var dLow = 0.0, dHigh = 0.0
                for i in 0..<count {
                    let t = (r[i] - stage.low) / stage.range
                    dR[i] = dF[i] / stage.range
                    dHigh -= dF[i] * t / stage.range
                    dLow += dF[i] * (t - 1) / stage.range
                }
                let highs = r.indices.filter { r[$0] == high }, lows = r.indices.filter { r[$0] == stage.low }
                for i in highs { dR[i] += dHigh / Double(highs.count) }
                for i in lows { dR[i] += dLow / Double(lows.count) }
            }
            let dH = (0..<count).map { stage.h[$0] > 0 ? dR[$0] : 0 }
            dF = convolve(dH)
            if k > 0 { for i in 0..<count { dF[i] += weights[k - 1] } }
        }
        return (total, dF)
    }
}
