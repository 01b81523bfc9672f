import Foundation
import Losses

/// The one-coordinate examples of the `torch.nn` losses that take stacked or concatenated inputs,
/// and of torchvision's box losses (x: the offset of a unit box from the target unit box)
/// (`ProbeVariable.x`): what x is, the input and target it builds, ∂input/∂x, and the values a
/// reference page tabulates (kept off the losses' kinks) and plots.
enum TorchNNProbe {
    static let ids: Set<String> = [
        "poisson-nll", "gaussian-nll", "margin-ranking", "hinge-embedding", "multilabel-margin",
        "multilabel-soft-margin", "cosine-embedding", "multi-margin", "triplet-margin",
        "box-iou", "giou", "diou", "ciou",
        "ssim", "unified-focal",
    ]

    static func point(id: String, value x: Double) throws -> ProbePoint {
        func t(_ shape: [Int], _ data: [Double]) throws -> Tensor { try Tensor(shape: shape, data: data.map { Float($0) }) }
        func point(_ input: [Double], _ shape: [Int], _ target: Tensor?, _ derivative: [Double]) throws -> ProbePoint {
            ProbePoint(input: try t(shape, input), target: target, exactInput: input, parameters: [:], derivative: derivative)
        }
        switch id {
        case "poisson-nll": // x = log-rate, count y = 2
            return try point([x], [1], try t([1], [2]), [1])
        case "gaussian-nll": // x = variance, mean − target = 1
            guard x > 0 else { throw ProbeError(message: "x (the variance) = \(x) must be positive") }
            return try point([1, x], [2], try t([1], [0]), [0, 1])
        case "margin-ranking": // x = x1 − x2, y = 1
            return try point([x, 0], [2, 1], try t([1], [1]), [1, 0])
        case "hinge-embedding": // x = distance of a dissimilar pair (y = −1)
            return try point([x], [1], try t([1], [-1]), [1])
        case "multilabel-margin": // x = positive class's score, negative class at 0
            return try point([x, 0], [2], try t([2], [0, -1]), [1, 0])
        case "multilabel-soft-margin": // x = logit of a positive label
            return try point([x], [1], try t([1], [1]), [1])
        case "cosine-embedding": // x = angle between the pair (radians), y = 1
            return try point([1, 0, cos(x), sin(x)], [2, 2], Tensor(scalar: 1), [0, 0, -sin(x), cos(x)])
        case "multi-margin": // x = true class's score, the other class at 0
            return try point([x, 0], [2], Tensor(scalar: 0), [1, 0])
        case "triplet-margin": // anchor (0, 0), positive (1, 0), negative (0, x)
            return try point([0, 0, 1, 0, 0, x], [3, 2], nil, [0, 0, 0, 0, 0, 1])
        case "box-iou", "giou", "diou", "ciou": // x = horizontal offset of a unit box from the target unit box
            return try point([x, 0, x + 1, 1], [4], try t([4], [0, 0, 1, 1]), [1, 0, 1, 0])
        case "ssim": // x = brightness offset of an 11 × 11 image from the target image (a fixed ramp pattern)
            let pattern: [Double] = (0..<121).map { (k: Int) -> Double in
                let level: Int = ((k / 11) * 3 + (k % 11) * 5) % 7
                return Double(level) / 7
            }
            let shifted: [Double] = pattern.map { $0 + x }
            return try point(shifted, [1, 1, 11, 11], try t([1, 1, 11, 11], pattern), [Double](repeating: 1, count: 121))
        case "unified-focal": // x = predicted probability of the one foreground pixel of a 2 × 2 map (the rest fixed)
            return try point([0.2, 0.1, 0.3, x], [1, 1, 2, 2], try t([1, 1, 2, 2], [0, 0, 0, 1]), [0, 0, 0, 1])
        default:
            throw ProbeError(message: "'x' has no meaning for '\(id)'")
        }
    }

    /// Table values and plot range of `x` for a reference page.
    static func example(for id: String) -> (values: [Double], range: ClosedRange<Double>) {
        switch id {
        case "gaussian-nll": return ([0.25, 0.5, 1, 2, 4], 0.1...4)
        case "margin-ranking": return ([-2, -1, -0.5, 0.5, 1.5], -3...3)
        case "hinge-embedding": return ([0.25, 0.5, 0.75, 1.5, 2], 0...3)
        case "multilabel-margin", "multi-margin": return ([-1, 0, 0.5, 1.5, 2], -2...3)
        case "cosine-embedding": return ([0.25, 0.5, 1, 2, 3], 0...3.14)
        case "triplet-margin": return ([0.5, 1, 1.5, 2.5, 3], 0.1...3)
        // Not 0 or ±1: edges that coincide are kinks (finite differences cannot check them).
        case "box-iou", "giou", "diou", "ciou": return ([-2, -0.75, -0.25, 0.5, 1.5], -3...3)
        case "ssim": return ([-0.5, -0.25, 0.1, 0.25, 0.5], -1...1)
        // Inside MONAI's clamp [1e-7, 1 − 1e-7]: the probe is a probability.
        case "unified-focal": return ([0.1, 0.3, 0.5, 0.7, 0.9], 0.01...0.99)
        default: return ([-2, -1, 0, 1, 2], -3...3)
        }
    }
}
