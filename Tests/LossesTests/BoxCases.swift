import Foundation
import Losses

/// Input scenarios of torchvision's box losses (`box-iou`, `giou`, `diou`, `ciou`) for the
/// reference and finite-difference tests: predicted boxes `[N, 4]` (x1, y1, x2, y2) and target
/// boxes of the same shape, drawn so that no two compared coordinates are within a step of each
/// other (ties are kinks: `BoxLossTests` checks them).
enum BoxCases {
    /// ε large enough to move the value where it is placed.
    static func alternatives(_ spec: ParameterSpec, id: String) -> [ParameterValue]? {
        guard (try? Catalog.descriptor(for: id).category) == .detection, spec.name == "eps" else { return nil }
        return [.number(0.01), .number(0.5)]
    }

    /// `n` predicted boxes (corner in [0, 10]², sides 0.5–5) and targets shifted by `spread`
    /// and rescaled by 0.5–1.6.
    static func boxes(_ n: Int, spread: Float, _ rng: inout SeededGenerator) -> (Tensor, Tensor) {
        var p = Tensor(shape: [n, 4]), t = Tensor(shape: [n, 4])
        for i in 0..<n {
            let x = rng.uniform(0...10), y = rng.uniform(0...10), w = rng.uniform(0.5...5), h = rng.uniform(0.5...5)
            let dx = rng.normal(Double(spread)), dy = rng.normal(Double(spread))
            let sw = rng.uniform(0.5...1.6), sh = rng.uniform(0.5...1.6)
            p.data.replaceSubrange((4 * i)..<(4 * i + 4), with: [x, y, x + w, y + h])
            t.data.replaceSubrange((4 * i)..<(4 * i + 4), with: [x + dx, y + dy, x + dx + w * sw, y + dy + h * sh])
        }
        return (p, t)
    }

    static func scenarios(_ id: String, _ rng: inout SeededGenerator) throws -> [LossCase] {
        // The CIoU gradient holds α constant (torch.no_grad), so it is not ∂ of the value the
        // reference computes: BoxLossTests checks it against differences with α frozen.
        let gradient = id != "ciou"
        let (p, t) = boxes(6, spread: 1.5, &rng)
        let (far, farTarget) = boxes(4, spread: 12, &rng)
        let nested = try Tensor(shape: [3, 4], data: [1, 1, 2.5, 2, 0, 0.5, 6, 4.25, 2.5, 2, 3, 5])
        let around = try Tensor(shape: [3, 4], data: [0.25, 0.5, 4, 3.75, 1.5, 1, 2, 3.5, 1, 1.5, 4.5, 6])
        return [
            LossCase(id: id, scenario: "random pairs", input: p, target: t, parameters: [:], checkGradient: gradient),
            LossCase(id: id, scenario: "far apart", input: far, target: farTarget, parameters: [:], checkGradient: gradient),
            LossCase(id: id, scenario: "nested", input: nested, target: around, parameters: [:], checkGradient: gradient),
            LossCase(id: id, scenario: "one box [4]", input: try Tensor(shape: [4], data: Array(p.data[0..<4])),
                     target: try Tensor(shape: [4], data: Array(t.data[0..<4])), parameters: [:], checkGradient: gradient),
            LossCase(id: id, scenario: "random pairs, mean", input: p, target: t, parameters: ["reduction": .string("mean")],
                     checkGradient: gradient),
        ]
    }
}
