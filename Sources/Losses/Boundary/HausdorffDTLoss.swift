import Foundation

/// Hausdorff-distance loss through distance transforms (Karimi & Salcudean 2019), with MONAI
/// `HausdorffDTLoss` semantics.
///
/// Per (sample, kept class), with d_p and d_g the distance maps
/// (`DistanceTransform.boundaryDistanceMap`: edt(m) + edt(¬m), 0 for an all-in or all-out mask)
/// of the prediction thresholded at p > ½ and of the target g > ½:
///
/// ```latex
/// \mathcal{L}_{n,c} = \frac{1}{S}\sum_i (p_i - g_i)^2 \left(d_{p,i}^{\alpha} + d_{g,i}^{\alpha}\right)
/// ```
///
/// `batch` averages over the batch per class (MONAI reduces the batch and spatial axes by mean);
/// then `mean`, `sum` or `none` (`[N, C′]`, `[C′]` with batch). The distance maps are constants
/// for the gradient (MONAI computes them under `no_grad`).
public struct HausdorffDTLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "hausdorff-dt",
        category: .boundary,
        formulas: [
            #"\mathcal{L}_{n,c} = \frac{1}{|\Omega|}\sum_{i \in \Omega} \left(p_i - g_i\right)^2 \left(d_p(i)^{\alpha} + d_g(i)^{\alpha}\right)"#,
            #"d_m = \begin{cases} \operatorname{edt}(m) + \operatorname{edt}(\lnot m), & \min_{i \in \Omega} m < \max_{i \in \Omega} m \\ 0, & \text{otherwise} \end{cases} \qquad m_p = [\,p > \tfrac{1}{2}\,],\ m_g = [\,g > \tfrac{1}{2}\,]"#,
        ],
        parameters: [
            ParameterSpec("alpha", .number(min: 0, max: nil), default: .number(2)),
            RegionText.includeBackground(default: false),
            ParameterSpec("batch", .bool, default: .bool(false)),
            BoundaryText.spacing,
            .activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.HausdorffDTLoss(softmax=True, to_onehot_y=True, alpha=2.0, include_background=False)"),
        ],
        citation: Citation("Karimi D., Salcudean S. E. Reducing the Hausdorff Distance in Medical Image Segmentation with Convolutional Neural Networks. IEEE Transactions on Medical Imaging 39(2):499–513, 2020.",
                           url: "https://doi.org/10.1109/TMI.2019.2930068"))

    let alpha: Double
    let settings: RegionSettings
    let spacing: [Double]

    public init(_ parameters: Parameters) throws {
        alpha = try parameters.number("alpha")
        settings = try RegionSettings(parameters)
        spacing = try parameters.numbers("spacing")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try evaluate(input, target: target, gradient: gradient, logarithm: false)
    }

    /// The loss, or with `logarithm` MONAI's `LogHausdorffDTLoss`: log(1 + ·) of the reduced value
    /// (of each entry with `none`), whose gradient is the loss's divided by 1 + that value.
    func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool, logarithm: Bool) throws -> LossOutput {
        let problem = try settings.problem(input, target: target)
        let layout = problem.layout, S = layout.spatial
        let steps = try BoundaryText.spacing(spacing, layout: layout)
        let p = problem.probabilities.p, g = problem.target
        var upstream = [Double](repeating: 0, count: gradient ? layout.count : 0)
        var sliceSums = [Double](repeating: 0, count: layout.batch * problem.keptClasses)
        let alpha = self.alpha
        try upstream.withUnsafeMutableBufferPointer { upstream in
            try sliceSums.withUnsafeMutableBufferPointer { sliceSums in
                try BoundaryText.forEachSlice(problem) { n, c, slice in
                    let base = layout.index(n, c, 0)
                    let dp = try DistanceTransform.boundaryDistanceMap((0..<S).map { p[base + $0] > 0.5 },
                                                                       shape: layout.spatialShape, spacing: steps)
                    let dg = try DistanceTransform.boundaryDistanceMap((0..<S).map { g[base + $0] > 0.5 },
                                                                       shape: layout.spatialShape, spacing: steps)
                    var sum = 0.0
                    for s in 0..<S {
                        // α = 2 (the default) and 1 without pow: identical results, a fraction of the cost.
                        let weight = alpha == 2 ? dp[s] * dp[s] + dg[s] * dg[s]
                                   : alpha == 1 ? dp[s] + dg[s] : pow(dp[s], alpha) + pow(dg[s], alpha)
                        let e = Double(p[base + s]) - Double(g[base + s])
                        sum += e * e * weight
                        if gradient { upstream[base + s] = 2 * e * weight }
                    }
                    sliceSums[slice] = sum
                }
            }
        }
        let perSample = 1 / Double(S) / Double(settings.batch ? layout.batch : 1)
        var values = BoundaryText.entryValues(sliceSums, problem: problem, factor: perSample)
        // d log(1 + v) = dv / (1 + v): per entry with `none`, of the reduced value otherwise.
        var entrySlope = [Double](repeating: 1, count: values.count)
        if logarithm && settings.reduction == .none {
            entrySlope = values.map { 1 / (1 + $0) }
            values = values.map { log1p($0) }
        }
        var (value, scale) = problem.reduce(values, settings.reduction)
        if logarithm && settings.reduction != .none {
            var sum = 0.0
            for v in values { sum += v }
            let reduced = settings.reduction == .mean ? sum / Double(values.count) : sum
            value = Tensor(scalar: Float(log1p(reduced)))
            scale /= 1 + reduced
        }
        guard gradient else { return LossOutput(value: value) }
        let k = perSample * scale
        let C = layout.classes
        for i in upstream.indices where upstream[i] != 0 {
            let n = i / (C * S), c = (i / S) % C
            upstream[i] *= k * (problem.entry(n, c).map { entrySlope[$0] } ?? 0)
        }
        return LossOutput(value: value, gradient: problem.backward(upstream))
    }
}
