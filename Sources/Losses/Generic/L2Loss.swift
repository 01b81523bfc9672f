/// Mean squared error, `torch.nn.MSELoss`.
///
/// ```latex
/// \ell(x, y) = (x - y)^2
/// ```
/// Input and target of equal shape; derivative 2(x − y). NaN propagates; ±∞ gives ∞.
public struct L2Loss: Loss {
    public static let descriptor = LossDescriptor(
        id: "l2",
        name: Localized(zh: "L2 损失（均方误差）", en: "L2 loss (mean squared error)"),
        category: .regression,
        formulas: [
            #"\ell(x, y) = (x - y)^2"#,
            #"L = \frac{1}{n}\sum_{i=1}^{n} (x_i - y_i)^2"#,
        ],
        parameters: [.reduction()],
        inputConvention: GenericText.sameShape,
        gradientNote: Localized(
            zh: "$\\partial \\ell/\\partial x = 2(x - y)$：梯度与误差成正比，越接近目标步子越小，但离群点的梯度也会很大。",
            en: "$\\partial \\ell/\\partial x = 2(x - y)$: proportional to the error, so steps shrink near the target, while outliers pull hard."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.MSELoss(reduction=r)", note: Localized(zh: "完全相同；注意没有 1/2 因子。", en: "Identical; note there is no factor 1/2.")),
        ],
        notes: Localized(
            zh: "不含 1/2 因子（与 PyTorch 的 MSELoss 一致，梯度是 2(x−y)）。不做广播。" + GenericText.elementwiseReduction.zh,
            en: "No factor 1/2 (as PyTorch's MSELoss; the gradient is 2(x−y)). No broadcasting. " + GenericText.elementwiseReduction.en),
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
