/// Hinge embedding loss, `torch.nn.HingeEmbeddingLoss` exactly.
///
/// ```latex
/// \ell = \begin{cases} x & y = 1 \\ \max(0, \Delta - x) & y = -1 \end{cases}
/// ```
/// x is usually a distance between two embeddings. Element-wise on equal shapes; `mean` over all
/// elements. A label other than ±1 gets both terms, `x + max(0, Δ − x)`, as PyTorch computes it
/// (`where(y != 1, …) + where(y != −1, …)`).
public struct HingeEmbeddingLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "hinge-embedding",
        name: Localized(zh: "铰链嵌入损失", en: "Hinge embedding loss"),
        category: .classification,
        formulas: [#"\ell = \begin{cases} x, & y = 1 \\ \max(0,\; \Delta - x), & y = -1 \end{cases}"#],
        parameters: [
            ParameterSpec("margin", .number(min: nil, max: nil), default: .number(1),
                          Localized(zh: "间隔 Δ：y = −1 的样本距离应至少为 Δ（默认 1）", en: "the margin Δ: pairs with y = −1 should be at least Δ apart (default 1)")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入 x（任意形状）通常是两个嵌入之间的距离（如 L1 距离），目标 y 与之同形：1 表示相似、−1 表示不相似。其他取值与 PyTorch 一样两项都计入：x + max(0, Δ − x)。NaN 目标报错。",
            en: "The input x (any shape) is usually a distance between two embeddings (an L1 distance, say); the target y has the same shape: 1 for similar pairs, −1 for dissimilar ones. Any other value gets both terms, x + max(0, Δ − x), as in PyTorch. A NaN target throws."),
        gradientNote: Localized(
            zh: "y = 1：$\\partial \\ell/\\partial x = 1$（总把相似对的距离往小推）；y = −1：x < Δ 时为 −1，否则为 0。" + TorchNNText.clampGradient.zh,
            en: "y = 1: $\\partial \\ell/\\partial x = 1$ (similar pairs are always pulled together); y = −1: −1 while x < Δ, then 0. " + TorchNNText.clampGradient.en),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.HingeEmbeddingLoss(margin=Δ, reduction=r)",
                           note: Localized(zh: "完全相同（包括 ±1 以外的标签与 mean 除以元素总数）。", en: "Identical (labels other than ±1 included; mean divides by the element count).")),
        ],
        notes: Localized(
            zh: "度量学习与半监督嵌入中的对比式铰链损失。margin = 0 时不相似对的项恒为 max(0, −x)，对非负距离为 0。" + GenericText.elementwiseReduction.zh,
            en: "The contrastive hinge of metric learning and semi-supervised embedding. With margin = 0 the dissimilar term is max(0, −x), 0 for non-negative distances. " + GenericText.elementwiseReduction.en),
        citation: Citation("Hadsell R., Chopra S., LeCun Y. Dimensionality Reduction by Learning an Invariant Mapping. CVPR 2006.",
                           url: "https://doi.org/10.1109/CVPR.2006.100"))

    let margin: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        margin = try parameters.number("margin")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: { !$0.isNaN }, requirement: "the target must not be NaN")
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { [margin] _, x, y in
            var value = 0.0, derivative = 0.0
            if y != 1 {
                let z = margin - x
                value += max(0, z)
                if z > 0 { derivative -= 1 }
            }
            if y != -1 {
                value += x
                derivative += 1
            }
            return (value, derivative)
        }
    }
}
