import Foundation
import Losses

/// How a scalar in a note becomes a loss's input: the variable an author varies in a table or
/// plot (`r`, `m`, `p`, `z`, `w`, `s`), and the derivative of the input with respect to it, so
/// that a gradient column can show dL/dv by the chain rule from the library's analytic gradient.
enum ProbeVariable: String, CaseIterable, Sendable {
    /// Residual ŷ − y of an element-wise regression loss: input [r], target [0].
    case r
    /// Margin y·f of a margin loss: input [m], target [+1].
    case m
    /// Probability of the true class: two-class logits [0, logit p], target class 1
    /// (binary cross entropy: logit [logit p], target 1).
    case p
    /// The true class's logit z: logits [0, z], target class 1 (binary: [z], target 1).
    case z
    /// A weight w of a regulariser: input [w].
    case w
    /// Probability q of the first of two classes, for KL divergence: input [log q, log(1 − q)],
    /// target the uniform distribution [½, ½] as log-probabilities (`log_target`).
    case q
    /// Amplitude a of a fixed 3×3 pattern, for the perceptual loss: input a·P, target P.
    case a
    /// Agreement with a mask: the foreground probability is s where the target is 1 and 1 − s
    /// where it is 0 (s = 1 is a perfect prediction, s = 0 a perfectly wrong one).
    case s
    /// Probability given to the object of a mask, against a confident background: the foreground
    /// probability is o where the target is 1 and `ProbeVariable.background` where it is 0. Unlike
    /// under `s`, the object's pixels and the background's have different losses, which is what
    /// class weights, distance penalties and top-k selection act on.
    case o
    /// The free coordinate of a `torch.nn` loss's example (a distance, a score gap, an angle, a
    /// variance…; per id in `TorchNNProbe`).
    case x

    /// The foreground probability of the background pixels under `o` (they are right with 1 − 0.05).
    static let background = 0.05

    /// The variable in LaTeX, for table headers and plot axes.
    var tex: String {
        switch self {
        case .r: return "r = \\hat y - y"
        case .m: return "m = y f"
        case .p: return "p_t"
        case .z: return "z_t"
        case .w: return "w"
        case .s: return "s"
        case .o: return "o"
        case .q: return "q"
        case .a: return "a"
        case .x: return "x"
        }
    }
}

/// A binary segmentation example: a target mask, and optionally a predicted foreground probability map.
struct Mask: Sendable {
    var target: [[Double]]
    var prediction: [[Double]]?
    /// Several labelled predictions of the same target (`predictions:`): a table's columns.
    var predictions: [(label: String, grid: [[Double]])] = []

    var rows: Int { target.count }
    var columns: Int { target.first?.count ?? 0 }
}

enum ProbeFamily {
    case residual, margin, classScores, binary, weights, region, divergence, features
    /// Log-probabilities [log(1 − p), log p] with target class 1 (`nll`, and `ctc` with T = 1).
    case logProbabilities
    /// The other `torch.nn` losses: one free coordinate each (`TorchNNProbe`).
    case torchNN

    static func of(_ id: String) -> ProbeFamily {
        switch id {
        case "l1", "l2", "smooth-l1", "huber", "log-cosh": return .residual
        case "zero-one", "hinge", "squared-hinge", "exponential", "soft-margin", "lovasz-hinge": return .margin
        case "cross-entropy", "weighted-cross-entropy", "topk", "topk-threshold", "focal", "dpce": return .classScores
        case "binary-cross-entropy": return .binary
        case "l1-regularization", "l2-regularization": return .weights
        case "kl-divergence": return .divergence
        case "perceptual": return .features
        case "nll", "ctc": return .logProbabilities
        case _ where TorchNNProbe.ids.contains(id): return .torchNN
        default: return .region
        }
    }

    var variables: [ProbeVariable] {
        switch self {
        case .residual: return [.r]
        case .margin: return [.m]
        case .classScores: return [.p, .z, .s, .o]
        case .binary: return [.p, .z]
        case .weights: return [.w]
        case .region: return [.s, .o]
        case .divergence: return [.q]
        case .features: return [.a]
        case .logProbabilities: return [.p]
        case .torchNN: return [.x]
        }
    }
}

/// One evaluation point: the input, target, extra parameters, and ∂input/∂v.
struct ProbePoint {
    var input: Tensor
    var target: Tensor?
    /// The input in `Double`, before rounding to `Float`: what the reference differentiates along v
    /// (a step of 1e-6 is below `Float`'s resolution at 2).
    var exactInput: [Double] = []
    /// Parameters the probe needs (e.g. `activation: none` when it feeds probabilities).
    var parameters: [String: ParameterValue]
    var derivative: [Double]
}

struct ProbeError: Error {
    var message: String
}

extension ProbeVariable {
    /// Builds the loss input for value `v` of this variable.
    func point(id: String, value v: Double, mask: Mask?) throws -> ProbePoint {
        let family = ProbeFamily.of(id)
        guard family.variables.contains(self) else {
            let allowed = family.variables.map(\.rawValue)
            throw ProbeError(message: "'\(rawValue)' cannot vary the input of '\(id)'"
                             + (allowed.isEmpty ? " (give explicit 'cases' with input and target)" : " (use \(allowed.joined(separator: ", ")))"))
        }
        guard v.isFinite else { throw ProbeError(message: "\(rawValue) = \(v) is not finite") }
        func scalar(_ x: Double) throws -> Tensor { try Tensor(shape: [1], data: [Float(x)]) }
        var point = try SegmentationExtrasProbe.adapt(try makePoint(id: id, value: v, mask: mask, family: family, scalar: scalar), id: id)
        if point.exactInput.isEmpty { point.exactInput = point.input.data.map(Double.init) }
        return point
    }

    private func makePoint(id: String, value v: Double, mask: Mask?, family: ProbeFamily,
                           scalar: (Double) throws -> Tensor) throws -> ProbePoint {
        switch self {
        case .r:
            return ProbePoint(input: try scalar(v), target: try scalar(0), exactInput: [v], parameters: [:], derivative: [1])
        case .m:
            return ProbePoint(input: try scalar(v), target: try scalar(1), exactInput: [v], parameters: [:], derivative: [1])
        case .w:
            return ProbePoint(input: try scalar(v), target: nil, exactInput: [v], parameters: [:], derivative: [1])
        case .p, .z:
            let z: Double
            let dz: Double
            if self == .p {
                guard v > 0, v < 1 else { throw ProbeError(message: "p_t = \(v) must lie strictly between 0 and 1") }
                z = log(v / (1 - v))
                dz = 1 / (v * (1 - v))
            } else {
                z = v
                dz = 1
            }
            if family == .logProbabilities {
                return ProbePoint(input: try Tensor(shape: [1, 2], data: [Float(log1p(-v)), Float(log(v))]),
                                  target: try Tensor(shape: [1], data: [1]), exactInput: [log1p(-v), log(v)], parameters: [:],
                                  derivative: [-1 / (1 - v), 1 / v])
            }
            if family == .binary {
                return ProbePoint(input: try scalar(z), target: try scalar(1), exactInput: [z], parameters: [:], derivative: [dz])
            }
            return ProbePoint(input: try Tensor(shape: [1, 2], data: [0, Float(z)]), target: try Tensor(shape: [1], data: [1]),
                              exactInput: [0, z], parameters: [:], derivative: [0, dz])
        case .q:
            guard v > 0, v < 1 else { throw ProbeError(message: "q = \(v) must lie strictly between 0 and 1") }
            // The target as log-probabilities, rounded to `Float` as the input is: at q = ½ input and
            // target are then the same numbers and the divergence is exactly 0. (With the target ½,
            // the input Float(log ½) ≠ log ½ is a distribution about 1e-9 away from it.)
            let logHalf = Float(log(0.5))
            return ProbePoint(input: try Tensor(shape: [1, 2], data: [Float(log(v)), Float(log1p(-v))]),
                              target: try Tensor(shape: [1, 2], data: [logHalf, logHalf]), exactInput: [log(v), log1p(-v)],
                              parameters: ["log_target": .bool(true)], derivative: [1 / v, -1 / (1 - v)])
        case .a:
            // A plus sign: the pattern every filter of the bank responds to.
            let pattern: [Double] = [0, 1, 0, 1, 1, 1, 0, 1, 0]
            return ProbePoint(input: try Tensor(shape: [1, 1, 3, 3], data: pattern.map { Float(v * $0) }),
                              target: try Tensor(shape: [1, 1, 3, 3], data: pattern.map { Float($0) }),
                              exactInput: pattern.map { v * $0 }, parameters: [:],
                              derivative: pattern)
        case .x:
            return try TorchNNProbe.point(id: id, value: v)
        case .s, .o:
            guard let mask else { throw ProbeError(message: "'\(rawValue)' needs a 'mask' with a target grid") }
            guard v >= 0, v <= 1 else { throw ProbeError(message: "\(rawValue) = \(v) must lie in [0, 1]") }
            let rows = mask.rows, columns = mask.columns
            var background = [Double](), foreground = [Double](), labels = [Float](), dForeground = [Double]()
            for row in mask.target {
                for t in row {
                    let object = t > 0.5
                    let p = object ? v : (self == .s ? 1 - v : Self.background)
                    foreground.append(p)
                    background.append(1 - p)
                    labels.append(object ? 1 : 0)
                    dForeground.append(object ? 1 : (self == .s ? -1 : 0))
                }
            }
            return ProbePoint(input: try Tensor(shape: [1, 2, rows, columns], data: (background + foreground).map { Float($0) }),
                              target: try Tensor(shape: [1, rows, columns], data: labels), exactInput: background + foreground,
                              parameters: ["activation": .string("none")],
                              derivative: dForeground.map { -$0 } + dForeground)
        }
    }
}

extension Mask {
    /// The mask's own prediction (no variable): two-channel probabilities and the label map.
    func point() throws -> ProbePoint {
        guard let prediction else { throw ProbeError(message: "the mask has no 'prediction' grid (or vary 's')") }
        let foreground = prediction.flatMap { $0 }
        let labels = target.flatMap { $0 }
        return ProbePoint(input: try Tensor(shape: [1, 2, rows, columns], data: foreground.map { Float(1 - $0) } + foreground.map { Float($0) }),
                          target: try Tensor(shape: [1, rows, columns], data: labels.map { Float($0 > 0.5 ? 1 : 0) }),
                          parameters: ["activation": .string("none")], derivative: [])
    }
}
