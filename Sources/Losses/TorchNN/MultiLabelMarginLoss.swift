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
        category: .classification,
        formulas: [#"\ell_n = \frac{1}{C} \sum_{j \in Y_n} \sum_{i \notin Y_n} \max\bigl(0,\; 1 - (x_{n, j} - x_{n, i})\bigr)"#],
        parameters: [.reduction()],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.MultiLabelMarginLoss(reduction=r)"),
        ],
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
