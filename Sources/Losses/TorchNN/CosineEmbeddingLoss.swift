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
        category: .classification,
        formulas: [
            #"\ell = \begin{cases} 1 - \cos(a, b), & y = 1 \\ \max\bigl(0,\; \cos(a, b) - \text{margin}\bigr), & y = -1 \end{cases}"#,
            #"\cos(a, b) = \frac{\sum_d a_d b_d}{\sqrt{\left(\sum_d a_d^2 + \epsilon\right)\left(\sum_d b_d^2 + \epsilon\right)}}, \quad \epsilon = 10^{-12}"#,
        ],
        parameters: [
            ParameterSpec("margin", .number(min: -1, max: 1), default: .number(0)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.CosineEmbeddingLoss(margin=m, reduction=r)(x1, x2, y)"),
        ],
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
