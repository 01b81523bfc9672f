import Foundation
import Losses

/// Input scenarios of the `torch.nn` losses of issue 17 for the reference and finite-difference
/// tests (`ReferenceLossTests`): each loss takes its own layout (stacked pairs and triplets,
/// concatenated mean and variance, CTC's log-probabilities and lengths).
enum TorchNNCases {
    static let ids: Set<String> = [
        "nll", "poisson-nll", "gaussian-nll", "margin-ranking", "hinge-embedding", "multilabel-margin",
        "multilabel-soft-margin", "cosine-embedding", "multi-margin", "triplet-margin", "ctc",
    ]

    /// Values the generic grid cannot guess (lengths are whole numbers, one per sample).
    static func alternatives(_ spec: ParameterSpec, id: String) -> [ParameterValue]? {
        switch (id, spec.name) {
        case ("ctc", "input_lengths"): return [.numbers([6, 4])]
        case ("ctc", "target_lengths"): return [.numbers([3, 0])]
        case ("ctc", "blank"): return [.number(3)]
        default: return nil
        }
    }

    static func tensor(_ shape: [Int], _ make: () -> Float) -> Tensor {
        var t = Tensor(shape: shape)
        for i in 0..<t.count { t.data[i] = make() }
        return t
    }

    /// [T, N, C] log-probabilities (normalised per (t, n)).
    static func logProbabilities(_ T: Int, _ N: Int, _ C: Int, _ rng: inout SeededGenerator) -> Tensor {
        var x = tensor([T, N, C]) { rng.normal(1.5) }
        for row in 0..<(T * N) {
            let slice = (0..<C).map { Double(x.data[row * C + $0]) }
            let m = slice.max()!, lse = m + log(slice.map { exp($0 - m) }.reduce(0, +))
            for c in 0..<C { x.data[row * C + c] = Float(slice[c] - lse) }
        }
        return x
    }

    static func scenarios(_ id: String, _ rng: inout SeededGenerator) throws -> [LossCase] {
        func signs(_ shape: [Int]) -> Tensor { tensor(shape) { rng.integer(2) == 0 ? -1 : 1 } }
        switch id {
        case "nll":
            let x = tensor([2, 3, 2, 3]) { rng.normal(2) }
            let labels = tensor([2, 2, 3]) { Float(rng.integer(3)) }
            var ignored = labels
            for i in stride(from: 0, to: ignored.count, by: 3) { ignored.data[i] = -100 }
            return [
                LossCase(id: id, scenario: "[N, C, H, W]", input: x, target: labels, parameters: [:]),
                LossCase(id: id, scenario: "[N, C]", input: tensor([5, 4]) { rng.normal(2) },
                         target: tensor([5]) { Float(rng.integer(4)) }, parameters: [:]),
                LossCase(id: id, scenario: "[C] unbatched", input: tensor([4]) { rng.normal(2) }, target: Tensor(scalar: 2), parameters: [:]),
                LossCase(id: id, scenario: "ignored labels", input: x, target: ignored, parameters: [:]),
                LossCase(id: id, scenario: "every label ignored", input: x, target: Tensor(shape: [2, 2, 3], repeating: -100), parameters: [:]),
            ]
        case "poisson-nll":
            let shape = [3, 5]
            let counts = tensor(shape) { Float(rng.integer(6)) }
            return [
                LossCase(id: id, scenario: "rates", input: tensor(shape) { rng.uniform(0.1...3) }, target: counts, parameters: [:]),
                LossCase(id: id, scenario: "full", input: tensor(shape) { rng.normal(1) }, target: counts, parameters: ["full": .bool(true)]),
                LossCase(id: id, scenario: "rates, log_input false, full", input: tensor(shape) { rng.uniform(0.1...3) }, target: counts,
                         parameters: ["log_input": .bool(false), "full": .bool(true)]),
            ]
        case "gaussian-nll":
            let mean = tensor([3, 4]) { rng.normal(1) }, variance = tensor([3, 4]) { rng.uniform(0.2...2) }
            let y = tensor([3, 4]) { rng.normal(1) }
            func cat(_ a: Tensor, _ b: Tensor, _ D: Int, _ Dv: Int) -> Tensor {
                var out = Tensor(shape: [3, D + Dv])
                for r in 0..<3 {
                    for d in 0..<D { out.data[r * (D + Dv) + d] = a.data[r * D + d] }
                    for d in 0..<Dv { out.data[r * (D + Dv) + D + d] = b.data[r * 4 + d] }
                }
                return out
            }
            var tiny = cat(mean, variance, 4, 4)
            tiny.data[4] = 1e-9
            tiny.data[5] = 0
            return [
                LossCase(id: id, scenario: "var per element", input: cat(mean, variance, 4, 4), target: y, parameters: [:]),
                LossCase(id: id, scenario: "var per row", input: cat(mean, variance, 4, 1), target: y, parameters: [:]),
                LossCase(id: id, scenario: "full", input: cat(mean, variance, 4, 4), target: y, parameters: ["full": .bool(true)]),
                // Below eps the value is clamped; the gradient is torch's straight-through one (PeerGoldenTests).
                LossCase(id: id, scenario: "var below eps", input: tiny, target: y, parameters: [:], checkGradient: false),
            ]
        case "margin-ranking":
            var pairs = tensor([2, 6]) { rng.normal(1.5) }
            pairs.data[6] = pairs.data[0] + 3  // well separated
            return [
                LossCase(id: id, scenario: "random", input: pairs, target: signs([6]), parameters: [:]),
                LossCase(id: id, scenario: "margin 0.5", input: tensor([2, 6]) { rng.normal(1.5) }, target: signs([6]),
                         parameters: ["margin": .number(0.5)]),
            ]
        case "hinge-embedding":
            let shape = [4, 5]
            return [
                LossCase(id: id, scenario: "distances", input: tensor(shape) { rng.uniform(0...2.5) }, target: signs(shape), parameters: [:]),
                LossCase(id: id, scenario: "margin 0", input: tensor(shape) { rng.uniform(0.1...2.5) }, target: signs(shape),
                         parameters: ["margin": .number(0)]),
            ]
        case "multilabel-margin":
            let x = tensor([3, 5]) { rng.normal(1) }
            let y = try Tensor(shape: [3, 5], data: [3, 0, -1, 1, 4, 2, -1, 0, 0, 0, 0, 1, 2, 3, 4])
            return [
                LossCase(id: id, scenario: "-1 terminated", input: x, target: y, parameters: [:]),
                LossCase(id: id, scenario: "[C] unbatched", input: tensor([4]) { rng.normal(1) },
                         target: try Tensor(shape: [4], data: [1, -1, 0, 0]), parameters: [:]),
            ]
        case "multilabel-soft-margin":
            var x = tensor([4, 3]) { rng.normal(2) }
            x.data[0] = 1000
            x.data[1] = -1000
            return [
                LossCase(id: id, scenario: "random", input: tensor([4, 3]) { rng.normal(2) }, target: tensor([4, 3]) { Float(rng.integer(2)) },
                         parameters: [:]),
                LossCase(id: id, scenario: "extreme logits", input: x, target: tensor([4, 3]) { Float(rng.integer(2)) }, parameters: [:]),
            ]
        case "cosine-embedding":
            var zero = tensor([2, 4, 3]) { rng.normal(1) }
            for d in 0..<3 { zero.data[d] = 0 }
            return [
                LossCase(id: id, scenario: "random", input: tensor([2, 5, 3]) { rng.normal(1) }, target: signs([5]), parameters: [:]),
                LossCase(id: id, scenario: "margin 0.3", input: tensor([2, 5, 3]) { rng.normal(1) }, target: signs([5]),
                         parameters: ["margin": .number(0.3)]),
                // cos changes on a scale of √ε = 1e-6 around a zero vector: no finite difference (the peer checks it).
                LossCase(id: id, scenario: "zero vector", input: zero, target: try Tensor(shape: [4], data: [1, -1, 1, -1]), parameters: [:],
                         checkGradient: false),
            ]
        case "multi-margin":
            return [
                LossCase(id: id, scenario: "random", input: tensor([5, 4]) { rng.normal(1) }, target: tensor([5]) { Float(rng.integer(4)) },
                         parameters: [:]),
                LossCase(id: id, scenario: "p 2", input: tensor([5, 4]) { rng.normal(1) }, target: tensor([5]) { Float(rng.integer(4)) },
                         parameters: ["p": .number(2)]),
            ]
        case "triplet-margin":
            return [
                LossCase(id: id, scenario: "random", input: tensor([3, 5, 4]) { rng.normal(1) }, target: nil, parameters: [:]),
                LossCase(id: id, scenario: "swap, p 1", input: tensor([3, 5, 4]) { rng.normal(1) }, target: nil,
                         parameters: ["swap": .bool(true), "p": .number(1)]),
                LossCase(id: id, scenario: "unbatched", input: tensor([3, 4]) { rng.normal(1) }, target: nil, parameters: ["margin": .number(3)]),
            ]
        case "ctc":
            // The gradient is PyTorch's exp(x) − γ, not ∂/∂x: checked in TorchNNLossTests instead.
            let x = logProbabilities(6, 2, 5, &rng)
            let y = try Tensor(shape: [2, 3], data: [1, 2, 2, 3, 1, 4])
            return [
                LossCase(id: id, scenario: "padded", input: x, target: y, parameters: [:], checkGradient: false),
                LossCase(id: id, scenario: "lengths", input: x, target: y,
                         parameters: ["input_lengths": .numbers([5, 6]), "target_lengths": .numbers([2, 3])], checkGradient: false),
                LossCase(id: id, scenario: "concatenated", input: x, target: try Tensor(shape: [4], data: [1, 2, 3, 4]),
                         parameters: ["target_lengths": .numbers([1, 3])], checkGradient: false),
            ]
        default:
            return []
        }
    }
}
