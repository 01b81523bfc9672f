import FormulaCheck
import Foundation

/// Probes for the losses whose input is not one of the families' as it stands: a stacked pair,
/// multi-label targets, distributions, class scores with each position's probability of its class, and residuals.
extension CatalogLoss {
    /// Losses read with another family's probes than their category's.
    static let familyOverrides: [String: Family] = [
        // Element-wise x with labels ±1, like the margin losses.
        "hinge-embedding": .margin,
    ]

    /// Losses that always take logits through a softmax, with no `activation` parameter to say so
    /// (MONAI's GeneralizedWassersteinDiceLoss): probed with logits, `probability` their softmax.
    static let softmaxLosses: Set<String> = ["generalized-wasserstein-dice"]

    public func probes() throws -> [Probe] {
        switch probeSelection {
        case nil: return try selectedProbes()
        case "hard": return try hardMasks()
        case let other?: throw FormulaError("'probes: \(other)' is not a probe selection", hint: "probes: hard")
        }
    }

    private func selectedProbes() throws -> [Probe] {
        var random = SplitMix(seed: 0xC1A5_51F1)
        switch id {
        case "margin-ranking": return stackedPairs(&random)
        case "cosine-embedding": return vectorPairs(&random)
        case "triplet-margin": return triplets(&random)
        case "multilabel-soft-margin": return multiLabel(&random)
        case "multilabel-margin": return multiLabelIndices(&random)
        case "kl-divergence": return distributions(&random)
        case "lovasz-hinge": return logitMasks(&random)
        case "focal": return try familyProbes().map(Self.withTargetProbability)
        case "weighted-cross-entropy": return try familyProbes().map(Self.withClassCounts)
        case "log-cosh": return try familyProbes().map(Self.withResidual)
        case "box-iou", "giou", "diou", "ciou": return boxes(&random)
        case _ where Self.gridLosses.contains(id), "hausdorff-er": return gridProbes(&random)
        case _ where Self.skeletonLosses.contains(id): return gridProbes(&random).filter { $0.arrays["probability"]?.shape.count == 4 }
        case _ where Self.imageLosses.contains(id): return imageProbes(&random)
        case "ctc": return alignmentProbes(&random)
        case "poisson-nll": return counts(&random)
        case "gaussian-nll": return meansAndVariances(&random)
        default: return try familyProbes()
        }
    }

    /// Logits `[2, 6]` (two images of six positions) with 0/1 labels of the same shape, as the
    /// binary Lovász hinge takes them. The edge cases: an image without foreground beside one
    /// predicted with margin everywhere, and ties between errors.
    private func logitMasks(_ random: inout SplitMix) -> [Probe] {
        func probe(_ label: String, _ x: [Double], _ y: [Double]) -> Probe {
            let shape = [2, x.count / 2]
            return Probe(label: label, arrays: ["input": .init(shape: shape, values: x), "logit": .init(shape: shape, values: x),
                                                "target": .init(shape: shape, values: y), "loss target": .init(shape: shape, values: y)])
        }
        var probes = (0..<3).map { k in
            probe("random \(k + 1)", (0..<12).map { _ in Self.float(random.normal() * 2) },
                  (0..<12).map { _ in random.uniform() < 0.5 ? 0.0 : 1.0 })
        }
        probes.append(probe("no foreground in image 1, margins met in image 2",
                            [-2, 0.5, -0.25, 1, -3, 0, 2, -2, 1.5, -1, 3, -4], [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0]))
        probes.append(probe("tied errors", [1, -1, 1, -1, 0, 0, 0.5, 0.5, -0.5, -0.5, 2, 2], [1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1]))
        return probes
    }

    /// x1 and x2 stacked, `[2, N]` (axes k, i), with labels ±1 `[N]`.
    private func stackedPairs(_ random: inout SplitMix) -> [Probe] {
        func probe(_ label: String, _ x: [Double], _ y: [Double]) -> Probe {
            Probe(label: label, arrays: ["input": .init(shape: [2, y.count], values: x), "target": .init(shape: [y.count], values: y),
                                         "loss target": .init(shape: [y.count], values: y)])
        }
        var probes = (0..<3).map { k in
            probe("random \(k + 1)", (0..<12).map { _ in Self.float(random.normal() * 2) },
                  (0..<6).map { _ in random.uniform() < 0.5 ? -1.0 : 1.0 })
        }
        probes.append(probe("ties and equal scores", [1, 0, 2, 2, 1, 0, 2, 2], [1, -1, 1, -1]))
        return probes
    }

    /// Vectors x1 and x2 stacked, `[2, N, D]`, with labels ±1 `[N]`; `x1` and `x2` `[N, D]` (axes n, d).
    /// The edge cases: a zero vector, equal vectors and opposite ones.
    private func vectorPairs(_ random: inout SplitMix) -> [Probe] {
        func probe(_ label: String, _ x1: [Double], _ x2: [Double], _ y: [Double]) -> Probe {
            let n = y.count, d = x1.count / n
            return Probe(label: label, arrays: [
                "input": .init(shape: [2, n, d], values: x1 + x2), "target": .init(shape: [n], values: y),
                "loss target": .init(shape: [n], values: y),
                "x1": .init(shape: [n, d], values: x1), "x2": .init(shape: [n, d], values: x2),
            ])
        }
        var probes = (0..<3).map { k in
            probe("random \(k + 1)", (0..<12).map { _ in Self.float(random.normal()) }, (0..<12).map { _ in Self.float(random.normal()) },
                  (0..<4).map { _ in random.uniform() < 0.5 ? -1.0 : 1.0 })
        }
        probes.append(probe("a zero vector, equal and opposite vectors", [0, 0, 0, 1, 2, 3, 1, -1, 0.5, 2, 0, 0],
                            [1, 2, 3, 1, 2, 3, -1, 1, -0.5, 2, 0, 0], [1, -1, -1, 1]))
        return probes
    }

    /// Anchor, positive and negative stacked, `[3, N, D]`, no target; each also `[N, D]` as
    /// `anchor`, `positive`, `negative`. The edge cases: a positive equal to its anchor, a negative
    /// nearer than the positive, and one far enough to meet the margin.
    private func triplets(_ random: inout SplitMix) -> [Probe] {
        func probe(_ label: String, _ a: [Double], _ q: [Double], _ n: [Double]) -> Probe {
            let d = 3, count = a.count / d
            return Probe(label: label, arrays: [
                "input": .init(shape: [3, count, d], values: a + q + n),
                "anchor": .init(shape: [count, d], values: a), "positive": .init(shape: [count, d], values: q),
                "negative": .init(shape: [count, d], values: n),
            ])
        }
        func vectors() -> [Double] { (0..<12).map { _ in Self.float(random.normal()) } }
        var probes = (0..<3).map { k in probe("random \(k + 1)", vectors(), vectors(), vectors()) }
        probes.append(probe("positive at the anchor, a nearer negative, a far one",
                            [0, 0, 0, 1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 2, 1, 1, 0, 0], [1, 0, 0, 1, 1.5, 1, 5, 5, 5]))
        return probes
    }

    /// Logits `[N, C]` (axes n, c) with 0/1 (and soft) targets of the same shape.
    private func multiLabel(_ random: inout SplitMix) -> [Probe] {
        func probe(_ label: String, _ x: [Double], _ y: [Double]) -> Probe {
            let shape = [y.count / 3, 3]
            return Probe(label: label, arrays: ["input": .init(shape: shape, values: x), "target": .init(shape: shape, values: y),
                                                "loss target": .init(shape: shape, values: y)])
        }
        var probes = (0..<3).map { k in
            probe("random \(k + 1)", (0..<12).map { _ in Self.float(random.normal() * 2) },
                  (0..<12).map { _ in random.uniform() < 0.5 ? 0.0 : 1.0 })
        }
        probes.append(probe("confident and soft targets", [12, -12, 0, -9, 9, 0.5], [1, 0, 0.5, 0, 1, 0.25]))
        return probes
    }

    /// Scores `[N, C]` with PyTorch's multi-label target (class indices, the first -1 ends the
    /// row), and the labels as a 0/1 indicator `target set` `[N, C]`.
    private func multiLabelIndices(_ random: inout SplitMix) -> [Probe] {
        let x: [Double] = [0.1, 0.2, 0.4, 0.8, -1, 2, 0.5, 0.3, 1.5, -0.5, 0, 2, 0.7, 0.7, -0.2, 3]
        let targets: [[Double]] = [[3, 0, -1, -1], [1, -1, 2, 3], [-1, 0, 0, 0], [0, 1, 2, 3]]
        var indicator = [Double](repeating: 0, count: 16)
        for (n, row) in targets.enumerated() {
            for label in row { if label < 0 { break }; indicator[n * 4 + Int(label)] = 1 }
        }
        let shape = [4, 4]
        func probe(_ label: String, _ x: [Double]) -> Probe {
            Probe(label: label, arrays: [
                "input": .init(shape: shape, values: x), "target set": .init(shape: shape, values: indicator),
                "loss target": .init(shape: shape, values: targets.flatMap { $0 }),
            ])
        }
        return (0..<3).map { k in probe("random \(k + 1); one, two, no and all labels", (0..<16).map { _ in Self.float(random.normal()) }) }
            + [probe("hinges at the margin; one, two, no and all labels", x)]
    }

    /// Log-probabilities as input and probability rows (one with zeros) as target, `[N, C]`;
    /// `probability` is the input's exp.
    private func distributions(_ random: inout SplitMix) -> [Probe] {
        func softmaxRows(_ x: [Double]) -> [Double] {
            stride(from: 0, to: x.count, by: 3).flatMap { r -> [Double] in
                let e = x[r..<r + 3].map(exp)
                return e.map { $0 / e.reduce(0, +) }
            }
        }
        func probe(_ label: String, _ logits: [Double], _ target: [Double]) -> Probe {
            let logq = softmaxRows(logits).map { Self.float(log($0)) }
            let shape = [target.count / 3, 3]
            return Probe(label: label, arrays: ["input": .init(shape: shape, values: logq),
                                                "probability": .init(shape: shape, values: logq.map(exp)),
                                                "target": .init(shape: shape, values: target), "loss target": .init(shape: shape, values: target)])
        }
        var probes = (0..<3).map { k in
            probe("random \(k + 1)", (0..<12).map { _ in random.normal() * 2 },
                  softmaxRows((0..<12).map { _ in random.normal() }).map(Self.float))
        }
        probes.append(probe("targets with zeros", [2, 0, -1, 0, 0, 0], [0, 1, 0, 0.25, 0, 0.75]))
        return probes
    }

    /// Counts as targets (0, fractions, 1 and above, where `full`'s Stirling term starts) `[N]`;
    /// the input is a log-rate (`log_input`) or a positive rate, `[N]`.
    private func counts(_ random: inout SplitMix) -> [Probe] {
        let logInput = parameter("log_input")?.first != 0
        func probe(_ label: String, _ x: [Double], _ y: [Double]) -> Probe {
            let shape = [y.count]
            return Probe(label: label, arrays: ["input": .init(shape: shape, values: x), "target": .init(shape: shape, values: y),
                                                "loss target": .init(shape: shape, values: y)])
        }
        var probes = (0..<3).map { k in
            probe("random \(k + 1)",
                  (0..<6).map { _ in Self.float(logInput ? random.normal() * 2 : exp(random.normal())) },
                  (0..<6).map { _ in Double(Int(random.uniform() * 8)) })
        }
        probes.append(probe("zero, fractional and unit counts", logInput ? [-3, 0, 1.5, 0.25] : [0.05, 1, 4.5, 0.5], [0, 0.5, 1, 2.5]))
        return probes
    }

    /// `[μ, σ²]` rows `[N, 2]` (axes i, k: one variance per element, D = 1) with targets `[N, 1]`;
    /// `mean`, `variance`, `standard deviation` and `target` `[N]`. One probe has variances of 0
    /// and below the default ε, which the value clamps (the gradient formulas hold above ε).
    private func meansAndVariances(_ random: inout SplitMix) -> [Probe] {
        func probe(_ label: String, _ mean: [Double], _ variance: [Double], _ y: [Double]) -> Probe {
            let n = y.count
            return Probe(label: label, arrays: [
                "input": .init(shape: [n, 2], values: zip(mean, variance).flatMap { [$0, $1] }),
                "loss target": .init(shape: [n, 1], values: y), "target": .init(shape: [n], values: y),
                "mean": .init(shape: [n], values: mean), "variance": .init(shape: [n], values: variance),
                "standard deviation": .init(shape: [n], values: variance.map { $0.squareRoot() }),
            ])
        }
        var probes = (0..<3).map { k in
            probe("random \(k + 1)", (0..<6).map { _ in Self.float(random.normal() * 2) },
                  (0..<6).map { _ in Self.float(exp(random.normal())) }, (0..<6).map { _ in Self.float(random.normal()) })
        }
        probes.append(probe("variances of 0, below ε and at the error", [1, -1, 0.5, 2], [0, 1e-8, 0.25, 1], [0, 0, 0, 1]))
        return probes
    }

    /// A class-score probe with `target probability` `[N]`: each position's probability of its class.
    private static func withTargetProbability(_ probe: Probe) -> Probe {
        var probe = probe
        guard let p = probe.arrays["probability"], let labels = probe.arrays["loss target"], p.shape.count == 2 else { return probe }
        let classes = p.shape[1]
        let values = labels.values.enumerated().map { n, label in p.values[n * classes + Int(label)] }
        probe.arrays["target probability"] = .init(shape: [values.count], values: values)
        return probe
    }

    /// An element-wise probe with `residual`, input − target.
    private static func withResidual(_ probe: Probe) -> Probe {
        var probe = probe
        guard let x = probe.arrays["input"], let y = probe.arrays["target"] else { return probe }
        probe.arrays["residual"] = .init(shape: x.shape, values: zip(x.values, y.values).map { $0 - $1 })
        return probe
    }

    /// Predicted and target boxes `[N, 4]` (x₁, y₁, x₂, y₂), and their coordinates as the
    /// formulas name them: `box x` `[2, N]` (x₁ then x₂ of every box), `box y`, `target box x`,
    /// `target box y`. Overlapping, disjoint, nested and identical pairs.
    private func boxes(_ random: inout SplitMix) -> [Probe] {
        func box() -> [Double] {
            let x = random.uniform() * 4, y = random.uniform() * 4
            return [x, y, x + 0.5 + random.uniform() * 3, y + 0.5 + random.uniform() * 3].map(Self.float)
        }
        func probe(_ label: String, _ predicted: [[Double]], _ target: [[Double]]) -> Probe {
            let shape = [predicted.count, 4]
            func coordinates(_ boxes: [[Double]], _ first: Int) -> ProbeArray {
                .init(shape: [2, boxes.count], values: boxes.map { $0[first] } + boxes.map { $0[first + 2] })
            }
            // What CIoU's formula names without defining (DIoU's formulas define ρ² and c²).
            func each(_ f: ([Double], [Double]) -> Double) -> ProbeArray {
                .init(shape: [predicted.count], values: zip(predicted, target).map(f))
            }
            return Probe(label: label, arrays: [
                "input": .init(shape: shape, values: predicted.flatMap { $0 }), "loss target": .init(shape: shape, values: target.flatMap { $0 }),
                "box x": coordinates(predicted, 0), "box y": coordinates(predicted, 1),
                "target box x": coordinates(target, 0), "target box y": coordinates(target, 1),
                "box width": each { b, _ in b[2] - b[0] }, "box height": each { b, _ in b[3] - b[1] },
                "target box width": each { _, g in g[2] - g[0] }, "target box height": each { _, g in g[3] - g[1] },
                "centre distance": each { b, g in ((b[0] + b[2] - g[0] - g[2]) / 2 * (b[0] + b[2] - g[0] - g[2]) / 2
                                                   + (b[1] + b[3] - g[1] - g[3]) / 2 * (b[1] + b[3] - g[1] - g[3]) / 2).squareRoot() },
                "enclosing diagonal": each { b, g in
                    let w = max(b[2], g[2]) - min(b[0], g[0]), h = max(b[3], g[3]) - min(b[1], g[1])
                    return (w * w + h * h).squareRoot()
                },
            ])
        }
        var probes = (0..<3).map { k in probe("random \(k + 1)", (0..<4).map { _ in box() }, (0..<4).map { _ in box() }) }
        probes.append(probe("disjoint, nested, identical and touching",
                            [[0, 0, 1, 1], [0, 0, 4, 4], [1, 1, 2, 3], [0, 0, 1, 1]],
                            [[2, 2, 3, 3], [1, 1, 2, 2], [1, 1, 2, 3], [1, 0, 2, 1]]))
        return probes
    }

    /// A class-score probe with `class count` `[C]`: how many positions have each class.
    private static func withClassCounts(_ probe: Probe) -> Probe {
        var probe = probe
        guard let scores = probe.arrays["input"], let labels = probe.arrays["loss target"], scores.shape.count == 2 else { return probe }
        var counts = [Double](repeating: 0, count: scores.shape[1])
        for label in labels.values { counts[Int(label)] += 1 }
        probe.arrays["class count"] = .init(shape: [counts.count], values: counts)
        return probe
    }
}
