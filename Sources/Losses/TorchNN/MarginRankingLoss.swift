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
        category: .classification,
        formulas: [#"\ell = \max\bigl(0,\; -y\,(x_1 - x_2) + \text{margin}\bigr), \quad y \in \{-1, +1\}"#],
        parameters: [
            ParameterSpec("margin", .number(min: nil, max: nil), default: .number(0)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.MarginRankingLoss(margin=m, reduction=r)(x1, x2, y)"),
        ],
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
