import Foundation

/// Asymmetric Unified Focal loss (Yeung et al. 2022), MONAI `AsymmetricUnifiedFocalLoss` exactly:
/// a weighted sum of an asymmetric focal term and an asymmetric focal Tversky term over the
/// background (channel 0, c = 1 in the 1-based formulas) and foreground (channel 1, c = 2) of a
/// binary segmentation.
///
/// With P = clamp(p, ε, 1 − ε), ε = 10⁻⁷ (MONAI's clamp, in `Float` as MONAI's float32), g the
/// two-channel target, N samples and S positions:
///
/// ```latex
/// \mathcal{L} = w\,F + (1 - w)\,T, \quad
/// F = \frac{1}{2NS}\sum_{n,i} \Bigl[-(1-\delta)(1 - P_0)^{\gamma} g_0 \log P_0 - \delta\, g_1 \log P_1\Bigr], \quad
/// T = \frac{1}{2N}\sum_n \Bigl[(1 - D_0) + (1 - D_1)^{1-\gamma}\Bigr]
/// ```
///
/// with D_c = (TP_c + ε)/(TP_c + δ FN_c + (1 − δ) FP_c + ε) per sample and channel. The
/// background is suppressed (focal factor in F, no exponent in T), the foreground enhanced.
/// Input: probabilities (not logits; MONAI applies no activation) `[N, C, H, W]` or
/// `[N, C, D, H, W]`, C = 1 (p is the foreground, [1 − p, p] as MONAI) or C = 2. Target: with
/// C = 1 a binary map `[N, 1, spatial…]` or `[N, spatial…]`; with C = 2 the dense two channels,
/// or with `to_onehot_y` class indices `[N, 1, spatial…]` or `[N, spatial…]`. MONAI's terms
/// reduce with their own `mean`, so every `reduction` gives the same scalar, as MONAI.
/// 1 − D is formed as (δ FN + (1 − δ) FP)/(…) (no cancellation); its exponent's infinite slope at
/// 1 − D = 0 is set to 0. The clamp's gradient is torch's: 1 on [ε, 1 − ε] inclusive, 0 outside.
/// NaN inputs propagate.
public struct AsymmetricUnifiedFocalLoss: Loss {
    /// MONAI's ε of both terms (the clamp and the Tversky smoothing).
    static let epsilon = 1e-7

    public static let descriptor = LossDescriptor(
        id: "unified-focal",
        category: .compound,
        formulas: [
            #"\mathcal{L} = w\,\mathcal{L}_{aF} + (1 - w)\,\mathcal{L}_{aFT}"#,
            #"\mathcal{L}_{aF} = \frac{1}{2NS}\sum_{n,i} \Bigl[-(1-\delta)(1 - P_{n,1,i})^{\gamma} g_{n,1,i} \log P_{n,1,i} - \delta\, g_{n,2,i} \log P_{n,2,i}\Bigr], \quad P_{n,c,i} = \operatorname{clip}(p_{n,c,i}, \epsilon, 1 - 2^{-23})"#,
            #"\mathcal{L}_{aFT} = \frac{1}{2N}\sum_n \Bigl[(1 - D_{n,1}) + (1 - D_{n,2})^{1-\gamma}\Bigr], \quad D_{n,c} = \frac{TP_{n,c} + \epsilon}{TP_{n,c} + \delta\, FN_{n,c} + (1 - \delta)\, FP_{n,c} + \epsilon}"#,
            #"TP_{n,c} = \sum_i P_{n,c,i}\, g_{n,c,i}, \quad FN_{n,c} = \sum_i (1 - P_{n,c,i})\, g_{n,c,i}, \quad FP_{n,c} = \sum_i P_{n,c,i}\, (1 - g_{n,c,i})"#,
        ],
        parameters: [
            ParameterSpec("to_onehot_y", .bool, default: .bool(false)),
            ParameterSpec("num_classes", .integer(min: 2, max: 2), default: .number(2)),
            ParameterSpec("weight", .number(min: 0, max: 1), default: .number(0.5)),
            ParameterSpec("gamma", .number(min: 0, max: 1), default: .number(0.5)),
            ParameterSpec("delta", .number(min: 0, max: 1), default: .number(0.7)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.AsymmetricUnifiedFocalLoss()"),
        ],
        citation: Citation("Yeung M., Sala E., Schönlieb C.-B., Rundo L. Unified Focal loss: Generalising Dice and cross entropy-based losses to handle class imbalanced medical image segmentation. Computerized Medical Imaging and Graphics 95:102026, 2022.",
                           url: "https://doi.org/10.1016/j.compmedimag.2021.102026"))

    let toOneHot: Bool
    let weight: Double, gamma: Double, delta: Double

    public init(_ parameters: Parameters) throws {
        toOneHot = try parameters.bool("to_onehot_y")
        _ = try parameters.integer("num_classes")
        weight = try parameters.number("weight")
        gamma = try parameters.number("gamma")
        delta = try parameters.number("delta")
        _ = try parameters.reduction()
    }

    /// The clamped background and foreground probabilities `[N, 2, S]` in `Double`, whether the
    /// clamp passes each one's gradient, and the two-channel target.
    private func channels(_ input: Tensor, target: Tensor?) throws -> (p: [Double], passes: [Bool], g: [Double], n: Int, s: Int) {
        guard input.rank == 4 || input.rank == 5 else {
            throw LossError.invalidInput("unified-focal needs input [N, C, H, W] or [N, C, D, H, W], got \(input.shape)")
        }
        guard let target else { throw LossError.invalidInput("unified-focal needs a target") }
        let n = input.shape[0], c = input.shape[1], spatial = Array(input.shape.dropFirst(2))
        let s = spatial.reduce(1, *)
        guard c == 1 || c == 2 else {
            throw LossError.invalidInput("unified-focal is binary: input must have 1 or 2 channels, got \(c)")
        }
        guard n * s > 0 else { throw LossError.invalidInput("input \(input.shape) holds no elements") }
        let labelShapes = [[n] + spatial, [n, 1] + spatial]
        var g = [Double](repeating: 0, count: 2 * n * s)
        if c == 2 && toOneHot {
            guard labelShapes.contains(target.shape) else {
                throw LossError.shapeMismatch("with to_onehot_y the target must be class indices \([n, 1] + spatial), got \(target.shape)")
            }
            for (k, v) in target.data.enumerated() {
                guard v == 0 || v == 1 else { throw LossError.invalidInput("class index \(v) at flat index \(k) is not 0 or 1") }
                g[(k / s * 2 + Int(v)) * s + k % s] = 1
            }
        } else {
            let ok = c == 1 ? labelShapes.contains(target.shape) : target.shape == input.shape
            guard ok else {
                throw LossError.shapeMismatch("target shape \(target.shape) does not fit input \(input.shape)")
            }
            if let k = target.data.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                throw LossError.invalidInput("target value \(target.data[k]) at flat index \(k) is outside [0, 1]")
            }
            for k in 0..<(n * s) {
                let b = k / s, i = k % s
                if c == 1 {
                    let t = Double(target.data[k])
                    g[2 * b * s + i] = 1 - t
                    g[(2 * b + 1) * s + i] = t
                } else {
                    g[2 * b * s + i] = Double(target.data[2 * b * s + i])
                    g[(2 * b + 1) * s + i] = Double(target.data[(2 * b + 1) * s + i])
                }
            }
        }
        let lo = Float(Self.epsilon), hi = Float(1 - Self.epsilon)
        var p = [Double](repeating: 0, count: 2 * n * s), passes = [Bool](repeating: false, count: 2 * n * s)
        for k in 0..<(2 * n * s) {
            let b = k / (2 * s), ch = k / s % 2, i = k % s
            // MONAI: [1 − p, p] in float32 for one channel, then the clamp.
            let raw: Float = c == 1 ? (ch == 0 ? 1 - input.data[b * s + i] : input.data[b * s + i]) : input.data[k]
            passes[k] = raw >= lo && raw <= hi
            p[k] = raw.isNaN ? .nan : Double(min(max(raw, lo), hi))
        }
        return (p, passes, g, n, s)
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let (p, passes, g, n, s) = try channels(input, target: target)
        let eps = Self.epsilon, w = weight, delta = self.delta, gamma = self.gamma
        var dP = [Double](repeating: 0, count: p.count)
        // Asymmetric focal term: mean over [N, 2, S].
        let focalScale = w / Double(2 * n * s)
        var focal = 0.0
        for b in 0..<n {
            for i in 0..<s {
                let k0 = 2 * b * s + i, k1 = k0 + s
                let p0 = p[k0], p1 = p[k1], q0 = 1 - p0
                let lp0 = log(p0), lp1 = log(p1)
                focal -= (1 - delta) * pow(q0, gamma) * g[k0] * lp0 + delta * g[k1] * lp1
                if gradient {
                    // d/dP0 of −(1−δ)(1−P0)^γ g0 log P0; 1 − P0 ≥ ε keeps (1−P0)^{γ−1} finite.
                    let modulated = gamma == 0 ? 0 : gamma * pow(q0, gamma - 1) * lp0
                    dP[k0] += focalScale * (1 - delta) * g[k0] * (modulated - pow(q0, gamma) / p0)
                    dP[k1] -= focalScale * delta * g[k1] / p1
                }
            }
        }
        // Asymmetric focal Tversky term: mean over [N, 2].
        let tverskyScale = (1 - w) / Double(2 * n)
        var tversky = 0.0
        for b in 0..<n {
            for ch in 0..<2 {
                let base = (2 * b + ch) * s
                var tp = 0.0, fn = 0.0, fp = 0.0
                for i in 0..<s {
                    let pi = p[base + i], gi = g[base + i]
                    tp += gi * pi
                    fn += gi * (1 - pi)
                    fp += (1 - gi) * pi
                }
                let den = tp + delta * fn + (1 - delta) * fp + eps
                let d = (tp + eps) / den
                // 1 − D without cancellation.
                let miss = max((delta * fn + (1 - delta) * fp) / den, 0)
                let value: Double, slope: Double   // slope = ∂term/∂D
                if ch == 0 {
                    (value, slope) = (miss, -1)
                } else {
                    value = pow(miss, 1 - gamma)
                    slope = miss > 0 ? -(1 - gamma) * pow(miss, -gamma) : 0
                }
                tversky += value
                if gradient {
                    // ∂D/∂P_i = (g_i − D(1 − δ)) / den (the denominator is δΣg + (1 − δ)ΣP + ε).
                    let factor = tverskyScale * slope / den
                    for i in 0..<s { dP[base + i] += factor * (g[base + i] - d * (1 - delta)) }
                }
            }
        }
        let value = Tensor(scalar: Float(focalScale * focal + tverskyScale * tversky))
        guard gradient else { return LossOutput(value: value) }
        let c = input.shape[1]
        var grad = [Double](repeating: 0, count: input.count)
        for k in 0..<p.count where passes[k] {
            let b = k / (2 * s), ch = k / s % 2, i = k % s
            if c == 1 {
                grad[b * s + i] += ch == 0 ? -dP[k] : dP[k]
            } else {
                grad[k] = dP[k]
            }
        }
        return LossOutput(value: value, gradient: Tensor(unchecked: input.shape, data: grad.map(Float.init)))
    }
}
