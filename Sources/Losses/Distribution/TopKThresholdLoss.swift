import Foundation

/// Threshold TopK loss: cross entropy averaged over the positions whose predicted probability
/// of the true class is below a threshold t (online hard-example mining by confidence).
///
/// ```latex
/// L = \frac{1}{|\mathcal{H}|} \sum_{i \in \mathcal{H}} \ell_i, \qquad \mathcal{H} = \{\, i : p_{i, y_i} < t \,\}
/// ```
/// Class-index targets only. No position below the threshold: value 0, gradient 0. A NaN logit
/// gives p_y = NaN, which is never below the threshold, so its position is left out.
public struct TopKThresholdLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "topk-threshold",
        name: Localized(zh: "阈值 TopK 损失（低置信度体素的交叉熵）", en: "Threshold TopK loss (cross entropy of low-confidence voxels)"),
        category: .distribution,
        formulas: [
            #"L = \frac{1}{|\mathcal{H}|} \sum_{i \in \mathcal{H}} \ell_i, \qquad \mathcal{H} = \{\, i : p_{i, y_i} < t \,\}, \quad \ell_i = -w_{y_i}\log p_{i, y_i}"#,
        ],
        parameters: [
            ParameterSpec("threshold", .number(min: 0, max: 1, minExclusive: true), default: .number(0.7),
                          Localized(zh: "阈值 t ∈ (0, 1]：真实类别概率低于 t 的体素才计入（默认 0.7，与常见的 OHEM 像素采样设置相同）；t = 1 时几乎所有体素都计入",
                                    en: "threshold t ∈ (0, 1]: only voxels whose true-class probability is below t count (default 0.7, the usual OHEM pixel-sampling setting); t = 1 keeps almost every voxel")),
            CrossEntropyText.weight(),
            CrossEntropyText.ignoreIndex,
            CrossEntropyText.activation(),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入为类别得分 [N, C, d1, …, dK]，默认是 logits（activation = none 时为概率）。目标只能是类别索引图 [N, d1, …, dK]（或 [N, 1, d1, …]），因为“真实类别的概率”需要一个确定的类别；被 ignore_index 标记的位置永不计入。",
            en: "Inputs are class scores [N, C, d1, …, dK], logits by default (probabilities with activation = none). The target must be a class-index map [N, d1, …, dK] (or [N, 1, d1, …]), since \"the probability of the true class\" needs one class; positions marked with ignore_index never count."),
        gradientNote: Localized(
            zh: "被选中的位置（$p_{i,y_i} < t$）梯度为 $w_{y_i}(p_i - e_{y_i})/|\\mathcal{H}|$，其余为 0。选择集合在前向时确定、不参与求导，因此梯度在集合不变的区域内精确；当某个体素的概率越过 t 时损失会跳变。",
            en: "Selected positions ($p_{i,y_i} < t$) get $w_{y_i}(p_i - e_{y_i})/|\\mathcal{H}|$, the others 0. The set is fixed in the forward pass and not differentiated, so the gradient is exact wherever the set does not change; the loss jumps when a voxel's probability crosses t."),
        peers: [],
        notes: Localized(
            zh: "没有可安装的同行库实现它（SegLoss 的一些分支版本用最大类别概率而不是真实类别概率来选体素，且空集时返回 NaN），正确性由 LossReference 与有限差分检验。我们按题意用真实类别的概率 $p_{y}$ 与严格小于 t 来选。没有体素低于阈值时（模型对所有体素都足够自信）值为 0、梯度为 0，而不是 NaN。reduction：mean 为选中体素的平均，sum 为和，none 返回 [N, d1, …] 的逐位置损失，未选中处为 0。",
            en: "No installable peer has it (some SegLoss forks select by the maximum class probability instead of the true class's, and return NaN for an empty set); LossReference and finite differences are the check. We select by the true class's probability p_y with a strict < t. When no voxel is below the threshold (the model is confident everywhere) the value is 0 with a zero gradient, not NaN. Reductions: mean averages the selected voxels, sum adds them, none returns the per-position losses [N, d1, …], 0 where not selected."),
        citation: Citation("Shrivastava A., Gupta A., Girshick R. Training Region-based Object Detectors with Online Hard Example Mining. CVPR 2016. See also Ma J. et al. Loss Odyssey in Medical Image Segmentation. Medical Image Analysis 71:102035, 2021.",
                           url: "https://arxiv.org/abs/1604.03540"))

    let threshold: Double
    let weight: [Double]
    let ignoreIndex: Int
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        threshold = try parameters.number("threshold")
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        let resolved = try ClassScores.target(target, for: layout, ignoreIndex: ignoreIndex, allowDense: false)
        guard case let .labels(labels) = resolved else {
            throw LossError.shapeMismatch("'topk-threshold' needs class indices \(layout.positionShape)")
        }
        if probabilities { try ClassScores.checkProbabilities(input) }
        let core = try CrossEntropyCore(loss: Self.descriptor.id, layout: layout, probabilities: probabilities,
                                        weight: weight, smoothing: 0)
        let losses = core.positionLosses(input, resolved)
        // p_y from the unweighted log-probability: ℓ_i / w_{y_i} = −log p_y (softmax), or the input.
        var selected: [Int] = []
        for (pos, y) in labels.enumerated() where y >= 0 {
            let p: Double
            if probabilities {
                p = Double(input.data[layout.index(position: pos, class: y)])
            } else {
                p = Self.trueClassProbability(input.data, layout: layout, position: pos, label: y)
            }
            if p < threshold { selected.append(pos) }
        }
        return SelectedPositions.output(input: input, layout: layout, core: core, target: resolved, losses: losses,
                                        selected: selected, reduction: reduction, gradient: gradient)
    }

    /// softmax(x)_y at one position, through log-sum-exp.
    static func trueClassProbability(_ x: [Float], layout: ClassScoreShape, position pos: Int, label y: Int) -> Double {
        var m = -Double.infinity
        for c in 0..<layout.classes { m = max(m, Double(x[layout.index(position: pos, class: c)])) }
        if m == -.infinity { m = 0 }
        var z = 0.0
        for c in 0..<layout.classes { z += exp(Double(x[layout.index(position: pos, class: c)]) - m) }
        return exp(Double(x[layout.index(position: pos, class: y)]) - m - log(z))
    }
}
