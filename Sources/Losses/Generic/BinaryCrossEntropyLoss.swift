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
        category: .distribution,
        formulas: [
            #"\ell(x, y) = -w\left[\,p_w\, y \log\sigma(x) + (1 - y)\log\left(1 - \sigma(x)\right)\right]"#,
            #"\ell = w\left[(1 - y)\,x + (p_w y + 1 - y)\,\operatorname{softplus}(-x)\right]"#,
        ],
        parameters: [
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([])),
            ParameterSpec("pos_weight", .numbers(min: 0, max: nil), default: .numbers([])),
            ParameterSpec("activation", .choice(["sigmoid", "none"]), default: .string("sigmoid")),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.BCEWithLogitsLoss(weight=w, pos_weight=pw, reduction=r)"),
            PeerEquivalent("pytorch", "torch.nn.BCELoss(weight=w, reduction=r)  # activation=none"),
        ],
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
