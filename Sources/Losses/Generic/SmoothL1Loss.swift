/// Smooth L1 loss, `torch.nn.SmoothL1Loss(beta=β)` (Girshick, Fast R-CNN).
///
/// ```latex
/// \ell(x, y) = \begin{cases} \tfrac{1}{2}(x-y)^2/\beta & |x-y| < \beta \\ |x-y| - \tfrac{1}{2}\beta & \text{otherwise} \end{cases}
/// ```
/// β = 0 is plain L1 (PyTorch's special case). Input and target of equal shape.
public struct SmoothL1Loss: Loss {
    public static let descriptor = LossDescriptor(
        id: "smooth-l1",
        name: Localized(zh: "Smooth L1 损失", en: "Smooth L1 loss"),
        category: .regression,
        formulas: [
            #"\ell(x, y) = \begin{cases} \dfrac{(x-y)^2}{2\beta} & |x-y| < \beta \\[4pt] |x-y| - \dfrac{\beta}{2} & \text{otherwise} \end{cases}"#,
        ],
        parameters: [
            ParameterSpec("beta", .number(min: 0, max: nil), default: .number(1),
                          Localized(zh: "从二次切换到线性的阈值 β ≥ 0；β = 0 时等于 L1 损失", en: "threshold β ≥ 0 where the quadratic part turns linear; β = 0 gives the L1 loss")),
            .reduction(),
        ],
        inputConvention: GenericText.sameShape,
        gradientNote: Localized(
            zh: "$|d| < \\beta$ 时 $\\partial \\ell/\\partial x = d/\\beta$，否则为 $\\operatorname{sign}(d)$（d = x − y）。小误差处像 L2 一样平滑收敛，大误差处梯度被截到 ±1，不会被离群点拉爆。",
            en: "$\\partial \\ell/\\partial x = d/\\beta$ when $|d| < \\beta$, else $\\operatorname{sign}(d)$ (d = x − y): smooth like L2 near the target, clipped to ±1 for large errors so outliers cannot dominate."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.SmoothL1Loss(beta=β, reduction=r)", note: Localized(zh: "完全相同，包括 β = 0 的特例。", en: "Identical, including the β = 0 special case.")),
        ],
        notes: Localized(
            zh: "smooth-l1 等于 huber 除以 β：SmoothL1(β) = Huber(δ=β)/β（β > 0）。在 |d| = β 处按 PyTorch 取线性分支（两支在该点值与导数都连续）。" + GenericText.elementwiseReduction.zh,
            en: "smooth-l1 is huber divided by β: SmoothL1(β) = Huber(δ=β)/β for β > 0. At |d| = β the linear branch is used, as in PyTorch (value and slope are continuous there). " + GenericText.elementwiseReduction.en),
        citation: Citation("Girshick R. Fast R-CNN. ICCV 2015.", url: "https://arxiv.org/abs/1504.08083"))

    let beta: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        beta = try parameters.number("beta")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target)
        let beta = self.beta
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, x, y in
            let d = x - y, a = abs(d)
            if a < beta { return (0.5 * d * d / beta, d / beta) }
            return (a - 0.5 * beta, d > 0 ? 1 : (d < 0 ? -1 : 0))
        }
    }
}
