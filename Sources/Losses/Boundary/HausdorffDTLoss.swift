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
        name: Localized(zh: "Hausdorff 距离（距离变换）损失", en: "Hausdorff distance loss (distance transform)"),
        category: .boundary,
        formulas: [
            #"\mathcal{L}_{n,c} = \frac{1}{|\Omega|}\sum_{i \in \Omega} \left(p_i - g_i\right)^2 \left(d_p(i)^{\alpha} + d_g(i)^{\alpha}\right)"#,
            #"d_m = \operatorname{edt}(m) + \operatorname{edt}(\lnot m), \qquad m_p = [\,p > \tfrac{1}{2}\,],\ m_g = [\,g > \tfrac{1}{2}\,]"#,
        ],
        parameters: [
            ParameterSpec("alpha", .number(min: 0, max: nil), default: .number(2),
                          Localized(zh: "距离的指数 α（论文与 MONAI 默认 2）；越大越强调远离边界的错误", en: "exponent α of the distances (2 in the paper and MONAI); larger stresses errors far from the boundary")),
            RegionText.includeBackground(default: false),
            ParameterSpec("batch", .bool, default: .bool(false),
                          Localized(zh: "为 true 时先对批维求平均（每类一个值），与 MONAI 相同", en: "true averages over the batch first (one value per class), as MONAI")),
            BoundaryText.spacing,
            .activation(),
            .reduction(),
        ],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "距离图视为常数（MONAI 在 no_grad 下计算），故 $\\partial \\mathcal{L}/\\partial p_i = 2(p_i - g_i)(d_{p,i}^{\\alpha} + d_{g,i}^{\\alpha})/|\\Omega|$，再经激活函数反传。阈值化使损失对 $p$ 分段光滑：$p$ 跨过 ½ 时 $d_p$ 跳变。",
            en: "The maps are constants (MONAI computes them under no_grad), so $\\partial \\mathcal{L}/\\partial p_i = 2(p_i - g_i)(d_{p,i}^{\\alpha} + d_{g,i}^{\\alpha})/|\\Omega|$, then back through the activation. The threshold makes the loss piecewise smooth in $p$: $d_p$ jumps where $p$ crosses ½."),
        peers: [
            PeerEquivalent("monai", "monai.losses.HausdorffDTLoss(softmax=True, to_onehot_y=True, alpha=2.0, include_background=False)",
                           note: Localized(zh: "完全相同（类别索引目标形如 [N, 1, 空间…]）。MONAI 只支持 2-D、3-D，且没有体素间距参数。",
                                           en: "Identical (class-index target shaped [N, 1, spatial…]). MONAI supports 2-D and 3-D only and has no spacing.")),
        ],
        notes: Localized(
            zh: "与 MONAI 一致：默认不含背景；全为前景或全为背景的掩码没有边界，其距离图为 0（MONAI 跳过这些掩码），因此空目标且预测也为空时损失为 0，而空目标、预测非空时只有 $d_p$ 起作用。C = 1 时 include_background=false 被忽略。阈值为严格的 p > ½。",
            en: "As MONAI: background excluded by default; a mask that is all foreground or all background has no boundary and a zero distance map (MONAI skips such masks), so an empty target predicted empty scores 0 and an empty target predicted non-empty is driven by $d_p$ alone. With C = 1, include_background=false is ignored. The threshold is strict, p > ½."),
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

    public func evaluate(_ input: Tensor, target: Tensor?, gradient wanted: Bool) throws -> LossOutput {
        let problem = try settings.problem(input, target: target)
        let layout = problem.layout, S = layout.spatial
        let steps = try BoundaryText.spacing(spacing, layout: layout)
        let p = problem.probabilities.p, g = problem.target
        var upstream = [Double](repeating: 0, count: wanted ? layout.count : 0)
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
                        if wanted { upstream[base + s] = 2 * e * weight }
                    }
                    sliceSums[slice] = sum
                }
            }
        }
        let perSample = 1 / Double(S) / Double(settings.batch ? layout.batch : 1)
        let values = BoundaryText.entryValues(sliceSums, problem: problem, factor: perSample)
        let (value, scale) = problem.reduce(values, settings.reduction)
        guard wanted else { return LossOutput(value: value) }
        let k = perSample * scale
        for i in upstream.indices { upstream[i] *= k }
        return LossOutput(value: value, gradient: problem.backward(upstream))
    }
}
