/// Zero-one loss: 1 when the sign of the score disagrees with the ±1 label.
///
/// ```latex
/// \ell(f, y) = \mathbb{1}[\,y f \le 0\,]
/// ```
/// A score of exactly 0 counts as an error (no class is predicted). The loss is piecewise
/// constant: its gradient is 0 wherever it exists (everywhere except y·f = 0, where it jumps),
/// and this library returns 0 there too. A NaN score counts as an error (1).
public struct ZeroOneLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "zero-one",
        category: .classification,
        formulas: [
            #"\ell(f, y) = \mathbb{1}\left[\, y f \le 0 \,\right], \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        peers: [
            PeerEquivalent("sklearn", "sklearn.metrics.zero_one_loss(y, numpy.sign(f))"),
        ],
        citation: Citation("Rosasco L., De Vito E., Caponnetto A., Piana M., Verri A. Are Loss Functions All the Same? Neural Computation 16(5):1063–1076, 2004.",
                           url: "https://doi.org/10.1162/089976604773135104"))

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: Elementwise.isSignLabel, requirement: Elementwise.signLabelRequirement)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, f, y in
            (y * f > 0 ? 0 : 1, 0)
        }
    }
}
