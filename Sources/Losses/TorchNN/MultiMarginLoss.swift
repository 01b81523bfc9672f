/// Multi-class margin (hinge) loss, `torch.nn.MultiMarginLoss` exactly.
///
/// ```latex
/// \ell_n = \frac{1}{C} \sum_{i \ne y_n} w_{y_n} \max(0,\; \text{margin} - x_{n, y_n} + x_{n, i})^p, \quad p \in \{1, 2\}
/// ```
/// Input `[N, C]` (or `[C]`), target class indices `[N]` (or `[]`). `mean` averages over the N
/// samples (not a weighted mean, unlike NLL). The hinge is active where its argument is > 0
/// (PyTorch's kernel compares strictly).
public struct MultiMarginLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "multi-margin",
        name: Localized(zh: "多类间隔损失", en: "Multi-class margin loss"),
        category: .classification,
        formulas: [#"\ell_n = \frac{1}{C} \sum_{i \ne y_n} w_{y_n} \max\bigl(0,\; \text{margin} - x_{n, y_n} + x_{n, i}\bigr)^p, \quad p \in \{1, 2\}"#],
        parameters: [
            ParameterSpec("p", .integer(min: 1, max: 2), default: .number(1),
                          Localized(zh: "铰链的次数：1 或 2（平方铰链）", en: "the hinge's power: 1, or 2 (squared hinge)")),
            ParameterSpec("margin", .number(min: nil, max: nil), default: .number(1),
                          Localized(zh: "目标类得分应超出其他类得分的间隔（默认 1）", en: "the margin by which the target class's score should exceed the others (default 1)")),
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "每个类别的权重（长度 C），按样本的目标类取 $w_{y_n}$ 相乘；空表示全为 1", en: "per-class weights (length C), applied by the sample's target class, $w_{y_n}$; empty means all ones")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入为类别得分 [N, C]（或无批次的 [C]），不做 softmax；目标为类别索引 [N]（或 []），以 Float 存的整数 0…C−1。",
            en: "The input holds class scores [N, C] (or [C] without a batch axis), no softmax; the target holds class indices [N] (or []), whole numbers 0…C−1 stored as Float."),
        gradientNote: Localized(
            zh: "对每个违反间隔的类 i（z = margin − x_y + x_i > 0）：$\\partial/\\partial x_i = w_y\\, p z^{p-1}/C$，目标类得到相反数之和。正确且间隔足够的样本梯度为 0。z = 0 处梯度为 0（PyTorch 的核函数用严格的 z > 0）。",
            en: "For every class i violating the margin (z = margin − x_y + x_i > 0): $\\partial/\\partial x_i = w_y\\, p z^{p-1}/C$, and the target class receives minus their sum. Samples classified with enough margin get no gradient. At z = 0 the gradient is 0 (PyTorch's kernel tests z > 0 strictly)."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.MultiMarginLoss(p=p, margin=m, weight=w, reduction=r)",
                           note: Localized(zh: "完全相同（除以 C；mean 对样本取平均，不用权重和）。", en: "Identical (divided by C; mean averages over samples, not over the weight sum).")),
        ],
        notes: Localized(
            zh: "Weston–Watkins 形式的多类 SVM 损失（Crammer–Singer 取最大值而非求和）。" + TorchNNText.perSampleReduction.zh,
            en: "The Weston–Watkins multi-class SVM loss (Crammer–Singer takes the maximum instead of the sum). " + TorchNNText.perSampleReduction.en),
        citation: Citation("Weston J., Watkins C. Support Vector Machines for Multi-Class Pattern Recognition. ESANN 1999.",
                           url: "https://www.esann.org/sites/default/files/proceedings/legacy/es1999-461.pdf"))

    let p: Int
    let margin: Double
    let weight: [Double]
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        p = try parameters.integer("p")
        margin = try parameters.number("margin")
        weight = try parameters.numbers("weight")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let id = Self.descriptor.id
        let (rows, classes, labels) = try ClassRows.indices(id, input, target)
        guard weight.isEmpty || weight.count == classes else {
            throw LossError.invalidParameter(loss: id, name: "weight", message: "\(weight.count) values for \(classes) classes")
        }
        let scale = Reduce.gradientScale(reduction, count: Double(rows))
        var values = [Float](repeating: 0, count: reduction == .none ? rows : 0)
        var grad = [Double](repeating: 0, count: gradient ? input.count : 0)
        var sum = 0.0
        for n in 0..<rows {
            let y = labels[n], base = n * classes
            let w = weight.isEmpty ? 1 : weight[y]
            let xy = Double(input.data[base + y])
            var l = 0.0
            for i in 0..<classes where i != y {
                let z = margin - xy + Double(input.data[base + i])
                guard z > 0 else { continue }
                l += w * (p == 1 ? z : z * z)
                if gradient {
                    let g = w * (p == 1 ? 1 : 2 * z) / Double(classes) * scale
                    grad[base + i] += g
                    grad[base + y] -= g
                }
            }
            l /= Double(classes)
            sum += l
            if reduction == .none { values[n] = Float(l) }
        }
        let value = Reduce.value(sum: sum, count: Double(rows), elements: values, shape: target?.shape ?? [], reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad.map { Float($0) }) : nil)
    }
}
