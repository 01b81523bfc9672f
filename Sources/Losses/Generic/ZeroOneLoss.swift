/// Zero-one loss: 1 when the sign of the score disagrees with the ±1 label.
///
/// ```latex
/// \ell(f, y) = \mathbb{1}[\,y f \le 0\,]
/// ```
/// A score of exactly 0 counts as an error (no class is predicted). The loss is piecewise
/// constant: its gradient is 0 wherever it exists (everywhere except y·f = 0, where it jumps),
/// and this library returns 0 there too. A NaN score counts as an error (1).
public struct ZeroOneLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "zero-one",
        name: Localized(zh: "0-1 损失", en: "Zero-one loss"),
        category: .classification,
        formulas: [
            #"\ell(f, y) = \mathbb{1}\left[\, y f \le 0 \,\right], \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        inputConvention: GenericText.margin,
        gradientNote: Localized(
            zh: "分段常数：几乎处处梯度为 0，在 y·f = 0 处跳变、不可导；本库在所有点都返回 0。所以它只能用来评估，不能直接用梯度法训练，这正是铰链、指数、logistic 等替代损失存在的原因。",
            en: "Piecewise constant: the gradient is 0 almost everywhere and undefined at the jump y·f = 0; this library returns 0 everywhere. It can measure but not train by gradient descent, which is why the hinge, exponential and logistic surrogates exist."),
        peers: [
            PeerEquivalent("sklearn", "sklearn.metrics.zero_one_loss(y, numpy.sign(f))",
                           note: Localized(zh: "等于我们的 mean：numpy.sign(0) = 0 与任何 ±1 标签都不相等，所以 f = 0 同样算错。", en: "Equals our mean: numpy.sign(0) = 0 matches no ±1 label, so f = 0 is an error there too.")),
        ],
        notes: Localized(
            zh: "平局约定：f = 0 算分类错误（损失 1）；NaN 得分也算错误。标签只接受 ±1。mean 即错误率。",
            en: "Tie convention: f = 0 counts as a mistake (loss 1); a NaN score is a mistake too. Labels must be ±1. mean is the error rate."),
        citation: Citation("Rosasco L., De Vito E., Caponnetto A., Piana M., Verri A. Are Loss Functions All the Same? Neural Computation 16(5):1063–1076, 2004.",
                           url: "https://doi.org/10.1162/089976604773135104"))

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: Elementwise.isSignLabel, requirement: Elementwise.signLabelRequirement)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, f, y in
            (y * f > 0 ? 0 : 1, 0)
        }
    }
}
