import Foundation

/// Gaussian negative log-likelihood, `torch.nn.GaussianNLLLoss` exactly.
///
/// ```latex
/// \ell = \tfrac12\left(\log \max(v, \varepsilon) + \frac{(x - y)^2}{\max(v, \varepsilon)}\right) \;[+\; \tfrac12 \log 2\pi]
/// ```
/// The input holds the mean and the variance concatenated along the last axis: `[…, 2D]` (one
/// variance per element) or `[…, D + 1]` (one variance per row, broadcast as PyTorch does for a
/// `var` of shape `[…, 1]` or `[…]`); the target is `[…, D]`. The gradient is returned in the same
/// layout: ∂/∂mean, then ∂/∂var (summed over the row when it is shared, as autograd does).
/// A negative variance throws (PyTorch raises); below ε it is clamped for the value, and the
/// gradient is PyTorch's: evaluated at the clamped variance without zeroing (its clamp runs under
/// `no_grad`). `mean` divides by the number of target elements.
public struct GaussianNLLLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "gaussian-nll",
        name: Localized(zh: "高斯负对数似然", en: "Gaussian negative log-likelihood"),
        category: .regression,
        formulas: [
            #"\ell = \frac12\left(\log \max(\sigma^2, \varepsilon) + \frac{(x - y)^2}{\max(\sigma^2, \varepsilon)}\right) \;\left[+ \frac12 \log 2\pi\right]"#,
        ],
        parameters: [
            ParameterSpec("full", .bool, default: .bool(false),
                          Localized(zh: "加上常数项 ½ log 2π", en: "add the constant ½ log 2π")),
            ParameterSpec("eps", .number(min: 0, max: nil), default: .number(1e-6),
                          Localized(zh: "方差的下限 ε（数值稳定；截断不影响梯度，与 PyTorch 相同）", en: "lower clamp ε of the variance (stability; the clamp does not affect the gradient, as PyTorch)")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "PyTorch 的三个张量 (input, target, var) 中，均值 μ 与方差 σ² 沿最后一维拼接成我们的输入：[…, 2D]（每个元素一个方差）或 […, D+1]（每行一个方差，对应 PyTorch 中形状 […, 1] 或 […] 的 var，会广播）；目标 y 为 […, D]。即 input = torch.cat([mu, var], -1)（var 为 […] 时先 unsqueeze(-1)）。梯度同样拼接：先 ∂/∂μ，后 ∂/∂σ²。方差为负报错（PyTorch 同样报错）；输入秩须 ≥ 1。PyTorch 还允许 var 在最后一维以外的某一维上为 1（如 [4, 1, 32, 32]）：这里须先把该维移到最后或展开。",
            en: "PyTorch's three tensors (input, target, var) become two here: the mean μ and the variance σ² concatenated along the last axis form our input, […, 2D] (one variance per element) or […, D+1] (one variance per row: PyTorch's var of shape […, 1] or […], broadcast); the target y is […, D]. That is, input = torch.cat([mu, var], -1) (after var.unsqueeze(-1) when var is […]). The gradient comes back concatenated the same way: ∂/∂μ, then ∂/∂σ². A negative variance throws (PyTorch raises too); the input's rank must be ≥ 1. PyTorch also lets var have size 1 on one axis other than the last (e.g. [4, 1, 32, 32]): move that axis last or expand var first."),
        gradientNote: Localized(
            zh: "$\\partial \\ell/\\partial \\mu = (\\mu - y)/\\sigma^2$，$\\partial \\ell/\\partial \\sigma^2 = \\frac12\\left(1/\\sigma^2 - (\\mu - y)^2/\\sigma^4\\right)$，在 σ² = (μ − y)² 处为 0：网络可以用更大的方差“认领”自己的误差。σ² < ε 时用截断后的值计算、不置零（PyTorch 的 no_grad 截断）。",
            en: "$\\partial \\ell/\\partial \\mu = (\\mu - y)/\\sigma^2$, $\\partial \\ell/\\partial \\sigma^2 = \\frac12\\left(1/\\sigma^2 - (\\mu - y)^2/\\sigma^4\\right)$, zero at σ² = (μ − y)²: the network can claim its own error with a larger variance. Below ε both use the clamped variance and are not zeroed (PyTorch clamps under no_grad)."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.GaussianNLLLoss(full=f, eps=ε, reduction=r)(mu, y, var)",
                           note: Localized(zh: "完全相同，包括 var 的广播和 ε 截断下的梯度；差别只是输入格式：μ 与 σ² 沿最后一维拼接。",
                                           en: "Identical, including var broadcasting and the gradient under the ε clamp; only the input format differs: μ and σ² concatenated along the last axis.")),
        ],
        notes: Localized(
            zh: "异方差回归（Nix & Weigend 1994）：网络同时预测均值和方差。D = 1 时 […, 2] 两种解释相同。reduction = none 返回形状 […, D] 的逐元素损失；mean 除以其元素个数。",
            en: "Heteroscedastic regression (Nix & Weigend 1994): the network predicts a mean and a variance. With D = 1 the two readings of […, 2] coincide. reduction = none returns the element losses […, D]; mean divides by their count."),
        citation: Citation("Nix D. A., Weigend A. S. Estimating the mean and variance of the target probability distribution. IEEE ICNN 1994.",
                           url: "https://doi.org/10.1109/ICNN.1994.374138"))

    let full: Bool
    let eps: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        full = try parameters.bool("full")
        eps = try parameters.number("eps")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let id = Self.descriptor.id
        guard let target, target.rank >= 1, input.rank == target.rank,
              input.shape.dropLast() == target.shape.dropLast() else {
            throw LossError.shapeMismatch("'\(id)': the input is [mean, var] concatenated along the last axis, [… , 2D] or [… , D+1], "
                                          + "for a target [… , D]; got input \(input.shape), target \(target?.shape ?? [])")
        }
        let D = target.shape[target.rank - 1], L = input.shape[input.rank - 1]
        guard L == 2 * D || L == D + 1 else {
            throw LossError.shapeMismatch("'\(id)': last axis \(L) of the input must be 2·\(D) (a variance per element) or \(D)+1 (one per row)")
        }
        let shared = L != 2 * D
        let rows = D == 0 ? 0 : target.count / D
        if let bad = (0..<rows).lazy.flatMap({ r in (0..<(L - D)).map { r * L + D + $0 } }).first(where: { input.data[$0] < 0 }) {
            throw LossError.invalidInput("'\(id)': variance \(input.data[bad]) at input flat index \(bad) is negative")
        }
        if let bad = target.data.firstIndex(where: { $0.isNaN }) {
            throw LossError.invalidInput("'\(id)': target[\(bad)] is NaN")
        }
        let count = target.count
        let scale = Reduce.gradientScale(reduction, count: Double(count))
        let constant = full ? 0.5 * log(2 * Double.pi) : 0
        var values = [Float](repeating: 0, count: reduction == .none ? count : 0)
        var grad = [Double](repeating: 0, count: gradient ? input.count : 0)
        var sum = 0.0
        for r in 0..<rows {
            for d in 0..<D {
                let varIndex = r * L + D + (shared ? 0 : d)
                let v = max(Double(input.data[varIndex]), eps)
                let diff = Double(input.data[r * L + d]) - Double(target.data[r * D + d])
                let l = 0.5 * (log(v) + diff * diff / v) + constant
                sum += l
                if reduction == .none { values[r * D + d] = Float(l) }
                if gradient {
                    grad[r * L + d] = diff / v * scale
                    grad[varIndex] += 0.5 * (1 / v - diff * diff / (v * v)) * scale
                }
            }
        }
        let value = Reduce.value(sum: sum, count: Double(count), elements: values, shape: target.shape, reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad.map { Float($0) }) : nil)
    }
}
