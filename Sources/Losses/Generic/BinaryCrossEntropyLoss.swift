import Foundation

/// Binary cross entropy on logits, `torch.nn.BCEWithLogitsLoss(weight, pos_weight)`; with
/// `activation: none` on probabilities, `torch.nn.BCELoss(weight)` (logs clamped at −100).
///
/// ```latex
/// \ell = -w\left[\,p_w\, y \log\sigma(x) + (1 - y)\log\sigma(-x)\,\right]
/// ```
/// computed as w·[(1 − y)x + (p_w y + 1 − y)·softplus(−x)], finite for x = ±1000.
/// `weight` and `pos_weight` are lists of length 1 or C, broadcast along axis 1 (axis 0 for a
/// rank-1 input): PyTorch's `pos_weight` of shape [C] for an [N, C] input, or [C, 1, …, 1]
/// for [N, C, spatial…]. NaN logits propagate; targets outside [0, 1] (or NaN) throw.
public struct BinaryCrossEntropyLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "binary-cross-entropy",
        name: Localized(zh: "二元交叉熵", en: "Binary cross entropy"),
        category: .distribution,
        formulas: [
            #"\ell(x, y) = -w\left[\,p_w\, y \log\sigma(x) + (1 - y)\log\left(1 - \sigma(x)\right)\right]"#,
            #"\ell = w\left[(1 - y)\,x + (p_w y + 1 - y)\,\operatorname{softplus}(-x)\right]"#,
        ],
        parameters: [
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "逐通道的缩放权重 w（长度 1 或 C，沿第 1 维广播）；空表示全为 1",
                                    en: "per-channel rescaling weight w (length 1 or C, broadcast along axis 1); empty means all ones")),
            ParameterSpec("pos_weight", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "正样本权重 p_w（长度 1 或 C，沿第 1 维广播）；p_w > 1 提高召回；空表示 1",
                                    en: "weight p_w of positive examples (length 1 or C, broadcast along axis 1); p_w > 1 favours recall; empty means 1")),
            ParameterSpec("activation", .choice(["sigmoid", "none"]), default: .string("sigmoid"),
                          Localized(zh: "sigmoid：输入是 logits（默认）；none：输入已是 [0, 1] 内的概率",
                                    en: "sigmoid: inputs are logits (default); none: inputs are probabilities in [0, 1]")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入与目标同形（任意维度，通道在第 1 维）。默认输入为 logits；activation = none 时输入为概率，超出 [0, 1] 报错。目标是 [0, 1] 内的（软）标签，超出范围或 NaN 报 invalidInput。",
            en: "Input and target of the same shape (any rank, channels on axis 1). Inputs are logits by default; with activation = none they are probabilities, and values outside [0, 1] throw. The target holds (soft) labels in [0, 1]; anything else, or NaN, throws invalidInput."),
        gradientNote: Localized(
            zh: "对 logits：$\\partial \\ell/\\partial x = w\\left[(p_w y + 1 - y)\\,\\sigma(x) - p_w y\\right]$，p_w = 1 时就是 $w(\\sigma(x) - y)$，有界且在 ±1000 处仍有限。activation = none 时对概率求导：$w\\,[(1-y)p - p_w y (1-p)] / \\max(p(1-p), 10^{-12})$，与 PyTorch BCELoss 的反向公式相同（含 1e-12）。",
            en: "For logits: $\\partial \\ell/\\partial x = w\\left[(p_w y + 1 - y)\\,\\sigma(x) - p_w y\\right]$, i.e. $w(\\sigma(x) - y)$ for p_w = 1: bounded and finite at ±1000. With activation = none, wrt the probability: $w\\,[(1-y)p - p_w y (1-p)] / \\max(p(1-p), 10^{-12})$, PyTorch BCELoss's backward formula (including its 1e-12)."),
        peers: [
            PeerEquivalent("pytorch", "torch.nn.BCEWithLogitsLoss(weight=w, pos_weight=pw, reduction=r)",
                           note: Localized(zh: "完全相同；w 与 pw 需整形为沿第 1 维广播（[N, C] 输入时形状 [C]，更高维时 [C, 1, …, 1]）。", en: "Identical; w and pw shaped to broadcast along axis 1 ([C] for an [N, C] input, [C, 1, …, 1] beyond).")),
            PeerEquivalent("pytorch", "torch.nn.BCELoss(weight=w, reduction=r)  # activation=none",
                           note: Localized(zh: "activation = none 且不设 pos_weight 时完全相同，包括 log 在 −100 处截断。", en: "Identical with activation = none and no pos_weight, including the log clamp at −100.")),
        ],
        notes: Localized(
            zh: "默认按 logits 计算（稳定：经 softplus/log-sigmoid，x = ±100 时得精确的 100，而不是 ∞）。activation = none 时照搬 PyTorch BCELoss 的做法：log p 与 log(1−p) 截断在 −100，所以 p = 0、y = 1 的损失是 100·w 而不是 ∞；pos_weight 在此模式下同样生效（PyTorch 的 BCELoss 没有 pos_weight，这是我们的扩展）。weight 只是逐通道缩放，mean 仍然除以元素总数（不是除以权重和，与 PyTorch 一致）。",
            en: "Logits by default (stable through softplus/log-sigmoid: x = ±100 gives exactly 100, not ∞). With activation = none we follow PyTorch's BCELoss: log p and log(1−p) are clamped at −100, so p = 0 with y = 1 costs 100·w, not ∞; pos_weight applies in this mode too (PyTorch's BCELoss has none: our extension). weight only rescales per channel; mean still divides by the element count (not by the weight sum), as PyTorch."),
        citation: Citation("Goodfellow I., Bengio Y., Courville A. Deep Learning, §6.2.2. MIT Press, 2016.",
                           url: "https://www.deeplearningbook.org"))

    let weight: [Double]
    let posWeight: [Double]
    let logits: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        weight = try parameters.numbers("weight")
        posWeight = try parameters.numbers("pos_weight")
        logits = try parameters.string("activation") == "sigmoid"
        reduction = try parameters.reduction()
    }

    /// Per-element lookup of a list broadcast along the channel axis.
    static func channelLookup(_ list: [Double], name: String, shape: [Int]) throws -> (Int) -> Double {
        if list.isEmpty { return { _ in 1 } }
        if list.count == 1 { let v = list[0]; return { _ in v } }
        let axis = shape.count >= 2 ? 1 : 0
        guard shape.count >= 1, shape[axis] == list.count else {
            throw LossError.shapeMismatch("'\(name)' has \(list.count) values but the input \(shape) has "
                                          + (shape.isEmpty ? "no channel axis" : "\(shape[axis]) channels on axis \(axis)"))
        }
        let inner = shape.dropFirst(axis + 1).reduce(1, *), channels = list.count
        return { i in list[(i / inner) % channels] }
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target, accepts: { $0 >= 0 && $0 <= 1 },
                                                 requirement: "binary cross entropy takes targets in [0, 1]")
        let w = try Self.channelLookup(weight, name: "weight", shape: input.shape)
        let pw = try Self.channelLookup(posWeight, name: "pos_weight", shape: input.shape)
        if logits {
            return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { i, x, y in
                let wi = w(i), pwi = pw(i)
                // One exponential: e = e^{−|x|} gives softplus(−x) = max(−x, 0) + log1p(e) and σ(x).
                let e = exp(-abs(x))
                let softplusMinusX = max(-x, 0) + log1p(e)
                let sigmoid = x >= 0 ? 1 / (1 + e) : e / (1 + e)
                let value = wi * ((1 - y) * x + (pwi * y + 1 - y) * softplusMinusX)
                let slope = wi * ((pwi * y + 1 - y) * sigmoid - pwi * y)
                return (value, slope)
            }
        }
        try ClassScores.checkProbabilities(input)
        return Elementwise.evaluate(input, target, reduction: reduction, gradient: gradient) { i, p, y in
            let wi = w(i), pwi = pw(i)
            let value = -wi * (pwi * y * ClassScores.clampedLog(p) + (1 - y) * ClassScores.clampedLog1p(-p))
            // PyTorch's BCELoss backward, with its EPSILON = 1e-12 on the denominator.
            let slope = wi * ((1 - y) * p - pwi * y * (1 - p)) / max(p * (1 - p), 1e-12)
            return (value, slope)
        }
    }
}
