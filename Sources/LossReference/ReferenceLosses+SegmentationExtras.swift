import Foundation

/// MONAI's remaining segmentation losses and the erosion Hausdorff loss (issue 17.3), written
/// from their definitions in plain `Double`, on the reference's own building blocks.
extension ReferenceLosses {
    static var segmentationExtraEntries: [Entry] {
        [
            // MONAI GeneralizedDiceFocalLoss: λ_gdl · GDL + λ_focal · the sigmoid focal term of
            // the kept channels (weight on the focal term only, no alpha).
            Entry(id: "generalized-dice-focal", defaults: [
                "include_background": .bool(true), "w_type": .string("square"), "smooth_nr": .number(1e-5),
                "smooth_dr": .number(1e-5), "batch": .bool(false), "gamma": .number(2), "weight": .numbers([]),
                "lambda_gdl": .number(1), "lambda_focal": .number(1), "activation": .string("softmax"),
                "reduction": .string("mean"),
            ]) { input, target, p in
                let gdl = try component("generalized-dice", input, target, p)
                let focal = try monaiSigmoidFocal(input, target, p, alpha: [])
                return RefArray(scalar: try p.number("lambda_gdl") * gdl + (try p.number("lambda_focal")) * focal)
            },
            Entry(id: "masked-dice", defaults: [
                "include_background": .bool(true), "smooth_nr": .number(1e-5), "smooth_dr": .number(1e-5),
                "squared_pred": .bool(false), "jaccard": .bool(false), "batch": .bool(false), "weight": .numbers([]),
                "soft_label": .bool(false), "activation": .string("softmax"), "reduction": .string("mean"),
            ]) { input, target, p in
                try maskedDice(input, target, p)
            },
            // MONAI LogHausdorffDTLoss: log(1 + ·) of the reduced hausdorff-dt (of each entry with none).
            Entry(id: "log-hausdorff-dt", defaults: [
                "alpha": .number(2), "include_background": .bool(false), "batch": .bool(false), "spacing": .numbers([]),
                "activation": .string("softmax"), "reduction": .string("mean"),
            ]) { input, target, p in
                var result = try value(id: "hausdorff-dt", input: input, target: target, parameters: p.values)
                result.data = result.data.map { log1p($0) }
                return result
            },
            Entry(id: "generalized-wasserstein-dice", defaults: [
                "dist_matrix": .numbers([]), "weighting_mode": .string("default"), "smooth_nr": .number(1e-5),
                "smooth_dr": .number(1e-5), "reduction": .string("mean"),
            ]) { input, target, p in
                try generalizedWassersteinDice(input, target, p)
            },
            Entry(id: "hausdorff-er", defaults: [
                "alpha": .number(2), "erosions": .number(10), "include_background": .bool(false), "batch": .bool(false),
                "activation": .string("softmax"), "reduction": .string("mean"),
            ]) { input, target, p in
                try hausdorffER(input, target, p)
            },
        ]
    }
}

extension ReferenceLosses {
    /// MONAI MaskedDiceLoss, from its definition: `dice` of the probabilities and the dense
    /// target both multiplied by the mask m, `Dice(σ(x)·m, g·m)` with no further activation. The
    /// mask is the target's last channel (`[N, C + 1, …]` dense target then mask, or `[N, 2, …]`
    /// class indices then mask), 0 or 1.
    static func maskedDice(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        guard let target, input.shape.count >= 2, target.shape.count == input.shape.count else {
            throw ReferenceError.invalidInput("masked-dice needs a target [N, C + 1, …] or [N, 2, …]")
        }
        let n = input.shape[0], c = input.shape[1], s = input.count / max(1, n * c)
        let channels = target.shape[1] - 1
        guard target.shape[0] == n, channels == c || channels == 1, target.count == n * (channels + 1) * s else {
            throw ReferenceError.invalidInput("masked-dice: target \(target.shape) for input \(input.shape)")
        }
        var mask = [Double](), labels = [Double]()
        for b in 0..<n {
            for k in 0...channels {
                for x in 0..<s {
                    let v = target.data[(b * (channels + 1) + k) * s + x]
                    if k == channels {
                        guard v == 0 || v == 1 else { throw ReferenceError.invalidInput("masked-dice: mask value \(v)") }
                        mask.append(v)
                    } else {
                        labels.append(v)
                    }
                }
            }
        }
        let spatialShape = Array(input.shape.dropFirst(2))
        let plainTarget = try RefArray(shape: channels == c ? input.shape : [n] + spatialShape, data: labels)
        let scores = try RefClassScores(input, activation: try p.activation())
        let dense = try RefClassTarget(plainTarget, for: scores)
        var maskedP = try RefArray(shape: input.shape, data: scores.p)
        var maskedG = try RefArray(shape: input.shape, data: dense.t)
        for b in 0..<n {
            for k in 0..<c {
                for x in 0..<s {
                    let i = (b * c + k) * s + x
                    maskedP.data[i] *= mask[b * s + x]
                    maskedG.data[i] *= mask[b * s + x]
                }
            }
        }
        var values: [String: RefParameter] = [:]
        for name in ["include_background", "smooth_nr", "smooth_dr", "squared_pred", "jaccard", "batch", "weight",
                     "soft_label", "reduction"] {
            values[name] = p.values[name] ?? p.defaults[name]
        }
        values["activation"] = .string("none")
        return try value(id: "dice", input: maskedP, target: maskedG, parameters: values)
    }
}

extension ReferenceLosses {
    /// Fidon et al. 2017 as MONAI implements it: per sample, W_i = Σ_c M[y_i, c] p_{i,c} (M divided
    /// by its largest entry; 1 − I when not given), TP = Σ_i α_{y_i}(1 − W_i), and
    /// 1 − (2TP + s_nr)/(D + s_dr) with D = 2TP + Σ_i W_i (`default`: α_0 = 0, α_c = 1) or
    /// D = Σ_i α_{y_i}(2 − W_i) (`GDL`: α_c = 1/(V_c + 1)). Softmax of the logits; class indices.
    static func generalizedWassersteinDice(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let scores = try RefClassScores(input, activation: .softmax)
        let C = scores.channels
        guard C > 1 else { throw ReferenceError.invalidInput("generalized-wasserstein-dice needs C ≥ 2") }
        guard let target, target.shape != input.shape else {
            throw ReferenceError.invalidInput("generalized-wasserstein-dice takes class indices")
        }
        let dense = try RefClassTarget(target, for: scores)
        guard let labels = dense.labels else { throw ReferenceError.invalidInput("class indices expected") }
        var m = try p.numbers("dist_matrix")
        if m.isEmpty {
            m = (0..<(C * C)).map { $0 / C == $0 % C ? 0.0 : 1.0 }
        }
        guard m.count == C * C, let largest = m.max(), largest > 0 else {
            throw ReferenceError.invalidParameter(name: "dist_matrix", message: "needs \(C * C) entries, one positive")
        }
        m = m.map { $0 / largest }
        let gdl = try p.string("weighting_mode") == "GDL"
        let smoothNr = try p.number("smooth_nr"), smoothDr = try p.number("smooth_dr")
        var values: [Double] = []
        for n in 0..<scores.batch {
            var alpha = [Double](repeating: 1, count: C)
            if gdl {
                for c in 0..<C {
                    let volume = (0..<scores.spatial).filter { labels[n * scores.spatial + $0] == c }.count
                    alpha[c] = 1 / (Double(volume) + 1)
                }
            } else {
                alpha[0] = 0
            }
            var truePositives = 0.0, distanceSum = 0.0, gdlDenominator = 0.0
            for s in 0..<scores.spatial {
                let y = labels[n * scores.spatial + s]
                let w = (0..<C).reduce(0.0) { $0 + m[y * C + $1] * scores.p[scores.at(n, $1, s)] }
                truePositives += alpha[y] * (1 - w)
                distanceSum += w
                gdlDenominator += alpha[y] * (2 - w)
            }
            let denominator = gdl ? gdlDenominator : 2 * truePositives + distanceSum
            values.append(1 - (2 * truePositives + smoothNr) / (denominator + smoothDr))
        }
        return RefMath.reduce(values, shape: [scores.batch], try p.reduction())
    }
}

extension ReferenceLosses {
    /// Karimi & Salcudean's erosion loss: per (sample, kept class), f₀ = (p − g)², then K times
    /// f ← rescale(max(cross-mean(f) − ½, 0)) (cross-mean: the value and its in-grid axis neighbours
    /// summed, over 2d + 1; rescale: to [0, 1] by min and max unless constant), adding k^α Σ f at
    /// erosion k; over |Ω|; `batch` averages the samples per class.
    static func hausdorffER(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let scores = try RefClassScores(input, activation: try p.activation())
        let dense = try RefClassTarget(target, for: scores)
        let classes = (try p.bool("include_background")) || scores.channels == 1 ? Array(0..<scores.channels) : Array(1..<scores.channels)
        let alpha = try p.number("alpha"), erosions = Int(try p.number("erosions"))
        let shape = scores.spatialShape, volume = scores.spatial
        func neighbours(_ i: Int) -> [Int] {
            var coordinates = [Int](repeating: 0, count: shape.count), rest = i
            for axis in stride(from: shape.count - 1, through: 0, by: -1) {
                coordinates[axis] = rest % shape[axis]
                rest /= shape[axis]
            }
            var out: [Int] = []
            for axis in shape.indices {
                for step in [-1, 1] {
                    var c = coordinates
                    c[axis] += step
                    guard c[axis] >= 0, c[axis] < shape[axis] else { continue }
                    out.append(c.enumerated().reduce(0) { $0 * shape[$1.offset] + $1.element })
                }
            }
            return out
        }
        let adjacency = (0..<volume).map(neighbours)
        var table: [[Double]] = []
        for n in 0..<scores.batch {
            var row: [Double] = []
            for c in classes {
                var f = (0..<volume).map { s -> Double in
                    let i = scores.at(n, c, s)
                    return (scores.p[i] - dense.t[i]) * (scores.p[i] - dense.t[i])
                }
                var total = 0.0
                for k in 1...max(1, erosions) {
                    let eroded = (0..<volume).map { s in
                        max((f[s] + adjacency[s].reduce(0) { $0 + f[$1] }) / Double(2 * shape.count + 1) - 0.5, 0)
                    }
                    let lowest = eroded.min() ?? 0, highest = eroded.max() ?? 0
                    f = highest > lowest ? eroded.map { ($0 - lowest) / (highest - lowest) } : eroded
                    total += pow(Double(k), alpha) * f.reduce(0, +)
                }
                row.append(total / Double(volume))
            }
            table.append(row)
        }
        return try reduceTable(table, p)
    }
}
