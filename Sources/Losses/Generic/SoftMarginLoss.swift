/// Soft-margin (logistic) loss, `torch.nn.SoftMarginLoss`.
///
/// ```latex
/// \ell(f, y) = \log(1 + e^{-y f}) = \operatorname{softplus}(-y f)
/// ```
/// Computed as softplus so margins of ±1000 give 0 and 1000 exactly; ∂ℓ/∂f = −y·σ(−y f).
/// Like PyTorch, any finite target is accepted (the formula is meant for y = ±1).
public struct SoftMarginLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "soft-margin",
        name: Localized(zh: "Soft margin 损失（logistic 损失）", en: "Soft-margin loss (logistic loss)"),
        category: .classification,
        formulas: [
            #"\ell(f, y) = \log\left(1 + e^{-y f}\right), \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        inputConvention: Localized(
            zh: "输入 f 为实数得分（任意形状），目标 y 与之同形，通常取 −1 或 +1；与 PyTorch 一样接受任意有限实数（NaN 报错）。",
            en: "Input f holds real scores (any shape); the target y has the same shape and normally holds −1 or +1; like PyTorch, any finite real is accepted (NaN throws)."),
        gradientNote: Localized(
            zh: "$\\partial \\ell/\\partial f = -y\\,\\sigma(-y f)$：是铰链损失的光滑版本，梯度永不完全为 0，但对大间隔样本指数衰减。",
            en: "$\\partial \\ell/\\partial f = -y\\,\\sigma(-y f)$: a smooth hinge whose gradient never vanishes exactly but decays exponentially beyond the margin."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.SoftMarginLoss(reduction=r)", note: Localized(zh: "完全相同（mean 除以元素总数）。", en: "Identical (mean divides by the element count).")),
        ],
        notes: Localized(
            zh: "以 $\\operatorname{softplus}(-yf) = \\max(-yf, 0) + \\operatorname{log1p}(e^{-|yf|})$ 计算：间隔 ±1000 分别得 0 和 1000，不会溢出。y ∈ {0, 1} 的二元交叉熵见 binary-cross-entropy；两者在 y' = (y+1)/2 时相同。" + GenericText.elementwiseReduction.zh,
            en: "Computed as $\\operatorname{softplus}(-yf) = \\max(-yf, 0) + \\operatorname{log1p}(e^{-|yf|})$: margins of ±1000 give 0 and 1000, no overflow. For y ∈ {0, 1} see binary-cross-entropy; the two agree with y' = (y+1)/2. " + GenericText.elementwiseReduction.en),
        citation: GenericText.esl)

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: { $0.isFinite }, requirement: "the target must be finite")
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, f, y in
            let m = y * f
            return (ClassScores.softplus(-m), -y * ClassScores.sigmoid(-m))
        }
    }
}
