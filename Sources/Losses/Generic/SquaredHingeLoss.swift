/// Squared hinge loss (L2-SVM).
///
/// ```latex
/// \ell(f, y) = \max(0,\, 1 - y f)^2, \quad y \in \{-1, +1\}
/// ```
/// Differentiable everywhere: ∂ℓ/∂f = −2y·max(0, 1 − y f). NaN scores propagate.
public struct SquaredHingeLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "squared-hinge",
        name: Localized(zh: "平方 Hinge 损失", en: "Squared hinge loss"),
        category: .classification,
        formulas: [
            #"\ell(f, y) = \max(0,\ 1 - y f)^2, \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        inputConvention: GenericText.margin,
        gradientNote: Localized(
            zh: "$\\partial \\ell/\\partial f = -2y\\max(0, 1 - y f)$：处处可导（折点处导数连续为 0），违反间隔越多梯度越大。",
            en: "$\\partial \\ell/\\partial f = -2y\\max(0, 1 - y f)$: differentiable everywhere (the slope is 0 at the kink), growing with the margin violation."),
        peers: [
            PeerEquivalent("keras", "keras.losses.SquaredHinge()", note: Localized(zh: "Keras 先对最后一维求平均再对批次平均；各行等长时等于我们的 mean。Keras 会把 0/1 标签转成 ±1，我们只接受 ±1。", en: "Keras averages over the last axis, then the batch; with rows of equal length this is our mean. Keras converts 0/1 labels to ±1; we accept ±1 only.")),
        ],
        notes: Localized(
            zh: "标签只接受 ±1。" + GenericText.elementwiseReduction.zh,
            en: "Labels must be ±1. " + GenericText.elementwiseReduction.en),
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
            return slack <= 0 ? (0, 0) : (slack * slack, -2 * y * slack)  // NaN propagates
        }
    }
}
