/// Mean squared error, `torch.nn.MSELoss`.
///
/// ```latex
/// \ell(x, y) = (x - y)^2
/// ```
/// Input and target of equal shape; derivative 2(x − y). NaN propagates; ±∞ gives ∞.
public struct L2Loss: Loss {
    public static let descriptor = LossDescriptor(
        id: "l2",
        category: .regression,
        formulas: [
            #"\ell(x, y) = (x - y)^2"#,
            #"L = \frac{1}{n}\sum_{i=1}^{n} (x_i - y_i)^2"#,
        ],
        parameters: [.reduction()],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.MSELoss(reduction=r)"),
        ],
        citation: Citation("Legendre A.-M. Nouvelles méthodes pour la détermination des orbites des comètes. Paris: Firmin Didot, 1805."))

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, x, y in
            let d = x - y
            return (d * d, 2 * d)
        }
    }
}
