/// Multi-label soft-margin loss, `torch.nn.MultiLabelSoftMarginLoss` exactly.
///
/// ```latex
/// \ell_n = -\frac{1}{C} \sum_c w_c \bigl(y_{n,c} \log \sigma(x_{n,c}) + (1 - y_{n,c}) \log \sigma(-x_{n,c})\bigr)
/// ```
/// Classes on the last axis: input `[N, C]` (or `[C]`, or `[…, C]`), target of the same shape
/// (0/1 labels, or any real as PyTorch). The per-class losses are softplus terms, so logits of
/// ±1000 are finite. `mean` averages the per-sample losses.
public struct MultiLabelSoftMarginLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "multilabel-soft-margin",
        category: .classification,
        formulas: [#"\ell_n = -\frac{1}{C} \sum_{c=1}^{C} w_c \Bigl(y_{n,c} \log \sigma(x_{n,c}) + (1 - y_{n,c}) \log \sigma(-x_{n,c})\Bigr)"#],
        parameters: [
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([])),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.MultiLabelSoftMarginLoss(weight=w, reduction=r)"),
        ],
        citation: Citation("Tsoumakas G., Katakis I. Multi-Label Classification: An Overview. International Journal of Data Warehousing and Mining 3(3), 2007.",
                           url: "https://doi.org/10.4018/jdwm.2007070101"))

    let weight: [Double]
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        weight = try parameters.numbers("weight")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let id = Self.descriptor.id
        guard input.rank >= 1, let target, target.shape == input.shape else {
            throw LossError.shapeMismatch("'\(id)': input [N, C] (or [C]) with a target of the same shape; "
                                          + "got input \(input.shape), target \(target?.shape ?? [])")
        }
        if let bad = target.data.firstIndex(where: { !$0.isFinite }) {
            throw LossError.invalidInput("'\(id)': target[\(bad)] = \(target.data[bad]); the target must be finite")
        }
        let C = input.shape[input.rank - 1]
        guard weight.count <= 1 || weight.count == C else {
            throw LossError.invalidParameter(loss: id, name: "weight", message: "\(weight.count) values for \(C) classes")
        }
        let rows = C == 0 ? 0 : input.count / C
        let scale = Reduce.gradientScale(reduction, count: Double(rows))
        var values = [Float](repeating: 0, count: reduction == .none ? rows : 0)
        var grad = [Float](repeating: 0, count: gradient ? input.count : 0)
        var sum = 0.0
        for n in 0..<rows {
            var l = 0.0
            for c in 0..<C {
                let i = n * C + c
                let x = Double(input.data[i]), y = Double(target.data[i])
                let w = weight.isEmpty ? 1 : weight[weight.count == 1 ? 0 : c]
                l += w * (y * ClassScores.softplus(-x) + (1 - y) * ClassScores.softplus(x))
                if gradient { grad[i] = Float(w * (ClassScores.sigmoid(x) - y) / Double(C) * scale) }
            }
            l /= Double(C)
            sum += l
            if reduction == .none { values[n] = Float(l) }
        }
        let value = Reduce.value(sum: sum, count: Double(rows), elements: values, shape: Array(input.shape.dropLast()),
                                 reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }
}
