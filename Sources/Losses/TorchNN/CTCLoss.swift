import Foundation

/// Connectionist temporal classification, `torch.nn.CTCLoss` exactly (value and gradient).
///
/// ```latex
/// \ell_n = -\log \sum_{\pi \in \mathcal{B}^{-1}(y_n)} \prod_{t=1}^{T_n} e^{x_{t, n, \pi_t}}
/// ```
/// summed over the alignments π of length T_n that collapse to the target y_n (repeats merged,
/// blanks removed), by the forward–backward recursion in log space on the extended target
/// l' = (blank, y_1, blank, …, y_L, blank). Input log-probabilities `[T, N, C]` (or `[T, C]`);
/// target `[N, S]` padded, or `[Σ L_n]` concatenated (then `target_lengths` is required), or
/// `[S]` unbatched; `input_lengths` / `target_lengths` are parameters (empty: full T / S).
///
/// The gradient is PyTorch's: `exp(x) − γ`, γ_{t,c} the posterior probability of class c at time
/// t, for t < T_n and 0 beyond. That is ∂ℓ/∂z for x = log_softmax(z), and what autograd returns for
/// x (the true ∂ℓ/∂x is −γ; both give the same gradient once propagated through log_softmax).
/// An impossible alignment (T_n too short) gives +∞ with a NaN gradient, or 0 and a zero gradient
/// with `zero_infinity`, as PyTorch. `mean` divides each ℓ_n by max(L_n, 1), then averages.
public struct CTCLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "ctc",
        category: .distribution,
        formulas: [
            #"\ell_n = -\log \sum_{\pi \in \mathcal{B}^{-1}(y_n)} \prod_{t=1}^{T_n} e^{x_{t, n, \pi_t}}"#,
            #"\alpha_t(s) = x_{t, l'_s} + \log\!\bigl(e^{\alpha_{t-1}(s)} + e^{\alpha_{t-1}(s-1)} + [l'_s \ne b,\ l'_s \ne l'_{s-2}]\, e^{\alpha_{t-1}(s-2)}\bigr)"#,
            #"L_{\text{mean}} = \frac{1}{N} \sum_n \frac{\ell_n}{\max(L_n, 1)}"#,
        ],
        parameters: [
            ParameterSpec("blank", .integer(min: 0, max: nil), default: .number(0)),
            ParameterSpec("zero_infinity", .bool, default: .bool(false)),
            ParameterSpec("input_lengths", .numbers(min: 0, max: nil), default: .numbers([])),
            ParameterSpec("target_lengths", .numbers(min: 0, max: nil), default: .numbers([])),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.CTCLoss(blank=b, reduction=r, zero_infinity=z)(x, y, input_lengths, target_lengths)"),
        ],
        citation: Citation("Graves A., Fernández S., Gomez F., Schmidhuber J. Connectionist Temporal Classification: Labelling Unsegmented Sequence Data with Recurrent Neural Networks. ICML 2006.",
                           url: "https://doi.org/10.1145/1143844.1143891"))

    let blank: Int
    let zeroInfinity: Bool
    let inputLengths: [Double]
    let targetLengths: [Double]
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        blank = try parameters.integer("blank")
        zeroInfinity = try parameters.bool("zero_infinity")
        inputLengths = try parameters.numbers("input_lengths")
        targetLengths = try parameters.numbers("target_lengths")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let id = Self.descriptor.id
        guard input.rank == 2 || input.rank == 3 else {
            throw LossError.shapeMismatch("'\(id)': log-probabilities [T, N, C] or [T, C], got \(input.shape)")
        }
        let batched = input.rank == 3
        let T = input.shape[0], N = batched ? input.shape[1] : 1, C = input.shape[input.rank - 1]
        guard T >= 1 else { throw LossError.invalidInput("'\(id)': no time steps in \(input.shape)") }
        guard blank < C else { throw LossError.invalidParameter(loss: id, name: "blank", message: "\(blank) is not below C = \(C)") }
        guard let target else { throw LossError.shapeMismatch("'\(id)' needs a target (class indices)") }
        let targets = try Self.targets(id, target, batched: batched, samples: N, lengths: targetLengths, classes: C)
        let lengths = try Self.lengths(id, "input_lengths", inputLengths, samples: N, default: T, range: 1...max(T, 1))
        let scale = Reduce.gradientScale(reduction, count: Double(N))
        var values = [Float](repeating: 0, count: reduction == .none ? N : 0)
        var grad = [Double](repeating: 0, count: gradient ? input.count : 0)
        var sum = 0.0
        for n in 0..<N {
            let x = { (t: Int, c: Int) in Double(input.data[(t * N + n) * C + c]) }
            let labels = targets[n]
            let result = Self.forwardBackward(x, T: lengths[n], C: C, labels: labels, blank: blank, posterior: gradient)
            var l = result.nll
            let impossible = l == .infinity
            if impossible, zeroInfinity { l = 0 }
            let divisor = reduction == .mean ? Double(max(labels.count, 1)) : 1
            sum += l / divisor
            if reduction == .none { values[n] = Float(l) }
            guard gradient, !(impossible && zeroInfinity) else { continue }
            let g = scale / divisor
            for t in 0..<lengths[n] {
                for c in 0..<C {
                    let lp = x(t, c)
                    grad[(t * N + n) * C + c] = (exp(lp) - exp(result.logOccupancy[t * C + c] + result.nll - lp)) * g
                }
            }
        }
        let value = Reduce.value(sum: sum, count: Double(N), elements: values, shape: batched ? [N] : [], reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad.map { Float($0) }) : nil)
    }

    /// −log p(labels | x) and, if asked, log Σ_{s: l'_s = c} α_t(s) β_t(s) per (t, c) (β includes
    /// the emission at t, as PyTorch's, so the occupancy is that minus x_{t,c} plus nll).
    static func forwardBackward(_ x: (Int, Int) -> Double, T: Int, C: Int, labels: [Int], blank: Int,
                                posterior: Bool) -> (nll: Double, logOccupancy: [Double]) {
        let S = 2 * labels.count + 1
        let extended = (0..<S).map { $0 % 2 == 0 ? blank : labels[$0 / 2] }
        // Whether s may come from s − 2 (skipping a blank between different labels).
        let skip = (0..<S).map { $0 >= 2 && extended[$0] != blank && extended[$0] != extended[$0 - 2] }
        var alpha = [Double](repeating: -.infinity, count: T * S)
        alpha[0] = x(0, blank)
        if S > 1 { alpha[1] = x(0, extended[1]) }
        for t in 1..<max(T, 1) {
            for s in 0..<S {
                var terms = [alpha[(t - 1) * S + s]]
                if s >= 1 { terms.append(alpha[(t - 1) * S + s - 1]) }
                if skip[s] { terms.append(alpha[(t - 1) * S + s - 2]) }
                alpha[t * S + s] = x(t, extended[s]) + logSumExp(terms)
            }
        }
        let last = (T - 1) * S
        let nll = -logSumExp(S > 1 ? [alpha[last + S - 1], alpha[last + S - 2]] : [alpha[last]])
        guard posterior else { return (nll, []) }
        var beta = [Double](repeating: -.infinity, count: T * S)
        beta[last + S - 1] = x(T - 1, blank)
        if S > 1 { beta[last + S - 2] = x(T - 1, extended[S - 2]) }
        for t in stride(from: T - 2, through: 0, by: -1) {
            for s in 0..<S {
                var terms = [beta[(t + 1) * S + s]]
                if s + 1 < S { terms.append(beta[(t + 1) * S + s + 1]) }
                if s + 2 < S, skip[s + 2] { terms.append(beta[(t + 1) * S + s + 2]) }
                beta[t * S + s] = x(t, extended[s]) + logSumExp(terms)
            }
        }
        var occupancy = [Double](repeating: -.infinity, count: T * C)
        for t in 0..<T {
            for s in 0..<S {
                let i = t * C + extended[s]
                occupancy[i] = logSumExp([occupancy[i], alpha[t * S + s] + beta[t * S + s]])
            }
        }
        return (nll, occupancy)
    }

    /// log Σ e^{v}, −∞ for an empty list or all −∞.
    static func logSumExp(_ v: [Double]) -> Double {
        guard let m = v.max(), m > -.infinity else { return -.infinity }
        if m == .infinity { return .infinity }
        return m + log(v.reduce(0) { $0 + exp($1 - m) })
    }

    /// Whole-number lengths, one per sample, in `range`; `default` for every sample when empty.
    static func lengths(_ id: String, _ name: String, _ values: [Double], samples: Int, default value: Int,
                        range: ClosedRange<Int>) throws -> [Int] {
        if values.isEmpty { return Array(repeating: value, count: samples) }
        guard values.count == samples else {
            throw LossError.invalidParameter(loss: id, name: name, message: "\(values.count) values for \(samples) samples")
        }
        return try values.map { v in
            guard v == v.rounded(), range.contains(Int(v)) else {
                throw LossError.invalidParameter(loss: id, name: name, message: "\(ParameterValue.number(v)) is not a whole number in \(range.lowerBound)…\(range.upperBound)")
            }
            return Int(v)
        }
    }

    /// Each sample's target labels, from the padded, concatenated or unbatched form.
    static func targets(_ id: String, _ target: Tensor, batched: Bool, samples N: Int, lengths: [Double],
                        classes C: Int) throws -> [[Int]] {
        let labels = try target.data.enumerated().map { i, v -> Int in
            guard let label = StackedInput.wholeNumber(v), label >= 0, label < C else {
                throw LossError.invalidInput("'\(id)': target[\(i)] = \(v) is not a class index in 0..<\(C)")
            }
            return label
        }
        if batched, target.rank == 2, target.shape[0] == N {
            let S = target.shape[1]
            let L = try Self.lengths(id, "target_lengths", lengths, samples: N, default: S, range: 0...S)
            return (0..<N).map { n in Array(labels[(n * S)..<(n * S + L[n])]) }
        }
        if batched, target.rank == 1 {
            guard !lengths.isEmpty else {
                throw LossError.invalidParameter(loss: id, name: "target_lengths", message: "a concatenated target [ΣL] needs target_lengths")
            }
            let L = try Self.lengths(id, "target_lengths", lengths, samples: N, default: 0, range: 0...target.count)
            guard L.reduce(0, +) == target.count else {
                throw LossError.shapeMismatch("'\(id)': target_lengths sum to \(L.reduce(0, +)), the concatenated target holds \(target.count)")
            }
            var start = 0
            return L.map { length in defer { start += length }; return Array(labels[start..<(start + length)]) }
        }
        if !batched, target.rank == 1 {
            let L = try Self.lengths(id, "target_lengths", lengths, samples: 1, default: target.count, range: 0...target.count)
            return [Array(labels.prefix(L[0]))]
        }
        throw LossError.shapeMismatch("'\(id)': target [N, S] or [ΣL] for input [T, N, C], [S] for [T, C]; "
                                      + "got target \(target.shape) for input \(batched ? "[T, \(N), C]" : "[T, C]")")
    }
}
