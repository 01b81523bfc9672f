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
        category: .classification,
        formulas: [#"\ell_n = \frac{1}{C} \sum_{i \ne y_n} w_{y_n} \max\bigl(0,\; \text{margin} - x_{n, y_n} + x_{n, i}\bigr)^p, \quad p \in \{1, 2\}"#],
        parameters: [
            ParameterSpec("p", .integer(min: 1, max: 2), default: .number(1)),
            ParameterSpec("margin", .number(min: nil, max: nil), default: .number(1)),
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([])),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.MultiMarginLoss(p=p, margin=m, weight=w, reduction=r)"),
        ],
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
