import Foundation
import LossFormulas
import Losses

/// What probing a loss numerically shows, for its reference page and the properties table of the
/// notes (`loss-properties`): the range of the values seen, the value at a perfect prediction,
/// symmetry where it means something, convexity along random segments, the largest gradient seen,
/// and the value on an empty target.
///
/// Every field is evidence of a stated strength, never a theorem: a range is what the probes gave;
/// "no counterexample in N segments" is all a search that found none can say; a counterexample is
/// a proof of non-convexity, and is shown only once the Float64 reference (`LossReference`)
/// reproduces it, so `Float` rounding cannot fake one.
///
/// The probes are the loss's reference-page inputs (`ProbeVariable` of its `ProbeFamily`, which
/// every catalog loss has) at random values of the variable, perturbed in every input element,
/// stacked along the batch axis where the loss allows it; drawn from a seed made from the id, so
/// a build is reproducible. The loss runs with its default parameters (plus what its probe needs,
/// e.g. `activation: none` for probabilities).
struct LossProperties: Sendable, Codable, Equatable {
    var id: String
    /// The probe variable (`ProbeVariable.rawValue`).
    var variable: String
    /// Random probes evaluated (value and gradient).
    var probes: Int
    var range: ObservedRange
    var perfect: Perfect?
    var symmetry: Symmetry?
    var convexity: Convexity
    var gradient: GradientBound?
    var emptyTarget: EmptyTarget?

    struct ObservedRange: Sendable, Codable, Equatable {
        var min: Double
        var max: Double
        /// Evaluations that gave ±∞ or NaN (not in min/max).
        var nonFinite: Int
    }

    /// The value where the prediction equals the target (or, for scores, is confidently right).
    struct Perfect: Sendable, Codable, Equatable {
        var value: Double
        /// Where, in TeX (`r = 0`, `z_t = 20`).
        var at: String
    }

    enum Symmetry: Sendable, Codable, Equatable {
        /// L(x, y) against L(y, x) (for KL divergence, the two distributions swapped).
        case swap(probes: Int, maxDifference: Double, value: Double, swapped: Double)
        /// A hard prediction missing `pixels` foreground pixels (U) against one with `pixels` extra (O).
        case underOver(pixels: Int, under: Double, over: Double)
    }

    struct Convexity: Sendable, Codable, Equatable {
        /// Segments searched (up to and including the one with the counterexample).
        var segments: Int
        var counterexample: Segment?
    }

    /// L at `a + t (b − a)` above the chord: a proof that the loss is not convex in its input.
    struct Segment: Sendable, Codable, Equatable {
        var t: Double
        var start: Double
        var end: Double
        var between: Double
        /// `(1 − t) L(a) + t L(b)`.
        var chord: Double
        /// The end points and their target, when short enough to print (≤ 8 elements).
        var startInput: [Double]?
        var endInput: [Double]?
        var target: [Double]?
    }

    struct GradientBound: Sendable, Codable, Equatable {
        /// max |∂L/∂x_i| on the random probes.
        var near: Double
        /// The same on far probes: inputs × 100, or probabilities within 10⁻⁶ of 0 or 1.
        var far: Double?
    }

    struct EmptyTarget: Sendable, Codable, Equatable {
        /// Nothing predicted either.
        var predictedEmpty: Double
        /// One false-positive pixel.
        var falsePositive: Double
    }

    static let probeCount = 32
    static let segmentCount = 32
    static let farProbeCount = 12
    /// Samples stacked along the batch axis in one probe (where the loss takes a batch).
    static let stack = 6
    /// A counterexample must clear the chord by this much of max(1, |L(a)|, |L(b)|) in `Float`
    /// (far above its rounding), and by 1e-9 of it in the Float64 reference.
    static let convexityMargin = 1e-4
    /// Swapping prediction and target counts as symmetric within this much of max(1, |L|).
    static let symmetryTolerance = 1e-5
    /// Pixels removed (U) or added (O) for the over/under-segmentation pair.
    static let segmentationPixels = 2
    /// The target of region losses' probes: the reference pages' mask.
    static let mask = Mask(target: [[0, 0, 0, 0, 0], [0, 1, 1, 1, 0], [0, 1, 1, 1, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]])

    // MARK: - Memo

    private static let memo = ProcessMemo<LossProperties>()

    /// The properties of a loss, computed once per process (a reference page and the notes'
    /// table, in every language, share them).
    static func of(_ id: String) throws -> LossProperties {
        try memo.value(id) { try compute(id) }
    }

    // MARK: - Probing

    static func compute(_ id: String) throws -> LossProperties {
        var space = try ProbeSpace(id: id)
        var values: [Double] = []
        var nonFinite = 0
        func record(_ x: Double?) {
            guard let x else { return }
            if x.isFinite { values.append(x) } else { nonFinite += 1 }
        }

        // Random probes: value and gradient.
        var probes = 0
        var near = 0.0, gradientSeen = false
        for _ in 0..<probeCount {
            guard let target = space.target(stacked: false), let input = space.input(stacked: false),
                  let output = space.evaluate(input, target: target, gradient: true) else { continue }
            probes += 1
            record(output.value)
            if let g = output.gradient { gradientSeen = true; near = max(near, g.map { abs(Double($0)) }.max() ?? 0) }
        }
        var far: Double?
        for _ in 0..<farProbeCount {
            guard let target = space.target(stacked: false), let input = space.input(far: true, stacked: false),
                  let output = space.evaluate(input, target: target, gradient: true) else { continue }
            record(output.value)
            if let g = output.gradient { far = max(far ?? 0, g.map { abs(Double($0)) }.max() ?? 0) }
        }

        let perfect = space.perfect()
        record(perfect?.value)
        let symmetry = space.symmetry()
        let convexity = try space.convexity(record: record)
        let empty = space.emptyTarget()
        record(empty?.predictedEmpty)
        record(empty?.falsePositive)

        return LossProperties(
            id: id, variable: space.variable.rawValue, probes: probes,
            range: ObservedRange(min: values.min() ?? .nan, max: values.max() ?? .nan, nonFinite: nonFinite),
            perfect: perfect, symmetry: symmetry, convexity: convexity,
            gradient: gradientSeen ? GradientBound(near: near, far: far) : nil, emptyTarget: empty)
    }
}

/// The inputs a loss is probed on, drawn from a seed made from its id.
private struct ProbeSpace {
    let id: String
    let variable: ProbeVariable
    let loss: any Loss
    let parameters: [String: ParameterValue]
    /// Shapes of one unstacked point.
    let inputShape: [Int]
    let targetShape: [Int]?
    /// Points stacked per probe (1 when the loss takes no batch axis).
    var stack: Int
    var random: SplitMix

    init(id: String) throws {
        self.id = id
        let family = ProbeFamily.of(id)
        variable = family.variables[0]
        let base = try variable.point(id: id, value: Self.range(variable, id: id).lowerBound / 2 + Self.range(variable, id: id).upperBound / 2,
                                      mask: LossProperties.mask)
        parameters = base.parameters
        loss = try Catalog.make(id, parameters)
        inputShape = base.input.shape
        targetShape = base.target?.shape
        random = SplitMix(seed: UInt64(fnv1a64Hex(Array(id.utf8)), radix: 16) ?? 0)
        stack = 1
        // A batch of points where the loss takes one (a leading axis of 1 in input and target).
        if inputShape.first == 1, targetShape == nil || targetShape?.first == 1 {
            stack = LossProperties.stack
            // …and reads it as one (a loss that gives no finite value on it does not, e.g. CTC's time axis).
            if let target = target(), let input = input(), evaluate(input, target: target, gradient: false)?.value.isFinite == true { return }
            stack = 1
        }
    }

    /// The values of the variable the probes draw from.
    static func range(_ variable: ProbeVariable, id: String) -> ClosedRange<Double> {
        switch variable {
        case .r: return -3...3
        case .m: return -2...3
        case .p, .q: return 0.05...0.95
        case .z: return -3...3
        case .w: return -2...2
        case .a: return -1...3
        case .s, .o: return 0...1
        case .x: return TorchNNProbe.example(for: id).range
        }
    }

    private func stacked(_ shape: [Int], _ count: Int) -> [Int] {
        guard count > 1, let first = shape.first else { return shape }
        return [first * count] + shape.dropFirst()
    }

    /// Perturbation of each input element (residuals, margins, logits, weights, features, …);
    /// none for log-probabilities, which it would turn into no distribution at all.
    private var noise: Double {
        if variable == .q || ProbeFamily.of(id) == .logProbabilities { return 0 }
        return variable == .x ? 0.25 : 0.5
    }

    /// A random input: the points at random values of the variable, each element perturbed
    /// (probabilities: drawn uniformly per pixel). Far: × 100, or probabilities within 10⁻⁶ of 0 or 1.
    /// Unstacked: one point (gradients are then per sample, not divided by the stack).
    mutating func input(far: Bool = false, stacked: Bool = true) -> Tensor? {
        var data: [Double] = []
        let range = Self.range(variable, id: id)
        let count = stacked ? stack : 1
        for _ in 0..<count {
            let v = range.lowerBound + random.uniform() * (range.upperBound - range.lowerBound)
            guard let point = try? variable.point(id: id, value: v, mask: LossProperties.mask) else { return nil }
            if variable == .s {
                let pixels = point.exactInput.count / 2
                let foreground = (0..<pixels).map { _ in far ? (random.uniform() < 0.5 ? 1e-6 : 1 - 1e-6) : random.uniform() }
                data += foreground.map { 1 - $0 } + foreground
            } else {
                data += point.exactInput.map { ($0 + noise * random.normal()) * (far ? 100 : 1) }
            }
        }
        return try? Tensor(shape: self.stacked(inputShape, count), data: data.map { Float($0) })
    }

    /// The target of a probe: the variable's (fixed) target, perturbed where it is continuous
    /// (regression residuals and features). `.some(nil)` for a loss without target.
    mutating func target(stacked: Bool = true) -> Tensor?? {
        guard let point = try? variable.point(id: id, value: 0.5, mask: LossProperties.mask) else { return nil }
        guard let base = point.target else { return .some(nil) }
        var data: [Float] = []
        let count = stacked ? stack : 1
        for _ in 0..<count {
            data += variable == .r || variable == .a
                ? base.data.map { Float(Double($0) + noise * random.normal()) } : base.data
        }
        guard let tensor = try? Tensor(shape: self.stacked(base.shape, count), data: data) else { return nil }
        return .some(tensor)
    }

    /// Σ of the value and the gradient; nil when the loss rejects the input.
    func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool, loss: (any Loss)? = nil) -> (value: Double, gradient: [Float]?)? {
        guard let output = try? (loss ?? self.loss).evaluate(input, target: target, gradient: gradient) else { return nil }
        return (output.value.data.reduce(0.0) { $0 + Double($1) }, output.gradient?.data)
    }

    // MARK: Properties

    /// At r = 0, a margin of 10, a right logit ahead by 20, q equal to the target, w = 0, the
    /// target's own features, s = 1 (the mask itself), or the `torch.nn` example's best x.
    func perfect() -> LossProperties.Perfect? {
        let family = ProbeFamily.of(id)
        let (variable, value): (ProbeVariable, Double)
        switch self.variable {
        case .r, .w: (variable, value) = (self.variable, 0)
        case .m: (variable, value) = (.m, 10)
        case .p, .z: (variable, value) = family == .logProbabilities ? (.p, 1 - 1e-7) : (.z, 20)
        case .q: (variable, value) = (.q, 0.5)
        case .a, .s, .o: (variable, value) = (self.variable, 1)
        case .x:
            guard let best = Self.perfectX[id] else { return nil }
            (variable, value) = (.x, best)
        }
        guard let point = try? variable.point(id: id, value: value, mask: LossProperties.mask),
              let loss = try? Catalog.make(id, point.parameters),
              let output = evaluate(point.input, target: point.target, gradient: false, loss: loss) else { return nil }
        let shown = value == 1 - 1e-7 ? "1 - 10^{-7}" : DirectiveExpander.format(value, digits: 6)
        return .init(value: output.value, at: "\(variable.tex) = \(shown)")
    }

    /// Where the prediction of a `torch.nn` example matches its target (or is right by a margin of 10).
    static let perfectX: [String: Double] = [
        "margin-ranking": 10, "hinge-embedding": 10, "multilabel-margin": 10, "multilabel-soft-margin": 20,
        "cosine-embedding": 0, "multi-margin": 10, "triplet-margin": 10, "box-iou": 0, "giou": 0, "diou": 0, "ciou": 0,
        // The rate equal to the count (2): Poisson's negative log-likelihood is not 0 there.
        "poisson-nll": log(2),
    ]

    mutating func symmetry() -> LossProperties.Symmetry? {
        switch variable {
        case .r, .a, .q:
            var probes = 0, worst = 0.0
            var pair = (0.0, 0.0)
            for _ in 0..<LossProperties.probeCount {
                let a: Double?, b: Double?
                if variable == .q {
                    // Two distributions: q (unperturbed, so it sums to 1) and the target, both as
                    // log-probabilities (the probe sets `log_target`), so swapping them swaps the tensors.
                    let v = 0.05 + 0.9 * random.uniform()
                    guard let point = try? variable.point(id: id, value: v, mask: LossProperties.mask), let t = point.target,
                          point.parameters["log_target"] == .bool(true), let loss = try? Catalog.make(id, point.parameters)
                    else { return nil }
                    (a, b) = (evaluate(point.input, target: t, gradient: false, loss: loss)?.value,
                              evaluate(t, target: point.input, gradient: false, loss: loss)?.value)
                } else {
                    guard let target = target(), let y = target, let x = input(), x.shape == y.shape else { return nil }
                    (a, b) = (evaluate(x, target: y, gradient: false)?.value, evaluate(y, target: x, gradient: false)?.value)
                }
                guard let a, let b else { continue }
                probes += 1
                let difference = abs(a - b)
                if difference > worst || (difference.isNaN && !worst.isNaN) { worst = difference; pair = (a, b) }
            }
            guard probes > 0 else { return nil }
            return .swap(probes: probes, maxDifference: worst, value: pair.0, swapped: pair.1)
        case .s:
            let target = LossProperties.mask.target
            var cells: [(Int, Int)] = []
            for r in target.indices { for c in target[r].indices { cells.append((r, c)) } }
            let foreground = cells.filter { target[$0.0][$0.1] > 0.5 }
            // Background pixels touching the object: what an over-segmentation adds first.
            let border = cells.filter { cell in
                target[cell.0][cell.1] < 0.5 && [(-1, 0), (1, 0), (0, -1), (0, 1)].contains { d in
                    let r = cell.0 + d.0, c = cell.1 + d.1
                    return target.indices.contains(r) && target[r].indices.contains(c) && target[r][c] > 0.5
                }
            }
            let k = LossProperties.segmentationPixels
            guard foreground.count > k, border.count >= k else { return nil }
            func value(flipping flipped: [(Int, Int)]) -> Double? {
                var prediction = target
                for (r, c) in flipped { prediction[r][c] = 1 - prediction[r][c] }
                guard let point = try? Mask(target: target, prediction: prediction).point(),
                      let loss = try? Catalog.make(id, point.parameters) else { return nil }
                return evaluate(point.input, target: point.target, gradient: false, loss: loss)?.value
            }
            guard let under = value(flipping: Array(foreground.suffix(k))), let over = value(flipping: Array(border.prefix(k))) else { return nil }
            return .underOver(pixels: k, under: under, over: over)
        default:
            return nil
        }
    }

    /// Random segments between two inputs for the same target; L at t = ¼, ½, ¾ against the chord.
    mutating func convexity(record: (Double?) -> Void) throws -> LossProperties.Convexity {
        var segments = 0
        let runner = try LossRunner(id: id, parameters: parameters)
        for _ in 0..<LossProperties.segmentCount {
            guard let target = target(), let a = input(), let b = input(),
                  let la = evaluate(a, target: target, gradient: false)?.value,
                  let lb = evaluate(b, target: target, gradient: false)?.value, la.isFinite, lb.isFinite else { continue }
            segments += 1
            for t in [0.25, 0.5, 0.75] {
                let exact = zip(a.data, b.data).map { Double($0) + t * (Double($1) - Double($0)) }
                guard let between = try? Tensor(shape: a.shape, data: exact.map { Float($0) }),
                      let lt = evaluate(between, target: target, gradient: false)?.value else { continue }
                record(lt)
                let chord = (1 - t) * la + t * lb
                let scale = max(1, abs(la), abs(lb))
                guard lt - chord > LossProperties.convexityMargin * scale else { continue }
                // Confirmed in Float64 on the same (Float) end points, or it is rounding.
                guard let ra = try? runner.referenceValue(input: a, exactInput: a.data.map(Double.init), target: target),
                      let rb = try? runner.referenceValue(input: b, exactInput: b.data.map(Double.init), target: target),
                      let rt = try? runner.referenceValue(input: between, exactInput: exact, target: target),
                      rt - ((1 - t) * ra + t * rb) > 1e-9 * max(1, abs(ra), abs(rb)) else { continue }
                let short = a.data.count <= 8
                return .init(segments: segments, counterexample: .init(
                    t: t, start: la, end: lb, between: lt, chord: chord,
                    startInput: short ? a.data.map(Double.init) : nil, endInput: short ? b.data.map(Double.init) : nil,
                    target: short ? target?.data.map(Double.init) : nil))
            }
        }
        return .init(segments: segments, counterexample: nil)
    }

    /// An all-background target: predicted empty too, and with one false-positive pixel.
    func emptyTarget() -> LossProperties.EmptyTarget? {
        guard variable == .s else { return nil }
        let mask = LossProperties.mask
        let empty = mask.target.map { $0.map { _ in 0.0 } }
        var one = empty
        one[mask.rows / 2][mask.columns / 2] = 1
        func value(_ prediction: [[Double]]) -> Double? {
            guard let point = try? Mask(target: empty, prediction: prediction).point(),
                  let loss = try? Catalog.make(id, point.parameters) else { return nil }
            return evaluate(point.input, target: point.target, gradient: false, loss: loss)?.value
        }
        guard let none = value(empty), let falsePositive = value(one) else { return nil }
        return .init(predictedEmpty: none, falsePositive: falsePositive)
    }
}
