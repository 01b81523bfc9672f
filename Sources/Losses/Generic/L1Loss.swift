/// Mean absolute error, `torch.nn.L1Loss`.
///
/// ```latex
/// \ell(x, y) = |x - y|
/// ```
/// Input and target of equal shape. The derivative is sign(x − y), with 0 at x = y (PyTorch's
/// subgradient). NaN in the input or target propagates; ±∞ gives ∞.
public struct L1Loss: Loss {
    public static let descriptor = LossDescriptor(
        id: "l1",
        category: .regression,
        formulas: [
            #"\ell(x, y) = |x - y|"#,
            #"L = \frac{1}{n}\sum_{i=1}^{n} |x_i - y_i|"#,
        ],
        parameters: [.reduction()],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.L1Loss(reduction=r)"),
        ],
        citation: GenericText.esl)

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, x, y in
            let d = x - y
            return (abs(d), d > 0 ? 1 : (d < 0 ? -1 : 0))
        }
    }
}
