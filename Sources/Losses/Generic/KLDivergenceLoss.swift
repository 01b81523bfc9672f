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
        name: Localized(zh: "KL 散度", en: "Kullback–Leibler divergence"),
        category: .distribution,
        formulas: [
            #"D_{\mathrm{KL}}(P \,\|\, Q) = \sum_i p_i \left(\log p_i - \log q_i\right)"#,
            #"\ell_i = p_i\,(\log p_i - x_i), \quad x_i = \log q_i, \quad 0\log 0 := 0"#,
        ],
        parameters: [
            ParameterSpec("reduction", .choice(["mean", "batchmean", "sum", "none"]), default: .string("mean"),
                          Localized(zh: "归约方式：mean 除以元素总数（PyTorch 默认），batchmean 除以批大小 N（真正的逐样本 KL 均值），sum 求和，none 逐元素",
                                    en: "how element terms are combined: mean divides by the element count (PyTorch's default), batchmean divides by the batch size N (the true per-sample KL), sum, or none")),
            ParameterSpec("log_target", .bool, default: .bool(false),
                          Localized(zh: "目标是否已是对数概率 log p", en: "whether the target already holds log-probabilities log p")),
        ],
        inputConvention: Localized(
            zh: "输入 x = log q 是对数概率（例如 log_softmax 的输出），目标 p 与之同形：概率（≥ 0），或 log_target = true 时的对数概率。不做广播。批大小 N 取第 0 维（标量输入视为 N = 1）。",
            en: "The input x = log q holds log-probabilities (e.g. a log_softmax output); the target p has the same shape and holds probabilities (≥ 0), or log-probabilities with log_target = true. No broadcasting. The batch size N is axis 0 (a scalar counts as N = 1)."),
        gradientNote: Localized(
            zh: "$\\partial \\ell_i/\\partial x_i = -p_i$（log_target 时为 $-e^{t_i}$）：对输入是线性的。若 x 来自 log_softmax，链式法则给出熟悉的 q − p。",
            en: "$\\partial \\ell_i/\\partial x_i = -p_i$ ($-e^{t_i}$ with log_target): linear in the input. When x comes from log_softmax the chain rule gives the familiar q − p."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.KLDivLoss(reduction=r, log_target=b)",
                           note: Localized(zh: "完全相同，包括 mean 与 batchmean 的区别。", en: "Identical, including mean vs batchmean.")),
        ],
        notes: Localized(
            zh: "默认 reduction = mean 与 PyTorch 一致：除以全部元素个数，所以对 [N, C] 输入得到的是 KL/C，而不是每个样本的 KL；要得到数学上的 KL 均值请用 batchmean（PyTorch 也会对 mean 给出这个警告）。p = 0 的项按 0·log 0 = 0 记为 0，即使 x = −∞ 也是 0（PyTorch 在 p = 0、x = −∞ 时给 NaN）。目标为负数或 NaN 时报 invalidInput；log_target 时 t = −∞ 表示 p = 0。",
            en: "The default reduction = mean matches PyTorch: it divides by every element, so an [N, C] input gives KL/C rather than the per-sample KL; use batchmean for the mathematical mean KL (PyTorch warns about this too). Terms with p = 0 are 0 by 0·log 0 = 0, even when x = −∞ (PyTorch gives NaN for p = 0, x = −∞). A negative or NaN target throws invalidInput; with log_target, t = −∞ means p = 0."),
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
        let base: Reduction = reduction == "batchmean" ? .sum : (Reduction(rawValue: reduction) ?? .mean)
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
