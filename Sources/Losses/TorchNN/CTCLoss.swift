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
        name: Localized(zh: "联结主义时间分类 (CTC) 损失", en: "Connectionist temporal classification (CTC) loss"),
        category: .distribution,
        formulas: [
            #"\ell_n = -\log \sum_{\pi \in \mathcal{B}^{-1}(y_n)} \prod_{t=1}^{T_n} e^{x_{t, n, \pi_t}}"#,
            #"\alpha_t(s) = x_{t, l'_s} + \log\!\bigl(e^{\alpha_{t-1}(s)} + e^{\alpha_{t-1}(s-1)} + [l'_s \ne b,\ l'_s \ne l'_{s-2}]\, e^{\alpha_{t-1}(s-2)}\bigr)"#,
            #"L_{\text{mean}} = \frac{1}{N} \sum_n \frac{\ell_n}{\max(L_n, 1)}"#,
        ],
        parameters: [
            ParameterSpec("blank", .integer(min: 0, max: nil), default: .number(0),
                          Localized(zh: "空白符的类别索引（默认 0）", en: "the class index of the blank (default 0)")),
            ParameterSpec("zero_infinity", .bool, default: .bool(false),
                          Localized(zh: "不可能的对齐（损失为 +∞）记为 0、梯度为 0", en: "an impossible alignment (loss +∞) counts as 0 with a zero gradient")),
            ParameterSpec("input_lengths", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "每个样本的输入长度 T_n（1…T 的整数，N 个）；空表示都是 T。PyTorch 中是 forward 的参数", en: "each sample's input length T_n (N whole numbers in 1…T); empty means all T. A forward argument in PyTorch")),
            ParameterSpec("target_lengths", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "每个样本的目标长度 L_n（N 个整数）；空表示都是 S（填充形式）。PyTorch 中是 forward 的参数", en: "each sample's target length L_n (N whole numbers); empty means all S (padded form). A forward argument in PyTorch")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入为对数概率 [T, N, C]（时间在前，与 PyTorch 相同；通常是 log_softmax 的输出），无批次时为 [T, C]。目标为类别索引：填充形式 [N, S]，或所有目标首尾相接的 [ΣL_n]（此时必须给出 target_lengths），无批次时为 [S]；索引是 0…C−1 的整数。PyTorch 在 forward 中传入的 input_lengths、target_lengths 在这里是参数（数列）。在 lossbook eval 中：{\"input\": 对数概率, \"target\": 目标, \"params\": {\"input_lengths\": […], \"target_lengths\": […]}}。",
            en: "The input holds log-probabilities [T, N, C] (time first, as PyTorch; usually log_softmax's output), or [T, C] without a batch axis. The target holds class indices: padded [N, S], or every target concatenated [ΣL_n] (then target_lengths is required), or [S] without a batch axis; indices are whole numbers 0…C−1. PyTorch's forward arguments input_lengths and target_lengths are parameters (lists) here. With lossbook eval: {\"input\": log-probs, \"target\": targets, \"params\": {\"input_lengths\": […], \"target_lengths\": […]}}."),
        gradientNote: Localized(
            zh: "与 PyTorch 的 autograd 相同：$\\partial L/\\partial x_{t,n,c} = e^{x_{t,n,c}} - \\gamma_{t,n,c}$（t < T_n，之后为 0），γ 是前向–后向算出的 t 时刻类别 c 的后验占用概率。这其实是 x = log_softmax(z) 时对 z 的梯度；对 x 本身的真实导数是 −γ，但两者经 log_softmax 反传后完全相同（每个 t 上 Σ_c γ = Σ_c e^x = 1）。",
            en: "As PyTorch's autograd: $\\partial L/\\partial x_{t,n,c} = e^{x_{t,n,c}} - \\gamma_{t,n,c}$ (for t < T_n, 0 beyond), γ the posterior occupancy of class c at time t from the forward–backward pass. This is really the gradient with respect to z for x = log_softmax(z); the true derivative with respect to x is −γ, but the two agree once propagated through log_softmax (Σ_c γ = Σ_c e^x = 1 at every t)."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.CTCLoss(blank=b, reduction=r, zero_infinity=z)(x, y, input_lengths, target_lengths)",
                           note: Localized(zh: "值与梯度都相同（包括 mean 除以目标长度、不可能对齐时的 +∞ 与 NaN 梯度）；输入格式不同：两个长度是参数。",
                                           en: "Identical values and gradients (mean's division by the target lengths, +∞ and a NaN gradient for impossible alignments included); the input format differs: the two lengths are parameters.")),
        ],
        notes: Localized(
            zh: "空目标（L_n = 0）的概率是全程输出空白符，损失为 $-\\sum_t x_{t,b}$（b 为空白符），mean 时除以 1。目标中相邻的重复标签之间必须隔一个空白符，所以需要 T_n ≥ L_n + 重复次数，否则没有可行对齐。在对数空间用 log-sum-exp 递推，长序列也不会下溢。reduction = none 返回形状 [N]（无批次时为 []）的逐样本损失（不除以长度）。",
            en: "An empty target (L_n = 0) has the probability of emitting blank throughout: loss $-\\sum_t x_{t,b}$ (b the blank), divided by 1 for mean. Repeated neighbouring labels need a blank between them, so T_n ≥ L_n + repeats, or there is no alignment. The recursion runs in log space with log-sum-exp, so long sequences do not underflow. reduction = none returns the per-sample losses [N] ([] without a batch axis), not divided by the lengths."),
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
