/// Hinge embedding loss, `torch.nn.HingeEmbeddingLoss` exactly.
///
/// ```latex
/// \ell = \begin{cases} x & y = 1 \\ \max(0, \Delta - x) & y = -1 \end{cases}
/// ```
/// x is usually a distance between two embeddings. Element-wise on equal shapes; `mean` over all
/// elements. A label other than ±1 gets both terms, `x + max(0, Δ − x)`, as PyTorch computes it
/// (`where(y != 1, …) + where(y != −1, …)`).
public struct HingeEmbeddingLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "hinge-embedding",
        category: .classification,
        formulas: [#"\ell = \begin{cases} x, & y = 1 \\ \max(0,\; \Delta - x), & y = -1 \end{cases}"#],
        parameters: [
            ParameterSpec("margin", .number(min: nil, max: nil), default: .number(1)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.HingeEmbeddingLoss(margin=Δ, reduction=r)"),
        ],
        citation: Citation("Hadsell R., Chopra S., LeCun Y. Dimensionality Reduction by Learning an Invariant Mapping. CVPR 2006.",
                           url: "https://doi.org/10.1109/CVPR.2006.100"))

    let margin: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        margin = try parameters.number("margin")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: { !$0.isNaN }, requirement: "the target must not be NaN")
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { [margin] _, x, y in
            var value = 0.0, derivative = 0.0
            if y != 1 {
                let z = margin - x
                value += max(0, z)
                if z > 0 { derivative -= 1 }
            }
            if y != -1 {
                value += x
                derivative += 1
            }
            return (value, derivative)
        }
    }
}
