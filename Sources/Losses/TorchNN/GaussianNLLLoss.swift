import Foundation

/// Gaussian negative log-likelihood, `torch.nn.GaussianNLLLoss` exactly.
///
/// ```latex
/// \ell = \tfrac12\left(\log \max(v, \varepsilon) + \frac{(\mu - y)^2}{\max(v, \varepsilon)}\right) + [\text{full}]\,\tfrac12 \log(2\pi)
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
        category: .regression,
        formulas: [
            #"\ell = \frac12\left(\log \max(\sigma^2, \varepsilon) + \frac{(\mu - y)^2}{\max(\sigma^2, \varepsilon)}\right) + [\text{full}]\,\frac12 \log(2\pi)"#,
        ],
        parameters: [
            ParameterSpec("full", .bool, default: .bool(false)),
            ParameterSpec("eps", .number(min: 0, max: nil), default: .number(1e-6)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.GaussianNLLLoss(full=f, eps=ε, reduction=r)(mu, y, var)"),
        ],
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
