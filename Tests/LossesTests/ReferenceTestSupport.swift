import Foundation
import LossReference
import Losses
import XCTest

// Shared machinery of the Reference* and Peer* tests: conversions between `Losses` and
// `LossReference` types, a seeded generator, the input scenarios and parameter grid every
// catalog id is checked on, and the tolerance rules (stated once, here).

// MARK: - Conversions

extension RefArray {
    init(_ tensor: Tensor) {
        self = RefArray(shape: tensor.shape, repeating: 0)
        data = tensor.data.map(Double.init)
    }
}

extension RefParameter {
    init(_ value: ParameterValue) {
        switch value {
        case let .number(x): self = .number(x)
        case let .bool(b): self = .bool(b)
        case let .string(s): self = .string(s)
        case let .numbers(xs): self = .numbers(xs)
        }
    }
}

/// The catalog's validated parameters (defaults filled in), as the reference takes them.
func referenceParameters(_ id: String, _ values: [String: ParameterValue]) throws -> [String: RefParameter] {
    let parameters = try Catalog.validate(values, against: try Catalog.descriptor(for: id))
    return parameters.values.mapValues(RefParameter.init)
}

// MARK: - Seeded numbers

/// SplitMix64: small, seedable, the same sequence on every platform.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A normal deviate (Box–Muller), rounded to a Float.
    mutating func normal(_ sigma: Double = 1) -> Float {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
        return Float(sigma * (-2 * log(u)).squareRoot() * cos(2 * .pi * v))
    }

    mutating func uniform(_ range: ClosedRange<Float>) -> Float { Float.random(in: range, using: &self) }
    mutating func integer(_ upper: Int) -> Int { Int.random(in: 0..<upper, using: &self) }
}

// MARK: - Tolerances

/// How close two results must be.
///
/// Values: `|ours − reference| ≤ rtol·|reference| + atol·max(1, max|reference|)` element-wise,
/// rtol = 1e-5, atol = 1e-6. `Losses` stores Float (ε = 1.19e-7) and accumulates in Double, so a
/// value carries a few ulps of relative error (≈ 1e-6 at worst after a softmax/log and a
/// division); 1e-5 is the acceptance criterion and leaves ×10 headroom. The absolute
/// part covers losses that are differences of O(1) numbers (1 − Dice near 0), where Float
/// rounding of the O(1) terms is ≈ 1e-7 absolute.
///
/// Gradients: `|ours − fd| ≤ 1e-3·|fd| + 1e-5·max(max|fd|, 1e-3)` element-wise, fd the central
/// difference of the Double reference (`ReferenceLosses.finiteDifferenceGradient`, step 1e-5:
/// truncation O(h²) ≈ 1e-10, rounding ≈ 1e-16·|f|/h ≈ 1e-11·|f|). The analytic gradient is a Float
/// computed through a softmax/sigmoid backward whose terms cancel (p_c − y_c), so an element
/// is exact only to ≈ 1e-6 of the largest element: 1e-5 of the largest is the absolute
/// tolerance. A sign error, a missing factor or a wrong term moves an element far more.
enum Tolerance {
    static let valueRelative = 1e-5
    static let valueAbsolute = 1e-6
    static let gradientRelative = 1e-3
    static let gradientAbsolute = 1e-5

    /// The first element that differs beyond the value tolerance, described; `nil` if all agree.
    static func valueMismatch(_ ours: [Double], _ expected: [Double], rtol: Double = valueRelative,
                              atol: Double = valueAbsolute) -> String? {
        guard ours.count == expected.count else { return "\(ours.count) values, expected \(expected.count)" }
        let scale = max(1, expected.map(abs).max() ?? 0)
        for i in expected.indices {
            let e = expected[i], o = ours[i]
            if e.isNaN && o.isNaN { continue }
            if e.isInfinite && o == e { continue }
            if !(abs(o - e) <= rtol * abs(e) + atol * scale) {
                return "element \(i): \(o) vs expected \(e) (|Δ| = \(abs(o - e)))"
            }
        }
        return nil
    }

    /// As `valueMismatch`, for gradients against a finite-difference or peer gradient.
    /// `skip` marks elements whose finite difference is unreliable (a kink within the step).
    static func gradientMismatch(_ ours: [Double], _ expected: [Double], skip: [Bool]? = nil,
                                 rtol: Double = gradientRelative, atol: Double = gradientAbsolute) -> String? {
        guard ours.count == expected.count else { return "\(ours.count) gradient elements, expected \(expected.count)" }
        let scale = max(expected.map(abs).max() ?? 0, 1e-3)
        for i in expected.indices where !(skip?[i] ?? false) {
            let e = expected[i], o = ours[i]
            if !(abs(o - e) <= rtol * abs(e) + atol * scale) {
                return "element \(i): \(o) vs expected \(e) (|Δ| = \(abs(o - e)), tolerance \(rtol * abs(e) + atol * scale))"
            }
        }
        return nil
    }
}

/// Central differences of the reference with a kink detector: an element whose one-sided
/// differences disagree by more than 1 % of the largest gradient element sits within the
/// step of a kink or jump (hinge, Top-K selection, thresholded distance map) and is marked.
func finiteDifferences(_ id: String, input: RefArray, target: RefArray?,
                       parameters: [String: RefParameter], step h: Double = 1e-5) throws -> (gradient: [Double], kink: [Bool]) {
    let f0 = try ReferenceLosses.value(id: id, input: input, target: target, parameters: parameters).data.reduce(0, +)
    var shifted = input
    var forward = [Double](repeating: 0, count: input.count), backward = forward
    for i in 0..<input.count {
        shifted.data[i] = input.data[i] + h
        let up = try ReferenceLosses.value(id: id, input: shifted, target: target, parameters: parameters).data.reduce(0, +)
        shifted.data[i] = input.data[i] - h
        let down = try ReferenceLosses.value(id: id, input: shifted, target: target, parameters: parameters).data.reduce(0, +)
        shifted.data[i] = input.data[i]
        forward[i] = (up - f0) / h
        backward[i] = (f0 - down) / h
    }
    let central = zip(forward, backward).map { ($0 + $1) / 2 }
    let scale = max(central.map(abs).max() ?? 0, 1e-3)
    let kink = zip(forward, backward).map { abs($0 - $1) > 1e-2 * scale || !$0.isFinite || !$1.isFinite }
    return (central, kink)
}

// MARK: - Cases

/// One input on which a loss is checked.
struct LossCase: CustomStringConvertible {
    var id: String
    var scenario: String
    var input: Tensor
    var target: Tensor?
    var parameters: [String: ParameterValue]
    /// False where the finite difference is meaningless (probabilities of exactly 0 or 1,
    /// where a step leaves [0, 1]).
    var checkGradient = true
    /// The parameter this case varies from its default, if any.
    var varied: String? = nil

    var description: String {
        let p = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(id) [\(scenario)] {\(p)}"
    }
}

/// The inputs and parameter grid of every catalog id.
enum ReferenceCases {
    /// How a loss takes its input, decided from the id and the descriptor. `nil`: no generator
    /// (a new id must be given one, and the coverage test fails until it is).
    enum InputKind { case regression, margin, klDivergence, binaryCrossEntropy, perceptual, regularizer, classScores, torchNN, boxes, binaryLogits, images, binaryProbabilities }

    static func kind(of descriptor: LossDescriptor) -> InputKind? {
        if TorchNNCases.ids.contains(descriptor.id) { return .torchNN }
        if descriptor.category == .detection { return .boxes }
        switch descriptor.id {
        case "kl-divergence": return .klDivergence
        case "binary-cross-entropy": return .binaryCrossEntropy
        case "perceptual": return .perceptual
        case "lovasz-hinge": return .binaryLogits
        case "ssim": return .images
        case "unified-focal": return .binaryProbabilities
        default: break
        }
        if descriptor.parameters.contains(where: { $0.name == "activation" || $0.name == "ignore_index" }) {
            return .classScores
        }
        switch descriptor.category {
        case .regression: return .regression
        case .classification: return .margin
        case .regularization: return .regularizer
        case .distribution, .region, .boundary, .compound: return .classScores
        case .detection: return .boxes
        }
    }

    static let batch = 2, classes = 3, height = 4, width = 4

    /// Every case of one id: each input scenario with the default parameters, then each
    /// parameter varied alone (on the first scenario). Reductions are varied by the tests.
    static func cases(for id: String, seed: UInt64 = 1) throws -> [LossCase] {
        let descriptor = try Catalog.descriptor(for: id)
        guard let kind = kind(of: descriptor) else { return [] }
        var rng = SeededGenerator(seed: seed &+ UInt64(truncatingIfNeeded: id.hashValueStable))
        let scenarios = try self.scenarios(kind, descriptor, &rng)
        var out = scenarios
        guard let base = scenarios.first else { return out }
        for spec in descriptor.parameters where spec.name != "reduction" && spec.name != "activation" {
            for value in TorchNNCases.alternatives(spec, id: id) ?? BoxCases.alternatives(spec, id: id)
                ?? SegmentationExtrasCases.alternatives(spec, id: id) ?? alternatives(spec, kind: kind, input: base.input) {
                var c = base
                c.scenario = "\(base.scenario), \(spec.name)=\(value)"
                c.parameters[spec.name] = value
                c.varied = spec.name
                if spec.name == "ignore_index", case let .number(label) = value, var target = c.target,
                   target.shape != c.input.shape {
                    // Make the new ignore value occur: a few labels become it.
                    for i in stride(from: 0, to: target.count, by: 5) { target.data[i] = Float(label) }
                    c.target = target
                }
                out.append(c)
            }
        }
        return out
    }

    /// Values other than the default for one parameter, inside its range.
    static func alternatives(_ spec: ParameterSpec, kind: InputKind, input: Tensor) -> [ParameterValue] {
        // SSIM: the input's rank fixes spatial_dims; windows that fit the 12 × 13 images.
        if kind == .images && spec.name == "spatial_dims" { return [] }
        if kind == .images && spec.name == "win_size" { return [.number(3), .number(7)] }
        switch spec.kind {
        case .bool:
            if case let .bool(b) = spec.defaultValue { return [.bool(!b)] }
            return [.bool(true)]
        case let .choice(options):
            return options.filter { .string($0) != spec.defaultValue }.map { .string($0) }
        case let .number(min, max, minOpen, maxOpen):
            let d: Double = { if case let .number(x) = spec.defaultValue { return x } else { return 0 } }()
            let candidates = [d * 0.5, d * 1.7, 0.3, 0.75, 1.5, 2.5, 0.05]
            let inRange = candidates.filter { x in
                x != d && (min.map { minOpen ? x > $0 : x >= $0 } ?? true) && (max.map { maxOpen ? x < $0 : x <= $0 } ?? true)
            }
            return Array(inRange.prefix(2)).map { .number($0) }
        case let .integer(min, max):
            let d: Int = { if case let .number(x) = spec.defaultValue { return Int(x) } else { return 0 } }()
            let candidates = spec.name == "ignore_index" ? [1, 255] : [d * 2, d / 2, 1, 3, 50]
            return Array(candidates.filter { $0 != d && $0 >= (min ?? .min) && $0 <= (max ?? .max) }.prefix(2))
                .map { .number(Double($0)) }
        case .numbers where spec.name == "spacing":
            // One step per spatial axis, and one step for every axis.
            return [.numbers([0.5, 2.0]), .numbers([1.5])]
        case let .numbers(min, _):
            // One value per channel of the input (axis 1), or the filter-bank weights.
            let count = spec.name == "layer_weights" ? 4 : (input.rank >= 2 ? input.shape[1] : 1)
            let pattern: [Double] = spec.name == "layer_weights" ? [0.5, 2, 0, 1] : [0.5, 1, 2, 0.25, 1.5]
            var list = (0..<count).map { pattern[$0 % pattern.count] }
            if let lo = min { list = list.map { Swift.max($0, lo) } }
            var out: [ParameterValue] = [.numbers(list)]
            if spec.name != "layer_weights" { out.append(.numbers([0.7])) }
            return out
        }
    }

    // MARK: Scenarios

    static func tensor(_ shape: [Int], _ make: () -> Float) -> Tensor {
        var t = Tensor(shape: shape)
        for i in 0..<t.count { t.data[i] = make() }
        return t
    }

    static func scenarios(_ kind: InputKind, _ d: LossDescriptor, _ rng: inout SeededGenerator) throws -> [LossCase] {
        let id = d.id
        switch kind {
        case .regression:
            let shape = [3, 4, 5]
            return [
                LossCase(id: id, scenario: "random", input: tensor(shape) { rng.normal(1.5) },
                         target: tensor(shape) { rng.normal(1.5) }, parameters: [:]),
                LossCase(id: id, scenario: "large", input: tensor(shape) { rng.normal(40) },
                         target: tensor(shape) { rng.normal(1) }, parameters: [:]),
            ]
        case .margin:
            let shape = [4, 6]
            let y = tensor(shape) { rng.integer(2) == 0 ? -1 : 1 }
            var extreme = tensor(shape) { rng.normal(2) }
            for i in 0..<6 { extreme.data[i] = [1000, -1000, 50, -50, 30, -30][i] }
            return [
                LossCase(id: id, scenario: "random", input: tensor(shape) { rng.normal(1.5) }, target: y, parameters: [:]),
                LossCase(id: id, scenario: "extreme ±1000", input: extreme, target: y, parameters: [:],
                         checkGradient: id != "exponential"),
            ]
        case .klDivergence:
            let shape = [3, 5]
            var logQ = tensor(shape) { rng.normal(1) }, p = tensor(shape) { rng.uniform(0.01...1) }
            for r in 0..<3 {
                let lse = log((0..<5).map { exp(Double(logQ.data[r * 5 + $0])) }.reduce(0, +))
                let z = (0..<5).map { Double(p.data[r * 5 + $0]) }.reduce(0, +)
                for c in 0..<5 {
                    logQ.data[r * 5 + c] = Float(Double(logQ.data[r * 5 + c]) - lse)
                    p.data[r * 5 + c] = Float(Double(p.data[r * 5 + c]) / z)
                }
            }
            var zeros = p
            zeros.data[1] = 0
            var logP = p
            logP.data = p.data.map { log($0) }
            return [
                LossCase(id: id, scenario: "random", input: logQ, target: p, parameters: [:]),
                LossCase(id: id, scenario: "zero target", input: logQ, target: zeros, parameters: [:]),
                LossCase(id: id, scenario: "log target", input: logQ, target: logP, parameters: ["log_target": .bool(true)]),
            ]
        case .binaryCrossEntropy:
            let shape = [4, 3, 2]
            var x = tensor(shape) { rng.normal(3) }
            for i in 0..<6 { x.data[i] = [1000, -1000, 0, -1000, 1000, 100][i] }
            let hard = tensor(shape) { Float(rng.integer(2)) }, soft = tensor(shape) { rng.uniform(0...1) }
            var probabilities = tensor(shape) { rng.uniform(0.02...0.98) }
            var exact = probabilities
            for i in 0..<4 { exact.data[i] = [0, 1, 0, 1][i] }
            probabilities.data[0] = 0.5
            return [
                LossCase(id: id, scenario: "logits, soft targets", input: tensor(shape) { rng.normal(2) }, target: soft, parameters: [:]),
                LossCase(id: id, scenario: "extreme logits", input: x, target: hard, parameters: [:]),
                LossCase(id: id, scenario: "probabilities", input: probabilities, target: soft,
                         parameters: ["activation": .string("none")]),
                LossCase(id: id, scenario: "probabilities 0 and 1", input: exact, target: hard,
                         parameters: ["activation": .string("none")], checkGradient: false),
            ]
        case .perceptual:
            let shape = [2, 2, 5, 6]
            return [LossCase(id: id, scenario: "random", input: tensor(shape) { rng.normal(1) },
                             target: tensor(shape) { rng.normal(1) }, parameters: [:])]
        case .regularizer:
            return [LossCase(id: id, scenario: "random", input: tensor([3, 7]) { rng.normal(1.5) }, target: nil, parameters: [:])]
        case .classScores:
            return SegmentationExtrasCases.adapt(id, try classScoreScenarios(d, &rng), &rng)
        case .torchNN:
            return try TorchNNCases.scenarios(id, &rng)
        case .boxes:
            return try BoxCases.scenarios(id, &rng)
        case .images:
            // Images [N, C, H, W] in [0, 1] and a noisy target; a constant target.
            let shape = [batch, 2, 12, 13]
            let x = tensor(shape) { rng.uniform(0...1) }
            var y = x
            for i in 0..<y.count { y.data[i] = min(1, max(0, y.data[i] + rng.normal(0.15))) }
            return [
                LossCase(id: id, scenario: "noisy target", input: x, target: y, parameters: [:]),
                LossCase(id: id, scenario: "constant target", input: x, target: Tensor(shape: shape, repeating: 0.5), parameters: [:]),
            ]
        case .binaryProbabilities:
            // Probabilities inside MONAI's clamp: one channel with 0/1 maps (sample 1 without
            // foreground), and two dense channels.
            var map = tensor([batch, 1, height, width]) { Float(rng.integer(2)) }
            for s in 0..<(height * width) { map.data[height * width + s] = 0 }
            var twoChannels = tensor([batch, 2, height, width]) { 0 }
            for n in 0..<batch {
                for s in 0..<(height * width) {
                    let fore = Float(rng.integer(2))
                    twoChannels.data[(2 * n) * height * width + s] = 1 - fore
                    twoChannels.data[(2 * n + 1) * height * width + s] = fore
                }
            }
            return [
                LossCase(id: id, scenario: "one channel", input: tensor([batch, 1, height, width]) { rng.uniform(0.02...0.98) },
                         target: map, parameters: [:]),
                LossCase(id: id, scenario: "two channels", input: tensor([batch, 2, height, width]) { rng.uniform(0.02...0.98) },
                         target: twoChannels, parameters: [:]),
            ]
        case .binaryLogits:
            // Logits [N, 1, H, W] and 0/1 labels; sample 1 without foreground.
            let shape = [batch, 1, height, width]
            var labels = tensor([batch, height, width]) { Float(rng.integer(2)) }
            for s in 0..<(height * width) { labels.data[height * width + s] = 0 }
            var extreme = tensor(shape) { rng.normal(2) }
            // Distinct hinge errors whatever the labels (a tie of errors is a kink of the Lovász extension).
            for i in 0..<4 { extreme.data[i] = [1000, -999, 30, -31][i] }
            return [
                LossCase(id: id, scenario: "labels", input: tensor(shape) { rng.normal(2) }, target: labels, parameters: [:]),
                LossCase(id: id, scenario: "extreme logits", input: extreme, target: labels, parameters: [:]),
                LossCase(id: id, scenario: "channel-shaped target", input: tensor(shape) { rng.normal(1) },
                         target: try labels.reshaped(shape), parameters: [:]),
            ]
        }
    }

    static func classScoreScenarios(_ d: LossDescriptor, _ rng: inout SeededGenerator) throws -> [LossCase] {
        let id = d.id
        let shape = [batch, classes, height, width]
        let spatial = height * width
        var labels = tensor([batch, height, width]) { Float(rng.integer(classes)) }
        // Sample 1 has no class 2 at all: an empty foreground.
        for s in 0..<spatial where labels.data[spatial + s] == 2 { labels.data[spatial + s] = 1 }
        let logits = tensor(shape) { rng.normal(2) }
        var extreme = logits
        // Position (0, 0, 0): confident and right; (0, 0, 1): confident and wrong; (1, 1, 1): a tie.
        labels.data[0] = 0
        labels.data[1] = 2
        for c in 0..<classes {
            extreme.data[(0 * classes + c) * spatial + 0] = [1000, -1000, 0][c]
            extreme.data[(0 * classes + c) * spatial + 1] = [1000, -1000, -1000][c]
            extreme.data[(1 * classes + c) * spatial + 5] = [1000, 1000, -1000][c]
        }
        var dense = Tensor(shape: shape)
        for n in 0..<batch {
            for s in 0..<spatial { dense.data[(n * classes + Int(labels.data[n * spatial + s])) * spatial + s] = 1 }
        }
        var out = [
            LossCase(id: id, scenario: "labels", input: logits, target: labels, parameters: [:]),
            LossCase(id: id, scenario: "extreme logits", input: extreme, target: labels, parameters: [:]),
            LossCase(id: id, scenario: "one-hot target", input: logits, target: dense, parameters: [:]),
        ]
        let activation = d.parameters.first { $0.name == "activation" }
        let options: [String] = { if case let .choice(o)? = activation?.kind { return o } else { return [] } }()
        if options.contains("sigmoid") {
            let multi = tensor(shape) { Float(rng.integer(2)) }
            out.append(LossCase(id: id, scenario: "sigmoid, multi-label", input: logits, target: multi,
                                parameters: ["activation": .string("sigmoid")]))
            // Binary segmentation: one channel of logits and its 0/1 map, one sample empty.
            var binaryLogits = tensor([batch, 1, height, width]) { rng.normal(2) }
            binaryLogits.data[0] = 1000
            binaryLogits.data[1] = -1000
            var binaryTarget = tensor([batch, 1, height, width]) { Float(rng.integer(2)) }
            for s in 0..<spatial { binaryTarget.data[spatial + s] = 0 }
            out.append(LossCase(id: id, scenario: "one channel, sigmoid", input: binaryLogits, target: binaryTarget,
                                parameters: ["activation": .string("sigmoid")]))
        }
        if options.contains("none") {
            var p = Tensor(shape: shape)
            var exact = Tensor(shape: shape)
            for n in 0..<batch {
                for s in 0..<spatial {
                    let raw = (0..<classes).map { _ in rng.uniform(0.1...1) }
                    let z = raw.reduce(0, +)
                    for c in 0..<classes {
                        p.data[(n * classes + c) * spatial + s] = raw[c] / z
                        exact.data[(n * classes + c) * spatial + s] = s % 3 == 0 ? (c == s % classes ? 1 : 0) : raw[c] / z
                    }
                }
            }
            out.append(LossCase(id: id, scenario: "probabilities", input: p, target: labels,
                                parameters: ["activation": .string("none")]))
            out.append(LossCase(id: id, scenario: "probabilities with 0 and 1", input: exact, target: labels,
                                parameters: ["activation": .string("none")], checkGradient: false))
        }
        if d.parameters.contains(where: { $0.name == "ignore_index" }) {
            var ignored = labels
            let value: Float = {
                if case let .number(x)? = d.parameters.first(where: { $0.name == "ignore_index" })?.defaultValue { return Float(x) }
                return -100
            }()
            for i in stride(from: 2, to: ignored.count, by: 4) { ignored.data[i] = value }
            out.append(LossCase(id: id, scenario: "ignored labels", input: logits, target: ignored, parameters: [:]))
        }
        if d.parameters.contains(where: { $0.name == "ignore_index" }) {
            var none = labels
            for i in 0..<none.count { none.data[i] = -100 }
            if case let .number(x)? = d.parameters.first(where: { $0.name == "ignore_index" })?.defaultValue {
                for i in 0..<none.count { none.data[i] = Float(x) }
            }
            out.append(LossCase(id: id, scenario: "every label ignored", input: logits, target: none, parameters: [:]))
        }
        // Every position background: the foreground classes are empty in every sample.
        out.append(LossCase(id: id, scenario: "background only", input: logits, target: Tensor(shape: labels.shape), parameters: [:]))
        if d.parameters.contains(where: { $0.name == "label_smoothing" }) {
            out.append(LossCase(id: id, scenario: "label smoothing", input: extreme, target: labels,
                                parameters: ["label_smoothing": .number(0.1)]))
        }
        return out
    }
}

extension String {
    /// A hash that is the same in every run (Swift's `hashValue` is seeded per process).
    var hashValueStable: UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }
}

/// The ids a run checks: all catalog ids, or those in `LOSSBOOK_IDS` (comma-separated) while
/// developing one loss.
var idsUnderTest: [String] {
    if let only = ProcessInfo.processInfo.environment["LOSSBOOK_IDS"], !only.isEmpty {
        return only.split(separator: ",").map(String.init)
    }
    return Catalog.ids
}

/// The reductions a loss accepts (its `reduction` choices).
func reductions(of id: String) throws -> [String] {
    let spec = try Catalog.descriptor(for: id).parameters.first { $0.name == "reduction" }
    if case let .choice(options)? = spec?.kind { return options }
    return []
}
