/// Smooth L1 loss, `torch.nn.SmoothL1Loss(beta=β)` (Girshick, Fast R-CNN).
///
/// ```latex
/// \ell(x, y) = \begin{cases} \tfrac{1}{2}(x-y)^2/\beta & |x-y| < \beta \\ |x-y| - \tfrac{1}{2}\beta & \text{otherwise} \end{cases}
/// ```
/// β = 0 is plain L1 (PyTorch's special case). Input and target of equal shape.
public struct SmoothL1Loss: Loss {
    public static let descriptor = LossDescriptor(
        id: "smooth-l1",
        category: .regression,
        formulas: [
            #"\ell(x, y) = \begin{cases} \dfrac{(x-y)^2}{2\beta} & |x-y| < \beta \\[4pt] |x-y| - \dfrac{\beta}{2} & \text{otherwise} \end{cases}"#,
        ],
        parameters: [
            ParameterSpec("beta", .number(min: 0, max: nil), default: .number(1)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.SmoothL1Loss(beta=β, reduction=r)"),
        ],
        citation: Citation("Girshick R. Fast R-CNN. ICCV 2015.", url: "https://arxiv.org/abs/1504.08083"))

    let beta: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        beta = try parameters.number("beta")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target)
        let beta = self.beta
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, x, y in
            let d = x - y, a = abs(d)
            if a < beta { return (0.5 * d * d / beta, d / beta) }
            return (a - 0.5 * beta, d > 0 ? 1 : (d < 0 ? -1 : 0))
        }
    }
}
