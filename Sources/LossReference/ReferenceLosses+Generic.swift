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
            // torch.nn.KLDivLoss: input is log q, target is p (or log p); p log p is 0 at p = 0.
            // `batchmean` divides the sum by the batch size shape[0].
            Entry(id: "kl-divergence", defaults: reductionDefault.merging(["log_target": .bool(false)]) { $1 }) { input, target, p in
                let logTarget = try p.bool("log_target")
                guard let target, target.shape == input.shape else { throw ReferenceError.invalidInput("target must match input") }
                var values: [Double] = []
                for i in 0..<input.count {
                    let logQ = input.data[i], t = target.data[i]
                    if logTarget {
                        values.append(t == -.infinity ? 0 : exp(t) * (t - logQ))
                    } else {
                        values.append(t > 0 ? t * (log(t) - logQ) : 0)
                    }
                }
                if try p.string("reduction") == "batchmean" {
                    return RefArray(scalar: values.reduce(0, +) / Double(input.shape.first ?? 1))
                }
                return RefMath.reduce(values, shape: input.shape, try p.reduction())
            },
            Entry(id: "binary-cross-entropy", defaults: reductionDefault.merging([
                "weight": .numbers([]), "pos_weight": .numbers([]), "activation": .string("sigmoid"),
            ]) { $1 }) { input, target, p in
                try binaryCrossEntropy(input, target, p)
            },
            Entry(id: "perceptual", defaults: reductionDefault.merging(["layer_weights": .numbers([1, 1, 1, 1])]) { $1 }) { input, target, p in
                try perceptual(input, target, p)
            },
        ]
    }

    /// An element-wise loss with only a `reduction` parameter.
    static func elementwise(_ id: String, _ f: @escaping @Sendable (Double, Double) -> Double) -> Entry {
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
    /// `ℓ = −w [p_w · y · log σ(x) + (1 − y) · log(1 − σ(x))]`, `w` and `p_w` one value per
    /// channel (axis 1 of a rank ≥ 2 input, as the catalog documents), or one value for all.
    /// With `activation: none` the input is p itself and both logs are clamped at −100
    /// (`torch.nn.BCELoss`).
    static func binaryCrossEntropy(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let weight = try p.numbers("weight"), posWeight = try p.numbers("pos_weight")
        let logits = try p.string("activation") == "sigmoid"
        guard let target, target.shape == input.shape else { throw ReferenceError.invalidInput("target must match input") }
        let axis = input.shape.count >= 2 ? 1 : 0
        for w in [weight, posWeight] where w.count > 1 && (input.shape.isEmpty || w.count != input.shape[axis]) {
            throw ReferenceError.invalidParameter(name: "weight", message: "\(w.count) values for \(input.shape) (one per channel, axis \(axis))")
        }
        func perChannel(_ w: [Double], _ i: Int) -> Double {
            if w.isEmpty { return 1 }
            if w.count == 1 { return w[0] }
            return w[input.index(ofOffset: i)[axis]]
        }
        var values: [Double] = []
        for i in 0..<input.count {
            let x = input.data[i], y = target.data[i]
            let logP = logits ? RefMath.logSigmoid(x) : max(log(x), -100)
            let logOneMinusP = logits ? RefMath.logSigmoid(-x) : max(log(1 - x), -100)
            values.append(-perChannel(weight, i) * (perChannel(posWeight, i) * y * logP + (1 - y) * logOneMinusP))
        }
        return RefMath.reduce(values, shape: input.shape, try p.reduction())
    }

    /// Perceptual loss on the catalog's fixed filter bank: per sample
    /// `ℓ_n = Σ_l w_l · (1/CHW) Σ_{c,i,j} (φ_l(x)_{c,i,j} − φ_l(y)_{c,i,j})²`, each φ_l a 3×3
    /// cross-correlation per channel with zero padding 1 (identity, Sobel-x, Sobel-y, Laplacian).
    static func perceptual(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        guard input.shape.count == 4, let target, target.shape == input.shape else {
            throw ReferenceError.invalidInput("perceptual takes [N, C, H, W] input and target of equal shape")
        }
        let kernels: [[Double]] = [
            [0, 0, 0, 0, 1, 0, 0, 0, 0],
            [-1, 0, 1, -2, 0, 2, -1, 0, 1],
            [-1, -2, -1, 0, 0, 0, 1, 2, 1],
            [0, 1, 0, 1, -4, 1, 0, 1, 0],
        ]
        let weights = try p.numbers("layer_weights")
        guard weights.count == kernels.count else { throw ReferenceError.invalidParameter(name: "layer_weights", message: "needs 4 values") }
        let (N, C, H, W) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        func filtered(_ a: RefArray, _ k: [Double], _ n: Int, _ c: Int, _ i: Int, _ j: Int) -> Double {
            var sum = 0.0
            for di in -1...1 {
                for dj in -1...1 {
                    let (ii, jj) = (i + di, j + dj)
                    guard ii >= 0, ii < H, jj >= 0, jj < W else { continue }
                    sum += k[(di + 1) * 3 + (dj + 1)] * a[[n, c, ii, jj]]
                }
            }
            return sum
        }
        var values: [Double] = []
        for n in 0..<N {
            var total = 0.0
            for (l, k) in kernels.enumerated() {
                var squares = 0.0
                for c in 0..<C {
                    for i in 0..<H {
                        for j in 0..<W {
                            let d = filtered(input, k, n, c, i, j) - filtered(target, k, n, c, i, j)
                            squares += d * d
                        }
                    }
                }
                total += weights[l] * squares / Double(C * H * W)
            }
            values.append(total)
        }
        return RefMath.reduce(values, shape: [N], try p.reduction())
    }
}
