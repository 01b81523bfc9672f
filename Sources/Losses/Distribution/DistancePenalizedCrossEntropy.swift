import Foundation

/// Distance-map-penalised cross entropy (Caliva et al. 2019): cross entropy weighted by
/// 1 + D, where D is large next to the target's boundaries.
///
/// ```latex
/// L = \frac{\sum_i (1 + D_i)\,\ell_i}{\sum_{i \text{ not ignored}} w_{y_i}}, \qquad
/// D_i = \frac{M_{y_i} - \operatorname{edt}(m_{y_i})_i}{M_{y_i} - \mu_{y_i}}
/// ```
///
/// ℓ_i is `cross-entropy`'s per-position term (weights, label smoothing, `ignore_index`, the
/// same mean denominator). m_c is the mask of class c in the sample, edt its distance transform,
/// M and μ the largest and smallest distance inside it (`DistanceTransform.invertedInside`): D is
/// 1 on the positions next to a boundary, 0 on the farthest. For two classes this is SegLoss's
/// `compute_edts_forPenalizedLoss` map of the foreground. A class filling the whole sample gives
/// D = 0 there, so D ≡ 0 and the loss is plain cross entropy.
public struct DistancePenalizedCrossEntropyLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "dpce",
        name: Localized(zh: "距离图惩罚交叉熵", en: "Distance-map-penalised cross entropy"),
        category: .distribution,
        formulas: [
            #"L = \frac{\sum_i \left(1 + D_i\right) \ell_i}{\sum_{i:\, y_i \ne \text{ignore}} w_{y_i}}, \qquad \ell_i = -\sum_c q_{i,c}\log p_{i,c}"#,
            #"D_i = \frac{M_{c} - \operatorname{edt}(m_{c})(i)}{M_{c} - \mu_{c}}, \quad c = y_i,\quad M_c = \max_{m_c} \operatorname{edt}(m_c),\ \mu_c = \min_{m_c} \operatorname{edt}(m_c)"#,
        ],
        parameters: [
            CrossEntropyText.weight(),
            CrossEntropyText.ignoreIndex,
            ParameterSpec("label_smoothing", .number(min: 0, max: 1), default: .number(0),
                          Localized(zh: "标签平滑系数 ε ∈ [0, 1]，与 cross-entropy 相同", en: "label smoothing ε ∈ [0, 1], as cross-entropy")),
            BoundaryText.spacing,
            CrossEntropyText.activation(),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: CrossEntropyText.classScores.zh + " 距离图由目标算出：类别索引目标直接使用，概率目标取每个位置的 argmax 类别；被忽略的位置不属于任何类别。",
            en: CrossEntropyText.classScores.en + " The distance map comes from the target: class indices as given, probability targets by each position's argmax class; ignored positions belong to no class."),
        gradientNote: Localized(
            zh: "距离图只依赖目标、视为常数：每个位置的梯度就是交叉熵的梯度 $p_c \\sum_k q_k - q_c$ 乘以 $1 + D_i$。靠近边界的位置梯度最多放大为 2 倍，训练因而更关注难分割的边界区域。",
            en: "The map depends on the target only and is a constant: each position's gradient is the cross-entropy gradient $p_c \\sum_k q_k - q_c$ times $1 + D_i$, at most doubled next to a boundary, which steers training towards the hard boundary regions."),
        peers: [
            PeerEquivalent("segloss", "DisPenalizedCE()(logits, target)",
                           note: Localized(zh: "SegLoss 算出加权损失后却返回未加权的均值（其 DPCE 等于普通交叉熵），没有正确的同行调用；两类时我们的距离图与其 compute_edts_forPenalizedLoss 相同。",
                                           en: "SegLoss computes the weighted loss but returns the unweighted mean (its DPCE equals plain cross entropy), so no peer call matches; for two classes our map equals its compute_edts_forPenalizedLoss.")),
        ],
        notes: Localized(
            zh: "不照搬 SegLoss 的错误：我们返回 (1 + D)·CE 的加权均值。距离图按 SegLoss 的归一化（先取反、再除以取反后的最大值，即 M − μ），因此边界两侧的位置 D = 1。多类时每个位置使用其自身类别掩码的图（两类时与 SegLoss 的前景图完全相同）。类别厚度只有一个体素（M = μ）时 D = 1（SegLoss 为 0/0）；类别占满整个样本时 D = 0。mean 的分母与 cross-entropy 相同（$\\sum_i w_{y_i}$ 或位置数），因此 D ≡ 0 时与 torch.nn.CrossEntropyLoss 完全一致；全部被忽略时为 0。",
            en: "SegLoss's bug is not copied: we return the weighted mean of (1 + D)·CE. The map uses SegLoss's normalisation (inverted, then divided by the inverted map's maximum, i.e. M − μ), so positions on either side of a boundary get D = 1. With several classes each position uses the map of its own class's mask (for two classes exactly SegLoss's foreground map). A class one voxel thick (M = μ) gets D = 1 (SegLoss: 0/0); a class filling the whole sample gets D = 0. The mean's denominator is cross-entropy's ($\\sum_i w_{y_i}$ or the number of positions), so D ≡ 0 gives exactly torch.nn.CrossEntropyLoss; every position ignored gives 0."),
        citation: Citation("Caliva F., Iriondo C., Martinez A. M., Majumdar S., Pedoia V. Distance Map Loss Penalty Term for Semantic Segmentation. MIDL 2019 (extended abstract).",
                           url: "https://arxiv.org/abs/1908.03679"))

    let weight: [Double]
    let ignoreIndex: Int
    let smoothing: Double
    let spacing: [Double]
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        smoothing = try parameters.number("label_smoothing")
        spacing = try parameters.numbers("spacing")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let spacing = self.spacing
        // Cross entropy with each position's term (and gradient) multiplied by 1 + D.
        return try CrossEntropyLoss.crossEntropy(
            id: Self.descriptor.id, input, target: target, weight: weight, ignoreIndex: ignoreIndex, smoothing: smoothing,
            probabilities: probabilities, reduction: reduction, gradient: gradient,
            positionFactors: { resolved, layout in
                try Self.penalty(resolved, layout: layout, spacing: BoundaryText.spacing(spacing, layout: layout)).map { 1 + $0 }
            })
    }

    /// D per position (`[N, spatial…]` order): the inverted inside map of the position's own class.
    static func penalty(_ target: ClassTarget, layout: ClassScoreShape, spacing: [Double]?) throws -> [Double] {
        let S = layout.spatial, C = layout.classes
        var classOf = [Int](repeating: ClassScores.ignored, count: layout.positions)
        switch target {
        case let .labels(labels): classOf = labels
        case let .dense(t):
            for pos in 0..<layout.positions {
                var best = 0
                for c in 1..<max(1, C) where t[layout.index(position: pos, class: c)] > t[layout.index(position: pos, class: best)] {
                    best = c
                }
                classOf[pos] = best
            }
        }
        // One distance transform per (sample, class present); the slices are independent and
        // write disjoint positions, so large inputs run them concurrently.
        var penalty = [Double](repeating: 0, count: layout.positions)
        let slices = layout.batch * C
        var errors = [(any Error)?](repeating: nil, count: slices)
        penalty.withUnsafeMutableBufferPointer { penalty in
            errors.withUnsafeMutableBufferPointer { errors in
                let work = UncheckedSendable((penalty, errors))
                let slice = { (k: Int) in
                    let n = k / C, c = k % C
                    let mask = classOf[(n * S)..<((n + 1) * S)].map { $0 == c }
                    guard mask.contains(true) else { return }
                    do {
                        let map = try DistanceTransform.invertedInside(mask, shape: layout.spatialShape, spacing: spacing)
                        for s in 0..<S where mask[s] { work.value.0[n * S + s] = map[s] }
                    } catch {
                        work.value.1[k] = error
                    }
                }
                if slices > 1 && layout.count >= Parallel.grain {
                    let shared = UncheckedSendable(slice)
                    DispatchQueue.concurrentPerform(iterations: slices) { shared.value($0) }
                } else {
                    for k in 0..<slices { slice(k) }
                }
            }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
        return penalty
    }
}
