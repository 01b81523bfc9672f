import Foundation

/// Poisson negative log-likelihood, `torch.nn.PoissonNLLLoss` exactly.
///
/// ```latex
/// \ell = e^{x} - y x \;\;(\text{log\_input}), \qquad \ell = x - y \log(x + \varepsilon) \;\;(\text{otherwise})
/// ```
/// plus, with `full`, Stirling's approximation of log(y!), `y log y − y + ½ log(2π y)`, where
/// y > 1 (0 elsewhere, as PyTorch). Input and target of equal shape; `mean` over all elements.
/// `e^x` overflows to +∞ for x ≳ 709 in `Double` (then ∞ in `Float` beyond 88.7), as PyTorch;
/// with `log_input: false` an input x ≤ −ε gives NaN (log of a negative number), as PyTorch.
public struct PoissonNLLLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "poisson-nll",
        name: Localized(zh: "泊松负对数似然", en: "Poisson negative log-likelihood"),
        category: .regression,
        formulas: [
            #"\ell = e^{x} - y\,x \quad (\text{log\_input}), \qquad \ell = x - y \log(x + \varepsilon) \quad (\text{otherwise})"#,
            #"\ell_{\text{full}} = \ell + [y > 1]\left(y \log y - y + \tfrac12 \log(2\pi y)\right)"#,
        ],
        parameters: [
            ParameterSpec("log_input", .bool, default: .bool(true),
                          Localized(zh: "true：输入是速率的对数 log λ；false：输入就是速率 λ", en: "true: the input is the log-rate log λ; false: the input is the rate λ itself")),
            ParameterSpec("full", .bool, default: .bool(false),
                          Localized(zh: "加上 log(y!) 的 Stirling 近似项（只在 y > 1 处）", en: "add Stirling's approximation of log(y!) (only where y > 1)")),
            ParameterSpec("eps", .number(min: 0, max: nil), default: .number(1e-8),
                          Localized(zh: "log_input = false 时加在 log 里的 ε，避免 log 0", en: "ε added inside the log when log_input = false, against log 0")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入 x（任意形状）是泊松分布的对数速率 log λ（log_input = true，默认）或速率 λ（false）；目标 y 与之同形，是计数（与 PyTorch 一样接受任意有限实数，NaN 报错）。不做广播。",
            en: "The input x (any shape) is the Poisson log-rate log λ (log_input = true, the default) or the rate λ (false); the target y has the same shape and holds counts (as PyTorch, any finite real is accepted; NaN throws). No broadcasting."),
        gradientNote: Localized(
            zh: "$\\partial \\ell/\\partial x = e^{x} - y$（log_input）或 $1 - y/(x+\\varepsilon)$：在 λ = y 处为 0。Stirling 项不依赖输入，不影响梯度。",
            en: "$\\partial \\ell/\\partial x = e^{x} - y$ (log_input) or $1 - y/(x+\\varepsilon)$: zero at λ = y. The Stirling term does not depend on the input and leaves the gradient unchanged."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.PoissonNLLLoss(log_input=l, full=f, eps=ε, reduction=r)",
                           note: Localized(zh: "完全相同（mean 除以元素总数；Stirling 项只在 y > 1 处）。我们不做广播：目标须与输入同形。",
                                           en: "Identical (mean divides by the element count; the Stirling term only where y > 1). We do not broadcast: the target must have the input's shape.")),
        ],
        notes: Localized(
            zh: "负对数似然 $-\\log P(y \\mid \\lambda) = \\lambda - y\\log\\lambda + \\log y!$ 去掉不依赖 λ 的 log y!（full = false）。log_input = true 时 e^x 在 x 很大时溢出为 +∞（与 PyTorch 相同）；log_input = false 时 x ≤ −ε 得 NaN。" + GenericText.elementwiseReduction.zh,
            en: "The negative log-likelihood $-\\log P(y \\mid \\lambda) = \\lambda - y\\log\\lambda + \\log y!$ without log y!, which does not depend on λ (full = false). With log_input = true, e^x overflows to +∞ for large x (as PyTorch); with log_input = false, x ≤ −ε gives NaN. " + GenericText.elementwiseReduction.en),
        citation: Citation("McCullagh P., Nelder J. A. Generalized Linear Models, 2nd ed., ch. 6 (log-linear models for counts). Chapman & Hall, 1989.",
                           url: "https://doi.org/10.1007/978-1-4899-3242-6"))

    let logInput: Bool
    let full: Bool
    let eps: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        logInput = try parameters.bool("log_input")
        full = try parameters.bool("full")
        eps = try parameters.number("eps")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target,
                                                 accepts: { $0.isFinite }, requirement: "the target must be finite")
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { [logInput, full, eps] _, x, y in
            var value: Double, derivative: Double
            if logInput {
                let e = exp(x)
                value = e - y * x
                derivative = e - y
            } else {
                value = x - y * log(x + eps)
                derivative = 1 - y / (x + eps)
            }
            if full, y > 1 { value += y * log(y) - y + 0.5 * log(2 * Double.pi * y) }
            return (value, derivative)
        }
    }
}
