/// Building blocks of the compound losses: component losses built from the compound's own
/// parameters, and weighted sums of their values and gradients.
enum CompoundTerms {
    /// `mean` or `sum`: the terms of a compound have different unreduced shapes (per class,
    /// per position), so `none` has no meaning (MONAI's DiceCELoss rejects it too).
    static let reduction = ParameterSpec(
        "reduction", .choice([Reduction.mean.rawValue, Reduction.sum.rawValue]), default: .string(Reduction.mean.rawValue))

    /// The Dice options of the MONAI compounds (`DiceLoss`'s parameters except activation and
    /// reduction), with the compound's background default.
    static func diceParameters(includeBackground: Bool = true) -> [ParameterSpec] {
        [RegionText.includeBackground(default: includeBackground), RegionText.smoothNr, RegionText.smoothDr,
         DiceLoss.descriptor.parameters.first { $0.name == "squared_pred" }!,
         DiceLoss.descriptor.parameters.first { $0.name == "jaccard" }!,
         RegionText.batch]
    }

    /// The coefficient λ ≥ 0 (default 1) of one term.
    static func lambda(_ name: String) -> ParameterSpec {
        ParameterSpec(name, .number(min: 0, max: nil), default: .number(1))
    }

    /// Builds a component loss from the compound's parameter values: the names the component
    /// knows are passed on (after `overrides`), the rest keep the component's defaults.
    static func component<L: Loss>(_ type: L.Type, from parameters: Parameters,
                                   overrides: [String: ParameterValue] = [:]) throws -> L {
        let known = Set(L.descriptor.parameters.map(\.name))
        var values: [String: ParameterValue] = [:]
        for (name, value) in parameters.values where known.contains(name) { values[name] = value }
        for (name, value) in overrides { values[name] = value }
        do {
            return try L(try Catalog.validate(values, against: L.descriptor))
        } catch let LossError.invalidParameter(_, name, message) {
            throw LossError.invalidParameter(loss: parameters.loss, name: name, message: message)
        }
    }

    /// Σ λ_k · term_k for scalar terms, with the gradients summed the same way.
    static func combine(_ terms: [(weight: Double, output: LossOutput)], gradient: Bool) -> LossOutput {
        var value = 0.0
        for (w, out) in terms { value += w * Double(out.value.data[0]) }
        guard gradient, let first = terms.first?.output.gradient else { return LossOutput(value: Tensor(scalar: Float(value))) }
        // Σ_k λ_k g_k per element in `Double`, 4096 elements at a time (a small buffer), chunks across cores.
        var sum = [Float](unsafeUninitializedCapacity: first.count) { $1 = $0.count }
        sum.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(count: out.count) { range in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 4096) { total in
                    for start in stride(from: range.lowerBound, to: range.upperBound, by: total.count) {
                        let piece = start..<min(start + total.count, range.upperBound), n = piece.count
                        for j in 0..<n { total[j] = 0 }
                        for (w, term) in terms where w != 0 {
                            term.gradient?.data.withUnsafeBufferPointer { g in
                                let g = UnsafeBufferPointer(rebasing: g[piece])
                                for j in 0..<n { total[j] += w * Double(g[j]) }
                            }
                        }
                        let o = UnsafeMutableBufferPointer(rebasing: out[piece])
                        for j in 0..<n { o[j] = Float(total[j]) }
                    }
                }
            }
        }
        return LossOutput(value: Tensor(scalar: Float(value)), gradient: Tensor(unchecked: first.shape, data: sum))
    }

    /// Per-class weights for a compound whose terms take them: empty, one value for every class,
    /// or one per class C. Returns the cross-entropy weights (length C or empty) and the Dice
    /// weights (per kept class: the first dropped without the background).
    static func classWeights(_ weight: [Double], classes: Int, includeBackground: Bool,
                             loss: String) throws -> (crossEntropy: [Double], dice: [Double]) {
        if weight.isEmpty { return ([], []) }
        let full: [Double]
        if weight.count == 1 { full = Array(repeating: weight[0], count: classes) }
        else if weight.count == classes { full = weight }
        else {
            throw LossError.invalidParameter(loss: loss, name: "weight",
                                             message: "\(weight.count) weights given for \(classes) classes (give one per class, background included)")
        }
        let keepAll = includeBackground || classes == 1
        return (full, keepAll ? full : Array(full.dropFirst()))
    }
}

extension CompoundTerms {
    /// The input (and a same-shaped dense target) without channel 0: MONAI's
    /// `include_background=False` slicing, done before the activation.
    static func withoutFirstChannel(_ values: [Float], layout: ClassScoreShape) -> Tensor {
        let C = layout.classes, S = layout.spatial
        var out = [Float]()
        out.reserveCapacity(layout.batch * (C - 1) * S)
        for n in 0..<layout.batch {
            out.append(contentsOf: values[((n * C + 1) * S)..<((n + 1) * C * S)])
        }
        return Tensor(unchecked: [layout.batch, C - 1] + layout.spatialShape, data: out)
    }

    /// A gradient over channels 1…C−1 put back into the full layout (channel 0 gets 0).
    static func withFirstChannel(_ gradient: Tensor, layout: ClassScoreShape) -> Tensor {
        let C = layout.classes, S = layout.spatial
        var out = [Float](repeating: 0, count: layout.count)
        for n in 0..<layout.batch {
            for s in 0..<((C - 1) * S) { out[(n * C + 1) * S + s] = gradient.data[n * (C - 1) * S + s] }
        }
        return Tensor(unchecked: layout.shape, data: out)
    }

    /// A loss output multiplied by a constant.
    static func scaled(_ output: LossOutput, by factor: Double) -> LossOutput {
        LossOutput(value: Tensor(unchecked: output.value.shape, data: output.value.data.map { Float(Double($0) * factor) }),
                   gradient: output.gradient.map { Tensor(unchecked: $0.shape, data: $0.data.map { Float(Double($0) * factor) }) })
    }
}
