/// Hinge loss of support vector machines.
///
/// ```latex
/// \ell(f, y) = \max(0,\, 1 - y f), \quad y \in \{-1, +1\}
/// ```
/// Subgradient −y where y·f < 1, 0 where y·f ≥ 1 (the kink takes 0).
/// Not `torch.nn.HingeEmbeddingLoss`, which is a different loss on distances. NaN scores
/// propagate; ±∞ scores give 0 or ∞.
public struct HingeLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "hinge",
        category: .classification,
        formulas: [
            #"\ell(f, y) = \max(0,\ 1 - y f), \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        peers: [
            PeerEquivalent("sklearn", "sklearn.metrics.hinge_loss(y, f)"),
        ],
        citation: Citation("Cortes C., Vapnik V. Support-Vector Networks. Machine Learning 20(3):273–297, 1995.",
                           url: "https://doi.org/10.1007/BF00994018"))

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: Elementwise.isSignLabel, requirement: Elementwise.signLabelRequirement)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, f, y in
            let slack = 1 - y * f
            return slack <= 0 ? (0, 0) : (slack, -y)  // NaN falls through and propagates
        }
    }
}
