/// Squared hinge loss (L2-SVM).
///
/// ```latex
/// \ell(f, y) = \max(0,\, 1 - y f)^2, \quad y \in \{-1, +1\}
/// ```
/// Differentiable everywhere: ∂ℓ/∂f = −2y·max(0, 1 − y f). NaN scores propagate.
public struct SquaredHingeLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "squared-hinge",
        category: .classification,
        formulas: [
            #"\ell(f, y) = \max(0,\ 1 - y f)^2, \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        peers: [
            PeerEquivalent("keras", "keras.losses.SquaredHinge()"),
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
            return slack <= 0 ? (0, 0) : (slack * slack, -2 * y * slack)  // NaN propagates
        }
    }
}
