/// Negative log-likelihood over classes, `torch.nn.NLLLoss` exactly.
///
/// ```latex
/// \ell_i = -w_{y_i}\, x_{i, y_i}, \qquad L_{\text{mean}} = \frac{\sum_i \ell_i}{\sum_{i:\, y_i \ne \text{ignore}} w_{y_i}}
/// ```
/// Input `[N, C, d…]` of log-probabilities (any reals: nothing is normalised or checked, as
/// PyTorch), or `[C]` without a batch axis; target class indices `[N, d…]` (or `[]`). Ignored
/// positions contribute 0 and leave the denominator. Every position ignored (or Σ w = 0): `mean`
/// is 0 with a zero gradient (PyTorch: 0/0 = NaN), `sum` is 0. A NaN or infinite input at a
/// target class gives that value; elsewhere it does not take part.
public struct NLLLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "nll",
        name: Localized(zh: "负对数似然损失", en: "Negative log-likelihood loss"),
        category: .distribution,
        formulas: [
            #"\ell_i = -w_{y_i}\, x_{i, y_i}"#,
            #"L_{\text{mean}} = \frac{\sum_i \ell_i}{\sum_{i:\, y_i \ne \text{ignore}} w_{y_i}}"#,
        ],
        parameters: [
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "每个类别的权重 w_c（长度 C）；空表示全为 1", en: "per-class weights w_c (length C); empty means all ones")),
            ParameterSpec("ignore_index", .integer(min: nil, max: nil), default: .number(-100),
                          Localized(zh: "取该值的目标被忽略：不贡献损失和梯度，也不计入 mean 的分母（默认 −100，与 PyTorch 相同）",
                                    en: "targets equal to this value are ignored: no loss, no gradient, not in the mean's denominator (default −100, as PyTorch)")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入 x 为对数概率 [N, C, d1, …, dK]（K ≥ 0，类别在第 1 维；通常是 log_softmax 的输出，但与 PyTorch 一样不做检查或归一化），无批次时为 [C]。目标为类别索引 [N, d1, …, dK]（以 Float 存的整数，0…C−1 或 ignore_index；也接受 [N, 1, d1, …]），无批次时为 []。不接受概率目标（PyTorch 的 NLLLoss 也不接受）。",
            en: "The input x holds log-probabilities [N, C, d1, …, dK] (K ≥ 0, classes on axis 1; usually log_softmax's output, but, as PyTorch, neither checked nor normalised), or [C] without a batch axis. The target holds class indices [N, d1, …, dK] (whole numbers stored as Float, 0…C−1 or ignore_index; [N, 1, d1, …] is accepted too), or [] without a batch axis. Probability targets are not accepted (nor are they by PyTorch's NLLLoss)."),
        gradientNote: Localized(
            zh: "$\\partial L/\\partial x_{i,c} = -w_{y_i}[c = y_i]$（mean 时再除以分母）：只有目标类别的对数概率得到梯度。与 log_softmax 组合后就是交叉熵的 $p - y$。",
            en: "$\\partial L/\\partial x_{i,c} = -w_{y_i}[c = y_i]$ (divided by the denominator for mean): only the target class's log-probability receives a gradient. Composed with log_softmax it becomes cross entropy's $p - y$."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.NLLLoss(weight=w, ignore_index=i, reduction=r)",
                           note: Localized(zh: "完全相同（K 维输入、加权均值的分母、无批次输入），唯一例外是全部被忽略（或权重和为 0）时的 mean：PyTorch 为 NaN，我们为 0、梯度为 0。",
                                           en: "Identical (K-dimensional inputs, the weighted mean's denominator, unbatched input), except mean when every target is ignored (or the weights sum to 0): NaN in PyTorch, 0 with a zero gradient here.")),
        ],
        notes: Localized(
            zh: "cross-entropy 等于 log_softmax 之后的 nll。带 weight 时 mean 除以未被忽略位置的权重和 $\\sum_i w_{y_i}$，不是位置个数（PyTorch 的规则）。reduction = none 返回形状 [N, d1, …, dK] 的逐位置损失，被忽略的位置为 0。",
            en: "cross-entropy is nll after log_softmax. With weights, mean divides by the weight sum of the non-ignored positions $\\sum_i w_{y_i}$, not by their count (PyTorch's rule). reduction = none returns the per-position losses [N, d1, …, dK], 0 at ignored positions."),
        citation: Citation("Goodfellow I., Bengio Y., Courville A. Deep Learning, §6.2.1.1 (maximum likelihood). MIT Press, 2016.",
                           url: "https://www.deeplearningbook.org/contents/mlp.html"))

    let weight: [Double]
    let ignoreIndex: Int
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let id = Self.descriptor.id
        // [C] with a target [] is one sample: seen as [1, C] and [1], reported unbatched.
        let unbatched = input.rank == 1 && target?.rank == 0
        let scores = unbatched ? try input.reshaped([1, input.count]) : input
        let layout = try ClassScores.layout(of: scores)
        let resolved = try ClassScores.target(unbatched ? try target?.reshaped([1]) : target, for: layout,
                                              ignoreIndex: ignoreIndex, allowDense: false)
        guard case let .labels(labels) = resolved else {
            throw LossError.shapeMismatch("'\(id)' takes class indices \(layout.positionShape)")
        }
        guard weight.isEmpty || weight.count == layout.classes else {
            throw LossError.invalidParameter(loss: id, name: "weight", message: "\(weight.count) values for \(layout.classes) classes")
        }
        var denominator = 0.0
        for label in labels where label != ClassScores.ignored { denominator += weight.isEmpty ? 1 : weight[label] }
        let scale = Reduce.gradientScale(reduction, count: denominator)
        var values = [Float](repeating: 0, count: reduction == .none ? labels.count : 0)
        var grad = [Float](repeating: 0, count: gradient ? layout.count : 0)
        var sum = 0.0
        for (position, label) in labels.enumerated() where label != ClassScores.ignored {
            let w = weight.isEmpty ? 1 : weight[label]
            let index = layout.index(position: position, class: label)
            let l = -w * Double(input.data[index])
            sum += l
            if reduction == .none { values[position] = Float(l) }
            if gradient { grad[index] = Float(-w * scale) }
        }
        let value = Reduce.value(sum: sum, count: denominator, elements: values,
                                 shape: unbatched ? [] : layout.positionShape, reduction: reduction, emptyMean: 0)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }
}
