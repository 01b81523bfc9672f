/// Multi-label margin loss, `torch.nn.MultiLabelMarginLoss` exactly.
///
/// ```latex
/// \ell_n = \frac{1}{C} \sum_{j \in Y_n} \sum_{i \notin Y_n} \max\bigl(0,\; 1 - (x_{n, j} - x_{n, i})\bigr)
/// ```
/// Input `[N, C]` (or `[C]`); the target has the same shape and holds PyTorch's convention: the
/// class indices of Y_n first, ended by the first negative value (−1), the rest ignored. An index
/// listed twice counts twice in the outer sum, as in PyTorch's kernel. `mean` over N. The hinge is
/// active where its argument is > 0 (PyTorch compares strictly).
public struct MultiLabelMarginLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "multilabel-margin",
        name: Localized(zh: "多标签间隔损失", en: "Multi-label margin loss"),
        category: .classification,
        formulas: [#"\ell_n = \frac{1}{C} \sum_{j \in Y_n} \sum_{i \notin Y_n} \max\bigl(0,\; 1 - (x_{n, j} - x_{n, i})\bigr)"#],
        parameters: [.reduction()],
        inputConvention: Localized(
            zh: "输入为类别得分 [N, C]（或 [C]）。目标与输入同形，沿用 PyTorch 的约定：前面是样本的正类索引，遇到第一个负值（−1）结束，之后的值被忽略；例如 C = 4 时 [3, 0, −1, 1] 表示正类 {3, 0}。索引须为 −1…C−1 的整数（任何负值都表示结束）。",
            en: "The input holds class scores [N, C] (or [C]). The target has the input's shape and PyTorch's convention: the sample's positive class indices first, ended by the first negative value (−1), everything after it ignored; with C = 4, [3, 0, −1, 1] means the positive classes {3, 0}. Indices are whole numbers below C (any negative value ends the list)."),
        gradientNote: Localized(
            zh: "每个违反间隔的 (j, i) 对（1 − x_j + x_i > 0）给 x_i 加 1/C、给 x_j 减 1/C：把正类得分整体推到所有负类之上至少 1。参数为 0 处梯度为 0（PyTorch 用严格不等式）。",
            en: "Every violating pair (j, i) (1 − x_j + x_i > 0) adds 1/C to x_i and subtracts 1/C from x_j: all positive scores are pushed at least 1 above all negative ones. At an argument of exactly 0 the gradient is 0 (PyTorch's strict test)."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.MultiLabelMarginLoss(reduction=r)",
                           note: Localized(zh: "完全相同（目标约定、除以 C、mean 对样本平均）。没有正类的样本损失为 0；全为正类时也为 0。",
                                           en: "Identical (target convention, division by C, mean over samples). A sample without positive classes has loss 0, and so does one whose classes are all positive.")),
        ],
        notes: Localized(
            zh: "多标签分类的成对排序铰链（BP-MLL 的铰链形式）。目标以 Float 存储，读作整数。" + TorchNNText.perSampleReduction.zh,
            en: "The pairwise ranking hinge of multi-label classification (BP-MLL's idea in hinge form). Targets are stored as Float and read as whole numbers. " + TorchNNText.perSampleReduction.en),
        citation: Citation("Zhang M.-L., Zhou Z.-H. Multilabel Neural Networks with Applications to Functional Genomics and Text Categorization. IEEE TKDE 18(10), 2006.",
                           url: "https://doi.org/10.1109/TKDE.2006.162"))

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let id = Self.descriptor.id
        guard input.rank == 1 || input.rank == 2, let target, target.shape == input.shape else {
            throw LossError.shapeMismatch("'\(id)': input [N, C] (or [C]) with a target of the same shape; "
                                          + "got input \(input.shape), target \(target?.shape ?? [])")
        }
        let C = input.shape[input.rank - 1]
        let rows = C == 0 ? 0 : input.count / C
        let scale = Reduce.gradientScale(reduction, count: Double(rows))
        var values = [Float](repeating: 0, count: reduction == .none ? rows : 0)
        var grad = [Double](repeating: 0, count: gradient ? input.count : 0)
        var sum = 0.0
        for n in 0..<rows {
            let base = n * C
            var positives: [Int] = []
            for k in 0..<C {
                let v = target.data[base + k]
                guard let label = StackedInput.wholeNumber(v), label < C else {
                    throw LossError.invalidInput("'\(id)': target[\(base + k)] = \(v) is not a class index below \(C) or −1")
                }
                if label < 0 { break }
                positives.append(label)
            }
            var isPositive = [Bool](repeating: false, count: C)
            for j in positives { isPositive[j] = true }
            var l = 0.0
            for j in positives {
                let xj = Double(input.data[base + j])
                for i in 0..<C where !isPositive[i] {
                    let z = 1 - xj + Double(input.data[base + i])
                    guard z > 0 else { continue }
                    l += z
                    if gradient {
                        grad[base + i] += scale / Double(C)
                        grad[base + j] -= scale / Double(C)
                    }
                }
            }
            l /= Double(C)
            sum += l
            if reduction == .none { values[n] = Float(l) }
        }
        let value = Reduce.value(sum: sum, count: Double(rows), elements: values, shape: Array(input.shape.dropLast()),
                                 reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad.map { Float($0) }) : nil)
    }
}
