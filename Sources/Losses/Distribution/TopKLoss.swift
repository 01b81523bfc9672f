/// TopK loss (SegLoss / nnU-Net): the mean of the largest k % of per-voxel cross entropies.
///
/// ```latex
/// L = \frac{1}{K} \sum_{i \in \mathcal{T}_K} \ell_i, \qquad K = \max\!\left(1, \left\lfloor M k / 100 \right\rfloor\right)
/// ```
/// ℓ_i is the (optionally class-weighted) cross entropy at position i, M the number of
/// non-ignored positions, 𝒯_K the K positions with the largest ℓ_i (ties broken by lower flat
/// position index). Only those positions receive gradient. Every position ignored: 0, zero
/// gradient. A NaN per-position loss ranks above every number, so NaN input propagates.
public struct TopKLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "topk",
        name: Localized(zh: "TopK 损失（最难 k% 体素的交叉熵）", en: "TopK loss (cross entropy of the hardest k % of voxels)"),
        category: .distribution,
        formulas: [
            #"L = \frac{1}{K} \sum_{i \in \mathcal{T}_K} \ell_i, \qquad \ell_i = -w_{y_i}\log p_{i, y_i}"#,
            #"K = \max\!\left(1, \left\lfloor \tfrac{M k}{100} \right\rfloor\right), \quad \mathcal{T}_K = \text{the } K \text{ positions with the largest } \ell_i"#,
        ],
        parameters: [
            ParameterSpec("k", .number(min: 0, max: 100, minExclusive: true), default: .number(10),
                          Localized(zh: "保留损失最大的前 k% 个体素，k ∈ (0, 100]（默认 10，与 SegLoss/nnU-Net 相同）；k = 100 即普通交叉熵",
                                    en: "keep the k % of voxels with the largest loss, k ∈ (0, 100] (default 10, as SegLoss / nnU-Net); k = 100 is plain cross entropy")),
            CrossEntropyText.weight(),
            CrossEntropyText.ignoreIndex,
            CrossEntropyText.activation(),
            .reduction(),
        ],
        inputConvention: CrossEntropyText.classScores,
        gradientNote: Localized(
            zh: "只有被选中的 K 个位置有梯度，其余为 0：被选中位置的梯度是交叉熵梯度 $w_{y_i}(p_i - e_{y_i})$ 再除以 K（mean）。选择本身是分段常数，不参与求导（与 torch.topk 的反向相同）。这把训练信号集中在最难的体素上，简单的背景体素不再主导。",
            en: "Only the K selected positions get gradient, the rest 0: a selected position's gradient is the cross-entropy gradient $w_{y_i}(p_i - e_{y_i})$ divided by K (mean). The selection is piecewise constant and not differentiated (as torch.topk's backward). This focuses training on the hardest voxels so easy background stops dominating."),
        peers: [],
        notes: Localized(
            zh: "只有 SegLoss/nnU-Net 的代码（不是可安装的库）有 TopK，因此没有同行测试，正确性由 LossReference 与有限差分检验。K = ⌊M·k/100⌋ 与 SegLoss 相同，但当它为 0（体素太少）时 SegLoss 对空集取平均得 NaN，我们取 K = 1（只看最难的一个体素）。M 只数未被忽略的位置，被忽略的位置永远不会被选中；SegLoss 把被忽略位置当作损失 0 的体素计入总数——只在有 ignore_index 时两者不同。全部被忽略时值为 0、梯度为 0。损失值相同时按位置的平铺索引从小到大选。reduction：mean 为被选位置的平均，sum 为其和，none 返回 [N, d1, …] 的逐位置损失，未被选中的位置为 0（所以 Σnone = sum）。",
            en: "Only SegLoss / nnU-Net code (not an installable library) has TopK, so there is no peer test; LossReference and finite differences are the check. K = ⌊M·k/100⌋ as in SegLoss, but where that is 0 (too few voxels) SegLoss averages an empty set (NaN) and we take K = 1 (the single hardest voxel). M counts non-ignored positions only and ignored positions are never selected; SegLoss counts them as voxels with loss 0, so the two differ only with ignore_index. Every position ignored: value 0, gradient 0. Equal losses are selected by increasing flat position. Reductions: mean averages the selected positions, sum adds them, none returns the per-position losses [N, d1, …] with 0 where not selected (so Σnone = sum)."),
        citation: Citation("Wu Z., Shen C., van den Hengel A. Bridging Category-level and Instance-level Semantic Image Segmentation. arXiv:1605.06885, 2016. See also Ma J. et al. Loss Odyssey in Medical Image Segmentation. Medical Image Analysis 71:102035, 2021.",
                           url: "https://arxiv.org/abs/1605.06885"))

    let k: Double
    let weight: [Double]
    let ignoreIndex: Int
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        k = try parameters.number("k")
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        let resolved = try ClassScores.target(target, for: layout, ignoreIndex: ignoreIndex)
        if probabilities { try ClassScores.checkProbabilities(input) }
        let core = try CrossEntropyCore(loss: Self.descriptor.id, layout: layout, probabilities: probabilities,
                                        weight: weight, smoothing: 0)
        let losses = core.positionLosses(input, resolved)
        var candidates: [Int]
        if case let .labels(labels) = resolved {
            candidates = labels.indices.filter { labels[$0] >= 0 }
        } else {
            candidates = Array(0..<layout.positions)
        }
        let m = candidates.count
        let count = m == 0 ? 0 : max(1, Int((Double(m) * k / 100).rounded(.down)))
        // Largest first, NaN before everything (so it propagates); ties by position, deterministic.
        candidates.sort { a, b in
            let la = losses[a], lb = losses[b]
            if la.isNaN != lb.isNaN { return la.isNaN }
            if !la.isNaN, la != lb { return la > lb }
            return a < b
        }
        let selected = Array(candidates.prefix(count))
        return SelectedPositions.output(input: input, layout: layout, core: core, target: resolved, losses: losses,
                                        selected: selected, reduction: reduction, gradient: gradient)
    }
}

/// The reduction and gradient of losses that keep a subset of positions' cross entropies
/// (`topk`, `topk-threshold`). An empty selection gives 0 and a zero gradient.
enum SelectedPositions {
    static func output(input: Tensor, layout: ClassScoreShape, core: CrossEntropyCore, target: ClassTarget,
                       losses: [Double], selected: [Int], reduction: Reduction, gradient: Bool) -> LossOutput {
        var sum = 0.0
        for pos in selected { sum += losses[pos] }
        let value: Tensor
        if reduction == .none {
            var map = [Float](repeating: 0, count: layout.positions)
            for pos in selected { map[pos] = Float(losses[pos]) }
            value = Tensor(unchecked: layout.positionShape, data: map)
        } else {
            value = Reduce.value(sum: sum, count: Double(selected.count), elements: [], shape: [],
                                 reduction: reduction, emptyMean: 0)
        }
        guard gradient else { return LossOutput(value: value) }
        let scale = Reduce.gradientScale(reduction, count: Double(selected.count))
        let grad = core.gradient(input, target, at: selected, scale: scale)
        return LossOutput(value: value, gradient: Tensor(unchecked: input.shape, data: grad))
    }
}
