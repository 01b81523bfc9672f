import FormulaCheck
import Foundation
import Losses

/// A catalog loss, configured, as `FormulaChecker` sees it: probes by the loss's input family
/// (random inputs from a fixed seed, plus edge cases), values from `Losses`.
public struct CatalogLoss: CheckableLoss {
    public let id: String
    public let loss: any Loss
    public let parameters: Parameters
    let family: Family
    /// `probes: hard` among the settings (not a parameter of the loss): `CatalogLoss+HardMasks`.
    let probeSelection: String?

    enum Family { case elementwise, margin, weights, classScores, binary, region }

    /// The losses of a margin y·f with labels ±1 (the rest of `classification` takes class scores).
    static let marginLosses: Set<String> = ["zero-one", "exponential", "hinge", "squared-hinge", "soft-margin"]
    /// The region losses of a binary segmentation: probes with two channels (background, foreground).
    static let twoClassLosses: Set<String> = ["unified-focal"]

    public init(id: String, settings: [String: String] = [:]) throws {
        self.id = id
        var settings = settings
        probeSelection = settings.removeValue(forKey: "probes")
        let values = settings.mapValues(Self.parameterValue)
        loss = try Catalog.make(id, values)
        parameters = try Catalog.validate(values, against: Catalog.descriptor(for: id))
        if let family = Self.familyOverrides[id] { self.family = family; return }
        switch try Catalog.descriptor(for: id).category {
        case .regression: family = .elementwise
        case .regularization: family = .weights
        case .classification where Self.marginLosses.contains(id): family = .margin
        case .region, .compound, .boundary: family = .region
        default: family = id == "binary-cross-entropy" ? .binary : .classScores
        }
    }

    /// `0.5` → number, `[1, 2]` → numbers, `true` → bool, else a string.
    static func parameterValue(_ text: String) -> ParameterValue {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let x = Double(t) { return .number(x) }
        if t == "true" || t == "false" { return .bool(t == "true") }
        if t.hasPrefix("["), t.hasSuffix("]") {
            return .numbers(t.dropFirst().dropLast().split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) })
        }
        return .string(t)
    }

    public var parameterNames: [String] { parameters.values.keys.sorted() }

    public func parameter(_ name: String) -> [Double]? {
        switch parameters.values[name] {
        case let .number(x)?: return [x]
        case let .numbers(xs)?: return xs
        case let .bool(b)?: return [b ? 1 : 0]
        default: return nil
        }
    }

    public func value(on probe: Probe) throws -> Double {
        guard let input = probe.arrays["input"] else { throw FormulaError("probe '\(probe.label)' has no input") }
        let target = try probe.arrays["loss target"].map { try Tensor(shape: $0.shape, data: $0.values.map(Float.init)) }
        let output = try loss.evaluate(try Tensor(shape: input.shape, data: input.values.map(Float.init)), target: target, gradient: false)
        return output.value.data.reduce(0.0) { $0 + Double($1) }
    }

    public func gradient(on probe: Probe) throws -> [Double]? {
        guard let input = probe.arrays["input"] else { throw FormulaError("probe '\(probe.label)' has no input") }
        let target = try probe.arrays["loss target"].map { try Tensor(shape: $0.shape, data: $0.values.map(Float.init)) }
        let output = try loss.evaluate(try Tensor(shape: input.shape, data: input.values.map(Float.init)), target: target, gradient: true)
        return output.gradient?.data.map(Double.init)
    }

    // MARK: - Probes

    var activation: String {
        if case let .string(s)? = parameters.values["activation"] { return s }
        if Self.softmaxLosses.contains(id) { return "softmax" }
        return family == .binary ? "sigmoid" : "none"
    }

    /// The probes of the loss's input family (`probes()` adapts them for some losses).
    func familyProbes() throws -> [Probe] {
        var random = SplitMix(seed: 0x10_55_B0_0C)
        switch family {
        case .elementwise:
            let threshold = (parameter("beta") ?? parameter("delta"))?.first ?? 1
            var probes: [Probe] = []
            for k in 0..<3 {
                let x = (0..<6).map { _ in Self.float(random.normal() * 2) }
                let y = (0..<6).map { _ in Self.float(random.normal()) }
                probes.append(elementwise("random \(k + 1)", x, y))
            }
            probes.append(elementwise("zero residual", [0.5, -1, 3], [0.5, -1, 3]))
            probes.append(elementwise("residual at the threshold", [Self.float(threshold), 0, 100], [0, Self.float(threshold), -1]))
            return probes
        case .margin:
            var probes: [Probe] = []
            for k in 0..<3 {
                let f = (0..<6).map { _ in Self.float(random.normal() * 2) }
                let y = (0..<6).map { _ in random.uniform() < 0.5 ? -1.0 : 1.0 }
                probes.append(elementwise("random \(k + 1)", f, y))
            }
            probes.append(elementwise("on the margin and at zero", [1, -1, 0, 0.5], [1, -1, 1, -1]))
            return probes
        case .weights:
            return (0..<3).map { k in
                let w = (0..<6).map { _ in Self.float(random.normal() * 2) }
                return Probe(label: "random \(k + 1)", arrays: ["input": .init(shape: [w.count], values: w)])
            } + [Probe(label: "zero weights", arrays: ["input": .init(shape: [3], values: [0, 0, 0])])]
        case .binary:
            var probes: [Probe] = []
            for k in 0..<3 {
                let x = (0..<6).map { _ in Self.float(random.normal() * 3) }
                let y = (0..<6).map { _ in random.uniform() < 0.5 ? 0.0 : 1.0 }
                probes.append(binary("random \(k + 1)", x, y))
            }
            probes.append(binary("soft targets", [-2, 0, 1.5, 4], [0.25, 0.5, 0.75, 1]))
            probes.append(binary("confident", [-12, 12, 9, -9], [0, 1, 1, 0]))
            return probes
        case .classScores:
            var probes: [Probe] = []
            for k in 0..<3 {
                let logits = (0..<12).map { _ in Self.float(random.normal() * 2) }
                let labels = (0..<4).map { _ in Double(Int(random.uniform() * 3)) }
                probes.append(classScores("random \(k + 1)", logits, labels))
            }
            probes.append(classScores("confident", [12, -12, 0, -8, 8, 0, 0, 0, 0, 1, 2, 3], [0, 1, 2, 0]))
            return probes
        case .region:
            // The binary losses take two channels (background, foreground), the others three classes.
            let classes = Self.twoClassLosses.contains(id) ? 2 : 3
            var probes: [Probe] = []
            for k in 0..<3 {
                var input = (0..<(12 * classes)).map { _ in Self.float(random.normal() * 2) }
                let labels = (0..<12).map { _ in Double(Int(random.uniform() * Double(classes))) }
                if activation == "none" { input = Self.softmaxOverChannels(input, n: 2, c: classes, s: 6).map(Self.float) }
                probes.append(region("random \(k + 1)", input, labels, classes: classes))
            }
            // Class 2 absent from sample 1's target (an empty mask; with two classes, class 2 becomes 1); hard 0/1 predictions.
            let labels: [Double] = [0, 1, 1, 0, 0, 1, 2, 2, 0, 1, 0, 2].map { min($0, Double(classes - 1)) }
            let hard = (0..<2).flatMap { n in (0..<classes).flatMap { c in (0..<6).map { i in labels[n * 6 + i] == Double(c) ? 1.0 : 0.0 } } }
            if activation == "none" {
                probes.append(region("hard 0/1 probabilities, an empty mask", hard, labels, classes: classes))
                probes.append(region("all wrong, an empty mask", hard.map { 1 - $0 }, labels, classes: classes))
            } else {
                probes.append(region("confident logits, an empty mask", hard.map { $0 * 20 - 10 }, labels, classes: classes))
            }
            return probes
        }
    }

    static func float(_ x: Double) -> Double { Double(Float(x)) }

    static func softmaxOverChannels(_ x: [Double], n: Int, c: Int, s: Int) -> [Double] {
        var out = x
        for b in 0..<n {
            for j in 0..<s {
                let e = (0..<c).map { exp(x[(b * c + $0) * s + j]) }
                for k in 0..<c { out[(b * c + k) * s + j] = e[k] / e.reduce(0, +) }
            }
        }
        return out
    }

    private func elementwise(_ label: String, _ x: [Double], _ y: [Double]) -> Probe {
        let shape = [x.count]
        return Probe(label: label, arrays: ["input": .init(shape: shape, values: x), "target": .init(shape: shape, values: y),
                                            "loss target": .init(shape: shape, values: y)])
    }

    private func binary(_ label: String, _ x: [Double], _ y: [Double]) -> Probe {
        let shape = [x.count]
        let p = activation == "none" ? x : x.map { 1 / (1 + exp(-$0)) }
        return Probe(label: label, arrays: ["input": .init(shape: shape, values: x), "logit": .init(shape: shape, values: x),
                                            "probability": .init(shape: shape, values: p),
                                            "target": .init(shape: shape, values: y), "loss target": .init(shape: shape, values: y)])
    }

    /// Logits (or probabilities with `activation: none`) `[N, C, S]` and class labels `[N, S]`.
    func scores(_ label: String, _ input: [Double], _ labels: [Double], n: Int, c: Int, s: Int) -> Probe {
        var probability = input
        for b in 0..<n {
            for j in 0..<s {
                let column = (0..<c).map { input[(b * c + $0) * s + j] }
                let p: [Double]
                switch activation {
                case "softmax":
                    let m = column.max()!
                    let e = column.map { exp($0 - m) }
                    p = e.map { $0 / e.reduce(0, +) }
                case "sigmoid": p = column.map { 1 / (1 + exp(-$0)) }
                default: p = column
                }
                for k in 0..<c { probability[(b * c + k) * s + j] = p[k] }
            }
        }
        var oneHot = [Double](repeating: 0, count: n * c * s)
        for b in 0..<n { for j in 0..<s { oneHot[(b * c + Int(labels[b * s + j])) * s + j] = 1 } }
        let inputShape = s == 1 ? [n, c] : [n, c, s]
        let labelShape = s == 1 ? [n] : [n, s]
        return Probe(label: label, arrays: [
            "input": .init(shape: inputShape, values: input), "logit": .init(shape: inputShape, values: input),
            "probability": .init(shape: inputShape, values: probability),
            "target one-hot": .init(shape: inputShape, values: oneHot),
            "target index": .init(shape: labelShape, values: labels.map { $0 + 1 }),
            "loss target": .init(shape: labelShape, values: labels),
        ])
    }

    private func classScores(_ label: String, _ logits: [Double], _ labels: [Double]) -> Probe {
        scores(label, logits, labels, n: 4, c: 3, s: 1)
    }

    private func region(_ label: String, _ input: [Double], _ labels: [Double], classes: Int) -> Probe {
        var probe = scores(label, input, labels, n: 2, c: classes, s: 6)
        if Self.twoClassLosses.contains(id) {
            // These take images: the six positions as a 2 × 3 one.
            for (name, array) in probe.arrays { probe.arrays[name] = .init(shape: array.shape.dropLast() + [2, 3], values: array.values) }
        }
        return id == "masked-dice" ? Self.masked(probe, edge: !label.hasPrefix("random")) : probe
    }

    /// `masked-dice` takes its region as one more target channel (`[N, 2, S]`: the labels, then
    /// the mask); the mask is also the probe array `mask` (`[N, S]`). The edge cases leave the
    /// whole second sample out (every class empty there).
    static func masked(_ probe: Probe, edge: Bool) -> Probe {
        let mask: [Double] = edge ? [1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0] : [1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1]
        var out = probe
        guard let labels = probe.arrays["loss target"], labels.shape.count == 2 else { return probe }
        let (n, s) = (labels.shape[0], labels.shape[1])
        var target: [Double] = []
        for b in 0..<n {
            target += labels.values[(b * s)..<((b + 1) * s)]
            target += mask[(b * s)..<((b + 1) * s)]
        }
        out.arrays["loss target"] = .init(shape: [n, 2, s], values: target)
        out.arrays["mask"] = .init(shape: [n, s], values: mask)
        return out
    }
}

/// A small seeded generator, so probes are the same on every run (also the site's computed
/// properties, `LossProperties`).
public struct SplitMix: Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    public mutating func normal() -> Double { sqrt(-2 * log(max(uniform(), 1e-300))) * cos(2 * .pi * uniform()) }
}
