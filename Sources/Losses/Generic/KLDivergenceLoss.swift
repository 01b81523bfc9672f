import Foundation

/// Kullback–Leibler divergence with `torch.nn.KLDivLoss` semantics.
///
/// The input holds log-probabilities log q; the target holds probabilities p
/// (or log p with `log_target`):
/// ```latex
/// \ell_i = p_i\,(\log p_i - \log q_i), \qquad 0 \log 0 := 0
/// ```
/// Reductions: `mean` divides by the number of elements (PyTorch's default, which is *not* the
/// KL divergence of the rows), `batchmean` divides the sum by the batch size N = shape[0]
/// (the true mean KL per sample), `sum`, `none`. Terms with p = 0 are 0 even where log q = −∞;
/// p > 0 with log q = −∞ gives +∞. Negative or NaN targets throw.
public struct KLDivergenceLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "kl-divergence",
        category: .distribution,
        formulas: [
            #"D_{\mathrm{KL}}(P \,\|\, Q) = \sum_i p_i \left(\log p_i - \log q_i\right)"#,
            #"\ell_i = p_i\,(\log p_i - x_i), \quad x_i = \log q_i, \quad 0\log 0 := 0"#,
        ],
        parameters: [
            ParameterSpec("reduction", .choice(["mean", "batchmean", "sum", "none"]), default: .string("mean")),
            ParameterSpec("log_target", .bool, default: .bool(false)),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.KLDivLoss(reduction=r, log_target=b)"),
        ],
        citation: Citation("Kullback S., Leibler R. A. On Information and Sufficiency. The Annals of Mathematical Statistics 22(1):79–86, 1951.",
                           url: "https://doi.org/10.1214/aoms/1177729694"))

    let reduction: String
    let logTarget: Bool

    public init(_ parameters: Parameters) throws {
        reduction = try parameters.string("reduction")
        logTarget = try parameters.bool("log_target")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = logTarget
            ? try Elementwise.checkTarget(Self.descriptor.id, input, target, accepts: { !$0.isNaN && $0 != .infinity },
                                          requirement: "log_target expects log-probabilities (not NaN or +∞)")
            : try Elementwise.checkTarget(Self.descriptor.id, input, target, accepts: { $0 >= 0 && $0.isFinite },
                                          requirement: "the target must hold probabilities ≥ 0")
        let base: Losses.Reduction = reduction == "batchmean" ? .sum : (Losses.Reduction(rawValue: reduction) ?? .mean)
        let logTarget = self.logTarget
        var out = Elementwise.evaluate(input, target, reduction: base, gradient: gradient) { _, x, t in
            let p = logTarget ? exp(t) : t
            guard p > 0 else { return (0, 0) }
            let logP = logTarget ? t : log(t)
            return (p * (logP - x), -p)
        }
        if reduction == "batchmean" {
            let n = Double(input.shape.first ?? 1)
            out.value = Tensor(scalar: Float(Double(out.value.data[0]) / n))
            if var g = out.gradient {
                for i in g.data.indices { g.data[i] = Float(Double(g.data[i]) / n) }
                out.gradient = g
            }
        }
        return out
    }
}
