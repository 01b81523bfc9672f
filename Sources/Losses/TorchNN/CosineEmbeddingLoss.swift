import Foundation

/// Cosine embedding loss, `torch.nn.CosineEmbeddingLoss` exactly.
///
/// ```latex
/// \cos = \frac{\langle a, b\rangle}{\sqrt{(\lVert a\rVert^2 + \epsilon)(\lVert b\rVert^2 + \epsilon)}}, \quad
/// \ell = \begin{cases} 1 - \cos & y = 1 \\ \max(0, \cos - \text{margin}) & y = -1 \end{cases}
/// ```
/// ε = 1e-12 is added to each squared norm, as PyTorch (so zero vectors give cos = 0, not NaN).
/// The pair is stacked along a leading axis: input `[2, N, D]` (or `[2, D]`), target `[N]` (or
/// `[]`). A label other than ±1 gives 0 (PyTorch's `where`).
public struct CosineEmbeddingLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "cosine-embedding",
        name: Localized(zh: "余弦嵌入损失", en: "Cosine embedding loss"),
        category: .classification,
        formulas: [
            #"\ell = \begin{cases} 1 - \cos(a, b), & y = 1 \\ \max\bigl(0,\; \cos(a, b) - \text{margin}\bigr), & y = -1 \end{cases}"#,
            #"\cos(a, b) = \frac{\sum_d a_d b_d}{\sqrt{\left(\sum_d a_d^2 + \epsilon\right)\left(\sum_d b_d^2 + \epsilon\right)}}, \quad \epsilon = 10^{-12}"#,
        ],
        parameters: [
            ParameterSpec("margin", .number(min: -1, max: 1), default: .number(0),
                          Localized(zh: "不相似对的余弦相似度上限（−1 到 1，PyTorch 建议 0 到 0.5）", en: "the cosine similarity dissimilar pairs should stay below (−1 to 1; PyTorch suggests 0 to 0.5)")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "PyTorch 的两个输入 x1、x2（[N, D] 或 [D]）沿新的第 0 维堆叠成我们的输入 [2, N, D]（或 [2, D]），即 torch.stack([x1, x2])；目标 y 为 [N]（或 []），1 表示相似、−1 表示不相似，其他取值损失为 0（与 PyTorch 相同），NaN 报错。梯度形状为 [2, N, D]。",
            en: "PyTorch's two inputs x1 and x2 ([N, D] or [D]) are stacked along a new leading axis into our input [2, N, D] (or [2, D]), i.e. torch.stack([x1, x2]); the target y is [N] (or []): 1 for similar, −1 for dissimilar pairs, any other value gives loss 0 (as PyTorch); NaN throws. The gradient is [2, N, D]."),
        gradientNote: Localized(
            zh: "$\\partial \\cos/\\partial a = b/\\sqrt{m_a m_b} - \\cos\\cdot a/m_a$（$m_a = \\lVert a\\rVert^2 + \\epsilon$），与 a 正交的分量才改变余弦：梯度只转动向量、不改变其长度。y = 1 时取负号；y = −1 时只在 cos > margin 处非零。" + TorchNNText.clampGradient.zh,
            en: "$\\partial \\cos/\\partial a = b/\\sqrt{m_a m_b} - \\cos\\cdot a/m_a$ ($m_a = \\lVert a\\rVert^2 + \\epsilon$): only the component orthogonal to a changes the cosine, so the gradient rotates vectors without changing their length. Negated for y = 1; for y = −1 non-zero only where cos > margin. " + TorchNNText.clampGradient.en),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.CosineEmbeddingLoss(margin=m, reduction=r)(x1, x2, y)",
                           note: Localized(zh: "完全相同（含 ε = 1e-12）；输入格式不同：x1、x2 堆叠成 [2, …]。", en: "Identical (ε = 1e-12 included); the input format differs: x1 and x2 stacked into [2, …].")),
        ],
        notes: Localized(
            zh: "零向量：余弦取 0（ε 使分母为正），损失 1（y = 1）或 max(0, −margin)，梯度有限。" + TorchNNText.perSampleReduction.zh,
            en: "A zero vector gives cos = 0 (ε keeps the denominator positive): loss 1 (y = 1) or max(0, −margin), with a finite gradient. " + TorchNNText.perSampleReduction.en),
        citation: Citation("Hadsell R., Chopra S., LeCun Y. Dimensionality Reduction by Learning an Invariant Mapping. CVPR 2006 (contrastive pairs; cosine form as in torch.nn).",
                           url: "https://doi.org/10.1109/CVPR.2006.100"))

    static let epsilon = 1e-12

    let margin: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        margin = try parameters.number("margin")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let id = Self.descriptor.id
        let pair = try StackedInput.partShape(id, input, count: 2, names: "x1 and x2")
        guard pair.count == 1 || pair.count == 2, let target, target.shape == Array(pair.dropLast()) else {
            throw LossError.shapeMismatch("'\(id)': input [2, N, D] with target [N], or [2, D] with target []; "
                                          + "got input \(input.shape), target \(target?.shape ?? [])")
        }
        if let bad = target.data.firstIndex(where: { $0.isNaN }) {
            throw LossError.invalidInput("'\(id)': target[\(bad)] is NaN")
        }
        let n = target.count, D = pair[pair.count - 1], half = n * D
        let scale = Reduce.gradientScale(reduction, count: Double(n))
        var values = [Float](repeating: 0, count: reduction == .none ? n : 0)
        var grad = [Float](repeating: 0, count: gradient ? input.count : 0)
        var sum = 0.0
        for i in 0..<n {
            var dot = 0.0, aa = Self.epsilon, bb = Self.epsilon
            for d in 0..<D {
                let a = Double(input.data[i * D + d]), b = Double(input.data[half + i * D + d])
                dot += a * b
                aa += a * a
                bb += b * b
            }
            let root = (aa * bb).squareRoot()
            let cos = dot / root
            let y = target.data[i]
            var l = 0.0, dCos = 0.0
            if y == 1 {
                l = 1 - cos
                dCos = -1
            } else if y == -1 {
                l = max(0, cos - margin)
                if cos - margin > 0 { dCos = 1 }
            }
            sum += l
            if reduction == .none { values[i] = Float(l) }
            if gradient, dCos != 0 {
                let g = dCos * scale
                for d in 0..<D {
                    let a = Double(input.data[i * D + d]), b = Double(input.data[half + i * D + d])
                    grad[i * D + d] = Float(g * (b / root - cos * a / aa))
                    grad[half + i * D + d] = Float(g * (a / root - cos * b / bb))
                }
            }
        }
        let value = Reduce.value(sum: sum, count: Double(n), elements: values, shape: target.shape, reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }
}
