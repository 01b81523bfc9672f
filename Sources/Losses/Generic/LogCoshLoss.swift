import Foundation

/// Log-cosh loss.
///
/// ```latex
/// \ell(x, y) = \log\cosh(x - y) = |d| + \operatorname{log1p}(e^{-2|d|}) - \log 2
/// ```
/// computed in the stable form on the right (cosh overflows for |d| > 710 in `Double`,
/// 89 in `Float`); the derivative is tanh(d). Input and target of equal shape. NaN propagates.
public struct LogCoshLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "log-cosh",
        category: .regression,
        formulas: [
            #"\ell(x, y) = \log\cosh(x - y)"#,
            #"\log\cosh d = |d| + \log\!\left(1 + e^{-2|d|}\right) - \log 2"#,
        ],
        parameters: [.reduction()],
        peers: [
            PeerEquivalent("keras", "keras.losses.LogCosh() / keras.losses.log_cosh(y, x)"),
        ],
        citation: Citation("Neuneier R., Zimmermann H. G. How to Train Neural Networks. In Neural Networks: Tricks of the Trade, LNCS 1524, Springer, 1998.",
                           url: "https://doi.org/10.1007/3-540-49430-8_18"))

    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { _, x, y in
            let d = x - y, a = abs(d)
            return (a + log1p(exp(-2 * a)) - M_LN2, tanh(d))
        }
    }
}
