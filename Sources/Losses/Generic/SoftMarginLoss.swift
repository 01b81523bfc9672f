/// Soft-margin (logistic) loss, `torch.nn.SoftMarginLoss`.
///
/// ```latex
/// \ell(f, y) = \log(1 + e^{-y f}) = \operatorname{softplus}(-y f)
/// ```
/// Computed as softplus so margins of ±1000 give 0 and 1000 exactly; ∂ℓ/∂f = −y·σ(−y f).
/// Like PyTorch, any finite target is accepted (the formula is meant for y = ±1).
public struct SoftMarginLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "soft-margin",
        category: .classification,
        formulas: [
            #"\ell(f, y) = \log\left(1 + e^{-y f}\right), \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.SoftMarginLoss(reduction=r)"),
        ],
        citation: GenericText.esl)

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: { $0.isFinite }, requirement: "the target must be finite")
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, f, y in
            let m = y * f
            return (ClassScores.softplus(-m), -y * ClassScores.sigmoid(-m))
        }
    }
}
