/// Huber loss, `torch.nn.HuberLoss(delta=δ)`.
///
/// ```latex
/// \ell(x, y) = \begin{cases} \tfrac{1}{2}(x-y)^2 & |x-y| < \delta \\ \delta(|x-y| - \tfrac{1}{2}\delta) & \text{otherwise} \end{cases}
/// ```
/// δ > 0. Input and target of equal shape. NaN propagates; ±∞ errors give ∞ with slope ±δ.
public struct HuberLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "huber",
        category: .regression,
        formulas: [
            #"\ell(x, y) = \begin{cases} \tfrac{1}{2}(x-y)^2 & |x-y| < \delta \\[4pt] \delta\left(|x-y| - \tfrac{1}{2}\delta\right) & \text{otherwise} \end{cases}"#,
        ],
        parameters: [
            ParameterSpec("delta", .number(min: 0, max: nil, minExclusive: true), default: .number(1)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.HuberLoss(delta=δ, reduction=r)"),
        ],
        citation: Citation("Huber P. J. Robust Estimation of a Location Parameter. The Annals of Mathematical Statistics 35(1):73–101, 1964.",
                           url: "https://doi.org/10.1214/aoms/1177703732"))

    let delta: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        delta = try parameters.number("delta")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target)
        let delta = self.delta
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, x, y in
            let d = x - y, a = abs(d)
            if a < delta { return (0.5 * d * d, d) }
            return (delta * (a - 0.5 * delta), d > 0 ? delta : (d < 0 ? -delta : 0))
        }
    }
}
