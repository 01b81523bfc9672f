import Foundation

/// Element-wise losses: input and target of equal shape, one value per element, reduced as
/// `torch.nn` does (`mean` over all elements).
extension ReferenceLosses {
    static var genericEntries: [Entry] {
        [
            elementwise("zero-one") { x, y in y * x > 0 ? 0 : 1 },
            elementwise("l1") { x, y in abs(x - y) },
            elementwise("l2") { x, y in (x - y) * (x - y) },
            Entry(id: "smooth-l1", defaults: reductionDefault.merging(["beta": .number(1)]) { $1 }) { input, target, p in
                let beta = try p.number("beta")
                return try mapPairs(input, target, p) { x, y in
                    let d = abs(x - y)
                    // β = 0 is L1 (torch: "beta = 0 is equivalent to L1Loss").
                    if beta == 0 { return d }
                    return d < beta ? 0.5 * d * d / beta : d - 0.5 * beta
                }
            },
            Entry(id: "huber", defaults: reductionDefault.merging(["delta": .number(1)]) { $1 }) { input, target, p in
                let delta = try p.number("delta")
                return try mapPairs(input, target, p) { x, y in
                    let d = abs(x - y)
                    return d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta)
                }
            },
            // log cosh d = |d| + log(1 + e^{−2|d|}) − log 2, the same number without overflowing cosh.
            elementwise("log-cosh") { x, y in
                let d = abs(x - y)
                return d + log1p(exp(-2 * d)) - log(2.0)
            },
            elementwise("exponential") { x, y in exp(-y * x) },
            elementwise("hinge") { x, y in max(0, 1 - y * x) },
            elementwise("squared-hinge") { x, y in
                let h = max(0, 1 - y * x)
                return h * h
            },
            // log(1 + e^{−yx}) = −log σ(yx).
            elementwise("soft-margin") { x, y in -RefMath.logSigmoid(y * x) },
            // torch.nn.KLDivLoss: input is log q, target is p; p log p is 0 at p = 0.
            Entry(id: "kl-divergence", defaults: reductionDefault.merging(["log_target": .bool(false)]) { $1 }) { input, target, p in
                let logTarget = try p.bool("log_target")
                return try mapPairs(input, target, p) { logQ, t in
                    if logTarget { return exp(t) * (t - logQ) }
                    return t > 0 ? t * (log(t) - logQ) : 0
                }
            },
            Entry(id: "binary-cross-entropy",
                  defaults: reductionDefault.merging(["weight": .numbers([]), "pos_weight": .numbers([])]) { $1 }) { input, target, p in
                try binaryCrossEntropy(input, target, p)
            },
            Entry(id: "perceptual", defaults: reductionDefault.merging(["layer_weights": .numbers([])]) { $1 }) { input, target, p in
                try perceptual(input, target, p)
            },
        ]
    }

    /// An element-wise loss with only a `reduction` parameter.
    static func elementwise(_ id: String, _ f: @escaping (Double, Double) -> Double) -> Entry {
        Entry(id: id, defaults: reductionDefault) { input, target, p in try mapPairs(input, target, p, f) }
    }

    /// `f(input_i, target_i)` for every element, then the reduction.
    static func mapPairs(_ input: RefArray, _ target: RefArray?, _ p: RefParameters,
                         _ f: (Double, Double) -> Double) throws -> RefArray {
        guard let target, target.shape == input.shape else {
            throw ReferenceError.invalidInput("input \(input.shape) and target \(target?.shape ?? []) must have equal shapes")
        }
        let values = (0..<input.count).map { f(input.data[$0], target.data[$0]) }
        return RefMath.reduce(values, shape: input.shape, try p.reduction())
    }

    /// `torch.nn.BCEWithLogitsLoss(weight, pos_weight)`:
    /// `ℓ = −w [p_w · y · log σ(x) + (1 − y) · log σ(−x)]`, `w` and `p_w` broadcast along the
    /// trailing axis (torch broadcasting of a 1-D tensor).
    static func binaryCrossEntropy(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let weight = try p.numbers("weight"), posWeight = try p.numbers("pos_weight")
        let last = input.shape.last ?? 1
        func broadcast(_ w: [Double], _ i: Int) -> Double {
            if w.isEmpty { return 1 }
            if w.count == 1 { return w[0] }
            return w[i % last]
        }
        for w in [weight, posWeight] where w.count > 1 && w.count != last {
            throw ReferenceError.invalidInput("weights of length \(w.count) do not broadcast over the last axis (\(last))")
        }
        guard let target, target.shape == input.shape else { throw ReferenceError.invalidInput("target must match input") }
        let values = (0..<input.count).map { i -> Double in
            let x = input.data[i], y = target.data[i]
            return -broadcast(weight, i) * (broadcast(posWeight, i) * y * RefMath.logSigmoid(x) + (1 - y) * RefMath.logSigmoid(-x))
        }
        return RefMath.reduce(values, shape: input.shape, try p.reduction())
    }

    /// Perceptual (feature-matching) loss on feature maps `[N, L, …]`? See the catalog entry;
    /// here: `Σ_l w_l · mean_{i ∈ layer l} (φ_l(x)_i − φ_l(y)_i)²` per sample.
    static func perceptual(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        throw ReferenceError.invalidInput("perceptual: waiting for the catalog's input convention")
    }
}
