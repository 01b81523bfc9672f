/// Margin ranking loss, `torch.nn.MarginRankingLoss` exactly.
///
/// ```latex
/// \ell = \max\bigl(0,\; -y\,(x_1 - x_2) + \text{margin}\bigr)
/// ```
/// x1 and x2 are stacked along a leading axis of the input, `[2, shape…]`; the target y has
/// `shape…` and should hold ±1 (any finite value is accepted, as PyTorch). The gradient is
/// `[2, shape…]`: −y and +y where the hinge is active (z > 0; at z = 0 PyTorch's clamp_min gives 0), 0 elsewhere.
public struct MarginRankingLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "margin-ranking",
        name: Localized(zh: "间隔排序损失", en: "Margin ranking loss"),
        category: .classification,
        formulas: [#"\ell = \max\bigl(0,\; -y\,(x_1 - x_2) + \text{margin}\bigr), \quad y \in \{-1, +1\}"#],
        parameters: [
            ParameterSpec("margin", .number(min: nil, max: nil), default: .number(0),
                          Localized(zh: "要求 x1 与 x2 之差超过的间隔（默认 0）", en: "the margin by which x1 − x2 should exceed 0 (default 0)")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "PyTorch 的两个输入 x1、x2（形状相同，通常 [N] 或 []）沿新的第 0 维堆叠成我们的输入 [2, …]，即 torch.stack([x1, x2])；目标 y 形状为 […]，y = 1 表示 x1 应排在 x2 前面，y = −1 相反（与 PyTorch 一样接受任意有限实数，NaN 报错）。梯度形状为 [2, …]：先 ∂/∂x1，后 ∂/∂x2。",
            en: "PyTorch's two inputs x1 and x2 (equal shapes, usually [N] or []) are stacked along a new leading axis into our input [2, …], i.e. torch.stack([x1, x2]); the target y has shape […]: y = 1 means x1 should rank above x2, y = −1 the opposite (as PyTorch, any finite real is accepted; NaN throws). The gradient is [2, …]: ∂/∂x1, then ∂/∂x2."),
        gradientNote: Localized(
            zh: "间隔未满足时 $\\partial \\ell/\\partial x_1 = -y$、$\\partial \\ell/\\partial x_2 = y$，满足后为 0：只有排序错误或间隔不够的样本对推动得分。" + TorchNNText.clampGradient.zh,
            en: "Where the margin is not met, $\\partial \\ell/\\partial x_1 = -y$ and $\\partial \\ell/\\partial x_2 = y$, and 0 once it is: only pairs ranked wrongly or too closely move the scores. " + TorchNNText.clampGradient.en),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.MarginRankingLoss(margin=m, reduction=r)(x1, x2, y)",
                           note: Localized(zh: "完全相同；输入格式不同：x1、x2 堆叠成 [2, …]。我们不在 x1、x2、y 之间广播。",
                                           en: "Identical; the input format differs: x1 and x2 stacked into [2, …]. We do not broadcast between x1, x2 and y.")),
        ],
        notes: Localized(
            zh: "成对排序（RankNet 之前的铰链形式）。margin = 0 时 x1 = x2 的样本对损失为 0，梯度也为 0（与 PyTorch 的 clamp_min 相同）。mean 除以样本对的个数。",
            en: "Pairwise ranking in hinge form. With margin = 0, a pair with x1 = x2 has loss 0 and a zero gradient (as PyTorch's clamp_min). mean divides by the number of pairs."),
        citation: Citation("Herbrich R., Graepel T., Obermayer K. Large margin rank boundaries for ordinal regression. Advances in Large Margin Classifiers, MIT Press, 2000.",
                           url: "https://mitpress.mit.edu/9780262194488/advances-in-large-margin-classifiers/"))

    let margin: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        margin = try parameters.number("margin")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let id = Self.descriptor.id
        let shape = try StackedInput.partShape(id, input, count: 2, names: "x1 and x2")
        guard let target, target.shape == shape else {
            throw LossError.shapeMismatch("'\(id)': the target must have shape \(shape) (one label per pair), got \(target?.shape ?? [])")
        }
        if let bad = target.data.firstIndex(where: { !$0.isFinite }) {
            throw LossError.invalidInput("'\(id)': target[\(bad)] = \(target.data[bad]); the target must be finite")
        }
        let n = target.count
        let scale = Reduce.gradientScale(reduction, count: Double(n))
        var values = [Float](repeating: 0, count: reduction == .none ? n : 0)
        var grad = [Float](repeating: 0, count: gradient ? input.count : 0)
        var sum = 0.0
        for i in 0..<n {
            let y = Double(target.data[i])
            let z = -y * (Double(input.data[i]) - Double(input.data[n + i])) + margin
            let l = max(0, z)
            sum += l
            if reduction == .none { values[i] = Float(l) }
            if gradient, z > 0 {
                grad[i] = Float(-y * scale)
                grad[n + i] = Float(y * scale)
            }
        }
        let value = Reduce.value(sum: sum, count: Double(n), elements: values, shape: shape, reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }
}
