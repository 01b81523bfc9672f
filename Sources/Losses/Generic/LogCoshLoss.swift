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
        name: Localized(zh: "Log-cosh 损失", en: "Log-cosh loss"),
        category: .regression,
        formulas: [
            #"\ell(x, y) = \log\cosh(x - y)"#,
            #"\log\cosh d = |d| + \log\!\left(1 + e^{-2|d|}\right) - \log 2"#,
        ],
        parameters: [.reduction()],
        inputConvention: GenericText.sameShape,
        gradientNote: Localized(
            zh: "$\\partial \\ell/\\partial x = \\tanh(x - y)$：小误差处约等于 d（像 L2/2），大误差处趋于 ±1（像 L1），处处二阶可导。",
            en: "$\\partial \\ell/\\partial x = \\tanh(x - y)$: about d for small errors (like L2/2), tending to ±1 for large ones (like L1), and twice differentiable everywhere."),
        peers: [
            PeerEquivalent("keras", "keras.losses.LogCosh() / keras.losses.log_cosh(y, x)",
                           note: Localized(zh: "Keras 先在最后一维求平均再对批次平均；各行等长时与我们的 mean 相同。", en: "Keras averages over the last axis, then over the batch; with rows of equal length this equals our mean.")),
        ],
        notes: Localized(
            zh: "用 $|d| + \\operatorname{log1p}(e^{-2|d|}) - \\log 2$ 计算，|d| 很大时不会因 cosh 溢出而得到 ∞（d = 1000 得 1000 − log 2）。PyTorch 没有这个损失。" + GenericText.elementwiseReduction.zh,
            en: "Computed as $|d| + \\operatorname{log1p}(e^{-2|d|}) - \\log 2$, so large |d| does not overflow through cosh (d = 1000 gives 1000 − log 2). PyTorch has no such loss. " + GenericText.elementwiseReduction.en),
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
