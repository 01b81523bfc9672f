import Foundation

/// Class scores `[N, C, spatial…]` turned into probabilities, and the target as a dense
/// per-class array, both indexed `(n, c, s)` with `s` the flat spatial position.
///
/// Written straight from the definitions:
/// softmax `p_c = e^{x_c} / Σ_k e^{x_k}` (with the maximum subtracted first, an identity),
/// sigmoid `p = 1 / (1 + e^{−x})`, `none` takes `p = x`.
/// `logP` / `logOneMinusP` are `log p` and `log(1 − p)` computed without forming `p` first
/// (log-sum-exp and log-sigmoid), because at logits of ±1000 `p` rounds to 0 or 1.
struct RefClassScores {
    let batch: Int
    let channels: Int
    let spatial: Int
    let spatialShape: [Int]
    var p: [Double]
    var logP: [Double]
    var logOneMinusP: [Double]

    func at(_ n: Int, _ c: Int, _ s: Int) -> Int { (n * channels + c) * spatial + s }

    init(_ input: RefArray, activation: RefActivation) throws {
        guard input.shape.count >= 2 else {
            throw ReferenceError.invalidInput("class scores need shape [N, C, spatial…], got \(input.shape)")
        }
        batch = input.shape[0]
        channels = input.shape[1]
        spatialShape = Array(input.shape.dropFirst(2))
        spatial = spatialShape.reduce(1, *)
        let total = input.count
        p = Array(repeating: 0, count: total)
        logP = Array(repeating: 0, count: total)
        logOneMinusP = Array(repeating: 0, count: total)
        switch activation {
        case .softmax:
            for n in 0..<batch {
                for s in 0..<spatial {
                    var m = -Double.infinity
                    for c in 0..<channels { m = max(m, input.data[(n * channels + c) * spatial + s]) }
                    var z = 0.0
                    for c in 0..<channels { z += exp(input.data[(n * channels + c) * spatial + s] - m) }
                    for c in 0..<channels {
                        let i = (n * channels + c) * spatial + s
                        logP[i] = input.data[i] - m - log(z)
                        p[i] = exp(logP[i])
                        // log(1 − p_c) = logsumexp_{k≠c}(x_k) − logsumexp_k(x_k), each with its own maximum
                        // so that 1 − p_c = e^{−2000} stays representable as a logarithm.
                        var mOthers = -Double.infinity
                        for k in 0..<channels where k != c { mOthers = max(mOthers, input.data[(n * channels + k) * spatial + s]) }
                        var others = 0.0
                        for k in 0..<channels where k != c { others += exp(input.data[(n * channels + k) * spatial + s] - mOthers) }
                        logOneMinusP[i] = mOthers + log(others) - m - log(z)
                    }
                }
            }
        case .sigmoid:
            for i in 0..<total {
                let x = input.data[i]
                p[i] = 1 / (1 + exp(-x))
                logP[i] = RefMath.logSigmoid(x)
                logOneMinusP[i] = RefMath.logSigmoid(-x)
            }
        case .none:
            for i in 0..<total {
                let x = input.data[i]
                p[i] = x
                // torch.nn.BCELoss clamps its logarithms at −100; the catalog documents the same
                // for probabilities given directly, so p = 0 costs 100, not ∞.
                logP[i] = max(log(x), -100)
                logOneMinusP[i] = max(log(1 - x), -100)
            }
        }
    }
}

/// The target of a class-score loss as a dense `(n, c, s)` array, with a mask of the
/// positions that count (all of them, except class-index positions equal to `ignoreIndex`).
struct RefClassTarget {
    var t: [Double]
    var counts: [Bool]
    /// The class index per `(n, s)` when the target was given as indices.
    var labels: [Int]?

    /// - Parameters:
    ///   - ignoreIndex: a label value whose positions are left out (`counts` false, `t` all 0).
    init(_ target: RefArray?, for scores: RefClassScores, ignoreIndex: Int? = nil) throws {
        guard let target else { throw ReferenceError.invalidInput("this loss needs a target") }
        let n = scores.batch, c = scores.channels, s = scores.spatial
        let inputShape = [n, c] + scores.spatialShape
        if target.shape == inputShape {
            t = target.data
            counts = Array(repeating: true, count: n * s)
            labels = nil
        } else if target.shape == [n] + scores.spatialShape || (c != 1 && target.shape == [n, 1] + scores.spatialShape) {
            // Class indices, `[N, spatial…]` or MONAI's `[N, 1, spatial…]`.
            t = Array(repeating: 0, count: n * c * s)
            counts = Array(repeating: true, count: n * s)
            var labels = Array(repeating: -1, count: n * s)
            for b in 0..<n {
                for x in 0..<s {
                    let value = target.data[b * s + x]
                    guard value == value.rounded() else { throw ReferenceError.invalidInput("label \(value) is not whole") }
                    let label = Int(value)
                    if let ignoreIndex, label == ignoreIndex {
                        counts[b * s + x] = false
                        continue
                    }
                    if c == 1, label == 0 || label == 1 {
                        // One channel: a binary foreground map, the label is the target itself.
                        t[scores.at(b, 0, x)] = Double(label)
                    } else {
                        guard label >= 0, label < c else { throw ReferenceError.invalidInput("label \(label) out of range 0..<\(c)") }
                        t[scores.at(b, label, x)] = 1
                    }
                    labels[b * s + x] = label
                }
            }
            self.labels = labels
        } else {
            throw ReferenceError.invalidInput("target shape \(target.shape) fits neither \(inputShape) nor \([n] + scores.spatialShape)")
        }
    }
}

/// Small numerical identities the reference uses.
enum RefMath {
    /// `log σ(x) = −log(1 + e^{−x})`, written so that `x = ±1000` stays finite.
    static func logSigmoid(_ x: Double) -> Double {
        x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x))
    }

    /// Reduces per-element values as `torch.nn` does: mean, sum, or the values themselves.
    static func reduce(_ values: [Double], shape: [Int], _ reduction: RefReduction) -> RefArray {
        switch reduction {
        case .mean: return RefArray(scalar: values.reduce(0, +) / Double(values.count))
        case .sum: return RefArray(scalar: values.reduce(0, +))
        case .none:
            var out = RefArray(shape: shape, repeating: 0)
            out.data = values
            return out
        }
    }
}
