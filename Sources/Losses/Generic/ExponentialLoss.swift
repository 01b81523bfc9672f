import Foundation

/// Exponential loss of AdaBoost.
///
/// ```latex
/// \ell(f, y) = e^{-y f}, \quad y \in \{-1, +1\}
/// ```
/// Margins below about −88.7 overflow `Float` and give +∞ (value and gradient): the exact value
/// is not representable. Large positive margins give 0. NaN scores propagate.
public struct ExponentialLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "exponential",
        category: .classification,
        formulas: [
            #"\ell(f, y) = e^{-y f}, \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        peers: [],
        citation: Citation("Freund Y., Schapire R. E. A Decision-Theoretic Generalization of On-Line Learning and an Application to Boosting. Journal of Computer and System Sciences 55(1):119–139, 1997.",
                           url: "https://doi.org/10.1006/jcss.1997.1504"))

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: Elementwise.isSignLabel, requirement: Elementwise.signLabelRequirement)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, f, y in
            let e = exp(-y * f)
            return (e, -y * e)
        }
    }
}
