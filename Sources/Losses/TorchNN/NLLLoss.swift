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
        category: .distribution,
        formulas: [
            #"\ell_i = -w_{y_i}\, x_{i, y_i}"#,
            #"L_{\text{mean}} = \frac{\sum_i \ell_i}{\sum_{i:\, y_i \ne \text{ignore}} w_{y_i}}"#,
        ],
        parameters: [
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([])),
            ParameterSpec("ignore_index", .integer(min: nil, max: nil), default: .number(-100)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.NLLLoss(weight=w, ignore_index=i, reduction=r)"),
        ],
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
