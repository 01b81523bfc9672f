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
        category: .regression,
        formulas: [
            #"\ell = \begin{cases} e^{x} - y\,x, & \text{log\_input} \\ x - y \log(x + \varepsilon), & \text{otherwise} \end{cases}"#,
            #"\ell_{\text{full}} = \ell + [y > 1]\left(y \log y - y + \tfrac12 \log(2\pi y)\right)"#,
        ],
        parameters: [
            ParameterSpec("log_input", .bool, default: .bool(true)),
            ParameterSpec("full", .bool, default: .bool(false)),
            ParameterSpec("eps", .number(min: 0, max: nil), default: .number(1e-8)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.PoissonNLLLoss(log_input=l, full=f, eps=ε, reduction=r)"),
        ],
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
