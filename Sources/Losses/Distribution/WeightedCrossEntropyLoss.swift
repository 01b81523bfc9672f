/// Weighted cross entropy: cross entropy with per-class weights, which by default are the
/// batch's "balanced" weights w_c = M / (C · M_c).
///
/// ```latex
/// \ell_i = -w_{y_i} \log p_{i, y_i}, \qquad L = \frac{\sum_i \ell_i}{\sum_i w_{y_i}}
/// ```
/// With `weight` given it is exactly `cross-entropy` with that weight
/// (`torch.nn.CrossEntropyLoss(weight=w)`). Without it, M_c is the number of non-ignored
/// positions labelled c (or Σ t_c for a dense target), M = Σ_c M_c; classes absent from the
/// batch get weight 0 (they have no positions to weigh). The weights depend only on the
/// target, so the gradient treats them as constants and is exact. Extremes, NaN and ignored
/// positions behave as in `CrossEntropyLoss`.
public struct WeightedCrossEntropyLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "weighted-cross-entropy",
        name: Localized(zh: "加权交叉熵", en: "Weighted cross entropy"),
        category: .distribution,
        formulas: [
            #"\ell_i = -w_{y_i} \log p_{i, y_i}, \qquad L_{\text{mean}} = \frac{\sum_i \ell_i}{\sum_i w_{y_i}}"#,
            #"w_c = \frac{M}{C\, M_c} \quad \text{(default: balanced weights from the batch)}"#,
        ],
        parameters: [
            CrossEntropyText.weight("每个类别的权重 w_c（长度 C）；空表示按本批目标的类别频率取“平衡”权重 M/(C·M_c)",
                                    "per-class weights w_c (length C); empty means the batch's balanced weights M/(C·M_c) from the target's class counts"),
            CrossEntropyText.ignoreIndex,
            CrossEntropyText.activation(),
            .reduction(),
        ],
        inputConvention: CrossEntropyText.classScores,
        gradientNote: Localized(
            zh: "对 logits：$\\partial \\ell_i/\\partial x_{i,c} = w_{y_i}(p_{i,c} - [c = y_i])$，再除以 mean 的分母。默认权重只由目标决定，与输入无关，因此把它当常数求导是精确的。稀有类别权重大，它们的梯度被放大，抵消类别不平衡。",
            en: "For logits: $\\partial \\ell_i/\\partial x_{i,c} = w_{y_i}(p_{i,c} - [c = y_i])$, divided by the mean's denominator. The default weights depend only on the target, not the input, so treating them as constants is exact. Rare classes get large weights and their gradients are amplified, offsetting class imbalance."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.CrossEntropyLoss(weight=w, ignore_index=i, reduction=r)",
                           note: Localized(zh: "给定 weight 时完全相同（即 cross-entropy 加 weight）。默认平衡权重等于先用 sklearn.utils.class_weight.compute_class_weight(\"balanced\", …) 对本批标签求权重再传给 PyTorch。", en: "Identical when weight is given (cross-entropy with weight). The default balanced weights equal passing sklearn.utils.class_weight.compute_class_weight(\"balanced\", …) of the batch labels to PyTorch.")),
        ],
        notes: Localized(
            zh: "与 cross-entropy 的关系：weighted-cross-entropy(weight=w) ≡ cross-entropy(weight=w)，包括 PyTorch 的加权均值分母 $\\sum_i w_{y_i}$。它单独成条是因为分割文献（U-Net、SegLoss 的 WeightedCrossEntropyLoss）把它当作应对类别不平衡的独立方法；不给 weight 时我们按本批目标计算平衡权重 M/(C·M_c)（批内未出现的类别权重为 0），这样不用事先统计数据集。这里不提供 label_smoothing（需要时用 cross-entropy）。全部被忽略时 mean 为 0（PyTorch 为 NaN）。",
            en: "Relation to cross-entropy: weighted-cross-entropy(weight=w) ≡ cross-entropy(weight=w), including PyTorch's weighted mean denominator $\\sum_i w_{y_i}$. It has its own entry because the segmentation literature (U-Net, SegLoss's WeightedCrossEntropyLoss) treats it as a method against class imbalance; without weight we compute the batch's balanced weights M/(C·M_c) from the target (classes absent from the batch weigh 0), so no dataset statistics are needed. No label_smoothing here (use cross-entropy for that). Every target ignored: mean is 0 (NaN in PyTorch)."),
        citation: Citation("Ronneberger O., Fischer P., Brox T. U-Net: Convolutional Networks for Biomedical Image Segmentation. MICCAI 2015.",
                           url: "https://arxiv.org/abs/1505.04597"))

    let weight: [Double]
    let ignoreIndex: Int
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try CrossEntropyLoss.crossEntropy(id: Self.descriptor.id, input, target: target, weight: weight, ignoreIndex: ignoreIndex,
                                          smoothing: 0, probabilities: probabilities, reduction: reduction, gradient: gradient,
                                          balancedWeights: true)
    }

    /// w_c = M / (C · M_c) from the target's class masses; 0 for absent classes.
    static func balancedWeights(_ target: ClassTarget, layout: ClassScoreShape) -> [Double] {
        let C = layout.classes, S = layout.spatial
        var mass = [Double](repeating: 0, count: C)
        switch target {
        case let .labels(labels):
            for y in labels where y >= 0 { mass[y] += 1 }
        case let .dense(t):
            for n in 0..<layout.batch {
                for c in 0..<C {
                    let base = (n * C + c) * S
                    for s in 0..<S { mass[c] += Double(t[base + s]) }
                }
            }
        }
        let total = mass.reduce(0, +)
        return mass.map { $0 > 0 ? total / (Double(C) * $0) : 0 }
    }
}
