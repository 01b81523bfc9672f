/// Hinge loss of support vector machines.
///
/// ```latex
/// \ell(f, y) = \max(0,\, 1 - y f), \quad y \in \{-1, +1\}
/// ```
/// Subgradient −y where y·f < 1, 0 where y·f ≥ 1 (the kink takes 0).
/// Not `torch.nn.HingeEmbeddingLoss`, which is a different loss on distances. NaN scores
/// propagate; ±∞ scores give 0 or ∞.
public struct HingeLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "hinge",
        name: Localized(zh: "Hinge 损失（铰链损失）", en: "Hinge loss"),
        category: .classification,
        formulas: [
            #"\ell(f, y) = \max(0,\ 1 - y f), \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        inputConvention: GenericText.margin,
        gradientNote: Localized(
            zh: "次梯度：y·f < 1 时为 −y，y·f ≥ 1 时为 0（折点处取 0）。间隔足够的样本完全不产生梯度，这就是 SVM 解只依赖支持向量的原因。",
            en: "Subgradient: −y where y·f < 1, 0 where y·f ≥ 1 (0 at the kink). Examples beyond the margin give no gradient at all, which is why an SVM depends only on its support vectors."),
        peers: [
            PeerEquivalent("sklearn", "sklearn.metrics.hinge_loss(y, f)", note: Localized(zh: "二分类、标签 ±1 时等于我们的 mean。", en: "For binary ±1 labels it equals our mean.")),
        ],
        notes: Localized(
            zh: "注意 torch.nn.HingeEmbeddingLoss 是另一个损失（作用在距离上：y = 1 时取 x，y = −1 时取 max(0, margin − x)），不是这里的铰链损失。标签只接受 ±1。" + GenericText.elementwiseReduction.zh,
            en: "torch.nn.HingeEmbeddingLoss is a different loss (on distances: x for y = 1, max(0, margin − x) for y = −1), not this hinge loss. Labels must be ±1. " + GenericText.elementwiseReduction.en),
        citation: Citation("Cortes C., Vapnik V. Support-Vector Networks. Machine Learning 20(3):273–297, 1995.",
                           url: "https://doi.org/10.1007/BF00994018"))

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: Elementwise.isSignLabel, requirement: Elementwise.signLabelRequirement)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, f, y in
            let slack = 1 - y * f
            return slack <= 0 ? (0, 0) : (slack, -y)  // NaN falls through and propagates
        }
    }
}
