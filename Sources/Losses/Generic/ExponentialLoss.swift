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
        name: Localized(zh: "指数损失", en: "Exponential loss"),
        category: .classification,
        formulas: [
            #"\ell(f, y) = e^{-y f}, \quad y \in \{-1, +1\}"#,
        ],
        parameters: [.reduction()],
        inputConvention: GenericText.margin,
        gradientNote: Localized(
            zh: "$\\partial \\ell/\\partial f = -y\\,e^{-y f}$：错分越严重，梯度指数级增大；这让 AdaBoost 把权重集中在难样本上，也让它对标签噪声非常敏感。",
            en: "$\\partial \\ell/\\partial f = -y\\,e^{-y f}$: grows exponentially with the violation, which is how AdaBoost focuses on hard examples and why it is sensitive to label noise."),
        peers: [],
        notes: Localized(
            zh: "PyTorch 与 MONAI 都没有这个损失，正确性由 LossReference 与有限差分检验。间隔 y·f < −88.7 时 $e^{-yf}$ 超出 Float 范围，值与梯度为 +∞——这是真实值不可表示，不是数值不稳定。标签只接受 ±1。" + GenericText.elementwiseReduction.zh,
            en: "Neither PyTorch nor MONAI has this loss; LossReference and finite differences are the check. For margins y·f < −88.7, $e^{-yf}$ exceeds the Float range and value and gradient are +∞: the true value is not representable, this is not instability. Labels must be ±1. " + GenericText.elementwiseReduction.en),
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
