/// Mean absolute error, `torch.nn.L1Loss`.
///
/// ```latex
/// \ell(x, y) = |x - y|
/// ```
/// Input and target of equal shape. The derivative is sign(x − y), with 0 at x = y (PyTorch's
/// subgradient). NaN in the input or target propagates; ±∞ gives ∞.
public struct L1Loss: Loss {
    public static let descriptor = LossDescriptor(
        id: "l1",
        name: Localized(zh: "L1 损失（平均绝对误差）", en: "L1 loss (mean absolute error)"),
        category: .regression,
        formulas: [
            #"\ell(x, y) = |x - y|"#,
            #"L = \frac{1}{n}\sum_{i=1}^{n} |x_i - y_i|"#,
        ],
        parameters: [.reduction()],
        inputConvention: GenericText.sameShape,
        gradientNote: Localized(
            zh: "$\\partial \\ell/\\partial x = \\operatorname{sign}(x - y)$，在 x = y 处取 0（与 PyTorch 的次梯度相同）。梯度大小恒定，不随误差缩小而减小，所以对离群点稳健，但在最优点附近会来回震荡。",
            en: "$\\partial \\ell/\\partial x = \\operatorname{sign}(x - y)$, taken as 0 at x = y (PyTorch's subgradient). Its size does not shrink with the error: robust to outliers, but it keeps oscillating near the optimum."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.L1Loss(reduction=r)", note: Localized(zh: "完全相同（同形输入时）。", en: "Identical (for equally shaped inputs).")),
        ],
        notes: Localized(
            zh: "不做广播：形状不同直接报 shapeMismatch（PyTorch 会广播并给出警告）。" + GenericText.elementwiseReduction.zh,
            en: "No broadcasting: different shapes throw shapeMismatch (PyTorch broadcasts with a warning). " + GenericText.elementwiseReduction.en),
        citation: GenericText.esl)

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, x, y in
            let d = x - y
            return (abs(d), d > 0 ? 1 : (d < 0 ? -1 : 0))
        }
    }
}
