import Foundation

/// Focal loss (Lin et al. 2017), textbook form: summed over classes in softmax mode.
///
/// Softmax (default), per position:
/// ```latex
/// \ell_i = -\sum_c \alpha_c\, t_{i,c}\, (1 - p_{i,c})^{\gamma} \log p_{i,c}
/// ```
/// Sigmoid, per element (torchvision's `sigmoid_focal_loss`):
/// ```latex
/// \ell = \alpha_t\,(1 - p_t)^{\gamma}\,\mathrm{BCE}(x, t), \quad p_t = p\,t + (1-p)(1-t)
/// ```
/// The modulating factor (1 − p_t)^γ never comes from a rounded p_t: 1 − p_c is the other classes'
/// probabilities summed (softmax), or the factor is exp(γ·log σ(∓x)) from log-sigmoid; so logits of
/// ±1000 give finite values and gradients. NaN logits propagate to their position (softmax) or
/// element (sigmoid).
public struct FocalLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "focal",
        category: .distribution,
        formulas: [
            #"\mathrm{FL}(p_t) = -\alpha_t\,(1 - p_t)^{\gamma} \log p_t"#,
            #"\ell_i^{\text{softmax}} = -\sum_{c=1}^{C} \alpha_c\, t_{i,c}\,(1 - p_{i,c})^{\gamma}\log p_{i,c}"#,
            #"\ell^{\text{sigmoid}} = \alpha_t\,(1 - p_t)^{\gamma}\left[-t\log\sigma(x) - (1-t)\log\sigma(-x)\right],\quad p_t = \sigma(x)\,t + (1-\sigma(x))(1-t)"#,
        ],
        parameters: [
            ParameterSpec("gamma", .number(min: 0, max: nil), default: .number(2)),
            ParameterSpec("alpha", .numbers(min: 0, max: nil), default: .numbers([])),
            ParameterSpec.activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("torchvision", "torchvision.ops.sigmoid_focal_loss(x, t, alpha=α or -1, gamma=γ, reduction=r)  # activation=sigmoid"),
            PeerEquivalent("monai", "monai.losses.FocalLoss(gamma=γ, alpha=α)  # activation=sigmoid, 0/1 targets"),
            PeerEquivalent("monai", "C * monai.losses.FocalLoss(use_softmax=True, to_onehot_y=True, gamma=γ, alpha=α)  # activation=softmax"),
            PeerEquivalent("kornia", "C * kornia.losses.focal_loss(x, y, alpha=α, gamma=γ, reduction='mean')  # activation=softmax"),
        ],
        citation: Citation("Lin T.-Y., Goyal P., Girshick R., He K., Dollár P. Focal Loss for Dense Object Detection. ICCV 2017.",
                           url: "https://arxiv.org/abs/1708.02002"))

    let gamma: Double
    let alpha: [Double]
    let activation: Activation
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        gamma = try parameters.number("gamma")
        alpha = try parameters.numbers("alpha")
        if alpha.count == 1, alpha[0] > 1 {
            throw LossError.invalidParameter(loss: parameters.loss, name: "alpha",
                                             message: "a single alpha must be in [0, 1], got \(alpha[0])")
        }
        activation = try parameters.activation()
        reduction = try parameters.reduction()
    }

    /// α for class c in softmax form; (α⁺, α⁻) for channel c in sigmoid form.
    func softmaxAlpha(_ C: Int) throws -> [Double] {
        switch alpha.count {
        case 0: return [Double](repeating: 1, count: C)
        case 1: return [1 - alpha[0]] + [Double](repeating: alpha[0], count: max(0, C - 1))
        case C: return alpha
        default:
            throw LossError.shapeMismatch("'focal': alpha has \(alpha.count) values but the input has \(C) classes")
        }
    }

    func sigmoidAlpha(_ C: Int) throws -> [(pos: Double, neg: Double)]? {
        switch alpha.count {
        case 0: return nil
        case 1: return [(pos: Double, neg: Double)](repeating: (alpha[0], 1 - alpha[0]), count: C)
        case C: return alpha.map { ($0, 1 - $0) }
        default:
            throw LossError.shapeMismatch("'focal': alpha has \(alpha.count) values but the input has \(C) channels")
        }
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        switch activation {
        case .softmax:
            // A class-index map is read where it lies (``BlockTarget``): a one-hot copy of the kernel
            // benchmark's 2×96³ labels is 27 MiB the loss would write, then read once.
            return try softmaxFocal(input, layout: layout, target: ClassScores.view(target, for: layout), gradient: gradient)
        case .sigmoid:
            let resolved = try ClassScores.target(target, for: layout)
            if case let .dense(t) = resolved, let bad = t.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                throw LossError.invalidInput("'focal' (sigmoid) takes targets in [0, 1]; target[\(bad)] = \(t[bad])")
            }
            return try sigmoidFocal(input, layout: layout, target: ClassScores.dense(resolved, layout: layout), gradient: gradient)
        case .none:
            let resolved = try ClassScores.target(target, for: layout)
            try ClassScores.checkProbabilities(input)
            return try probabilityFocal(input, layout: layout, target: ClassScores.dense(resolved, layout: layout), gradient: gradient)
        }
    }

    // MARK: - Sigmoid form

    private func sigmoidFocal(_ input: Tensor, layout: ClassScoreShape, target: [Float], gradient: Bool) throws -> LossOutput {
        let alphas = try sigmoidAlpha(layout.classes)
        let gamma = self.gamma, C = layout.classes, S = layout.spatial
        let targetTensor = Tensor(unchecked: input.shape, data: target)
        return Elementwise.evaluate(input, targetTensor, reduction: reduction, gradient: gradient) { i, x, t in
            // One exponential: e = e^{−|x|} gives log σ(±x), σ(±x) and the BCE term.
            let e = exp(-abs(x)), l = log1p(e)
            let logP = min(x, 0) - l, logQ = min(-x, 0) - l
            let p = x >= 0 ? 1 / (1 + e) : e / (1 + e)
            let q = x >= 0 ? e / (1 + e) : 1 / (1 + e)
            let bce = (1 - t) * x - logP
            // log(1 − p_t), exact for hard labels.
            let logU: Double = t == 1 ? logQ : (t == 0 ? logP : log(p * (1 - t) + q * t))
            let factor = gamma == 0 ? 1 : exp(gamma * logU)
            var a = 1.0
            if let alphas {
                let c = (i / S) % C
                a = alphas[c].pos * t + alphas[c].neg * (1 - t)
            }
            let value = a * factor * bce
            // γ u^{γ−1} p q, with its limit 0 when u = 0.
            let dFactor = (gamma == 0 || logU == -.infinity) ? 0 : gamma * exp((gamma - 1) * logU + logP + logQ)
            let slope = a * (dFactor * (1 - 2 * t) * bce + factor * (p - t))
            return (value, slope)
        }
    }

    // MARK: - Softmax form

    /// Logits: the shared `Softmax` kernel, eight positions (lanes) at a time, in `Float` SIMD:
    ///
    /// - u_c = 1 − p_c: as 1 − p_c where p_c ≤ ½ (no cancellation there: u ≥ ½), and as the other
    ///   classes' probabilities summed, Σ_{k≠c} p_k, where p_c > ½ (non-negative terms, so accurate
    ///   as p_c → 1, where 1 − p_c would cancel); the sum costs C − 2 more roundings than p's own
    ///   error, (C + 5)·6·10⁻⁸, and is taken only for the one class of a position that can exceed ½;
    /// - log p_c = (x_c − m) − log z, never the log of a rounded p; the value's in `Double` (x_c − m
    ///   exact, as cross entropy's), the gradient's in `Float`;
    /// - ℓ_c = α_c t_c u^γ (−log p_c), a product of non-negative numbers, added over classes and
    ///   positions in `Double`;
    /// - h_c = ∂ℓ/∂log p_c = −α_c t_c (u^γ − γ u^{γ−1} p_c log p_c), a sum of non-negative terms;
    ///   the second is 0 wherever its coefficient γ u^{γ−1} p_c is (γ = 0, p_c = 0 from a −∞ logit,
    ///   u = 0), its limit there, so a −∞ logit gives no NaN; then ∂ℓ/∂x_c = h_c − p_c Σ_k h_k.
    ///
    /// u^γ and u^{γ−1} are products for γ = 0, 1, 2 (2 is the default) and `pow` in `Double`,
    /// lane by lane, for any other γ. A class with t_c = 0 adds nothing to a lane: what it would
    /// add is masked out, whatever was formed (0 · ∞ included).
    private func softmaxFocal(_ input: Tensor, layout: ClassScoreShape, target: ClassTargetView, gradient: Bool) throws -> LossOutput {
        typealias V = Softmax.Vector
        let alphas = try softmaxAlpha(layout.classes).map(Float.init)
        let gamma = self.gamma, C = layout.classes
        let gammas = V(repeating: Float(gamma))
        let keep = reduction == .none
        let scale = V(repeating: Float(Reduce.gradientScale(reduction, count: Double(layout.positions))))
        var values = [Float](repeating: 0, count: keep ? layout.positions : 0)
        var grad = [Float](repeating: 0, count: gradient ? layout.count : 0)
        /// u^γ and u^{γ−1} (the latter 0 for γ = 0, and where u = 0).
        func powers(_ u: V, labelled: SIMDMask<SIMD8<Int32>>) -> (factor: V, lower: V) {
            switch gamma {
            case 0: return (V(repeating: 1), .zero)
            case 1: return (u, V(repeating: 1))
            case 2: return (u * u, u)
            default:
                var factor = V.zero, lower = V.zero
                for lane in 0..<Softmax.width where labelled[lane] {
                    let ul = Double(u[lane])
                    factor[lane] = Float(pow(ul, gamma))
                    lower[lane] = ul == 0 ? 0 : Float(pow(ul, gamma - 1))
                }
                return (factor, lower)
            }
        }
        let sum = input.data.withUnsafeBufferPointer { x in
            target.withBlockTarget { t in
                values.withUnsafeMutableBufferPointer { v in
                    grad.withUnsafeMutableBufferPointer { g in
                        Parallel.sum(count: Softmax.blockCount(layout), grain: Softmax.grain(layout)) { range in
                            withUnsafeTemporaryAllocation(of: V.self, capacity: 2 * C) { scratch in
                                let h = scratch.baseAddress!, u = h + C
                                var total = SIMD8<Double>.zero
                                Softmax.forEachBlock(x.baseAddress!, layout: layout, blocks: range) { b in
                                    // Σ_{k<c} p_k + Σ_{k>c} p_k where p_c > ½, else 1 − p_c (lanes past the
                                    // block's end: p = 0, so u = 1, and no class is labelled there).
                                    var before = V.zero
                                    for c in 0..<C { u[c] = before; before += b.p[c] }
                                    var after = V.zero
                                    for c in stride(from: C - 1, through: 0, by: -1) {
                                        let others = u[c] + after
                                        u[c] = (1 - b.p[c]).replacing(with: others, where: b.p[c] .> 0.5)
                                        after += b.p[c]
                                    }
                                    // A label map's lanes past the block's end read −1: no class.
                                    let labels = t.labels.map { b.labels($0) } ?? .zero
                                    var lanes = SIMD8<Double>.zero, hSum = V.zero
                                    for c in 0..<C {
                                        h[c] = .zero
                                        let tc = t.values(b, class: c, labels: labels)
                                        let labelled = tc .!= .zero
                                        guard any(labelled) else { continue }
                                        let w = V(repeating: alphas[c]) * tc
                                        let (factor, lower) = powers(u[c], labelled: labelled)
                                        let logP = SIMD8<Double>(b.x[c]) - SIMD8<Double>(b.max) - SIMD8<Double>(b.logZ)
                                        let weight = SIMD8<Double>(V.zero.replacing(with: w * factor, where: labelled))
                                        lanes -= SIMD8<Double>.zero.replacing(with: weight * logP, where: weight .!= .zero)
                                        guard gradient else { continue }
                                        // γ u^{γ−1} p_c log p_c, 0 wherever its coefficient is.
                                        let slope = gammas * b.p[c] * lower
                                        let pLogP = V.zero.replacing(with: slope * ((b.x[c] - b.max) - b.logZ), where: slope .!= .zero)
                                        h[c] = V.zero.replacing(with: -(w * (factor - pLogP)), where: labelled)
                                        hSum += h[c]
                                    }
                                    total += lanes
                                    if keep {
                                        let position = SIMD8<Float>(lanes)
                                        for lane in 0..<b.lanes { v[b.position + lane] = position[lane] }
                                    }
                                    if gradient {
                                        for c in 0..<C { b.store((h[c] - b.p[c] * hSum) * scale, to: g.baseAddress!, class: c) }
                                    }
                                }
                                return total.sum()
                            }
                        }
                    }
                }
            }
        }
        let value = Reduce.value(sum: sum, count: Double(layout.positions), elements: values,
                                 shape: layout.positionShape, reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }

    /// Probabilities (`activation: none`): log p clamped at −100, ∂ℓ/∂p directly.
    private func probabilityFocal(_ input: Tensor, layout: ClassScoreShape, target: [Float], gradient: Bool) throws -> LossOutput {
        let alphas = try softmaxAlpha(layout.classes)
        let gamma = self.gamma, C = layout.classes, S = layout.spatial
        let keep = reduction == .none
        let scale = Reduce.gradientScale(reduction, count: Double(layout.positions))
        var values = [Float](repeating: 0, count: keep ? layout.positions : 0)
        var grad = [Float](repeating: 0, count: gradient ? layout.count : 0)
        let sum = input.data.withUnsafeBufferPointer { x in
            target.withUnsafeBufferPointer { t in
                values.withUnsafeMutableBufferPointer { v in
                    grad.withUnsafeMutableBufferPointer { g in
                        Parallel.sum(count: layout.positions, grain: max(1, Parallel.grain / C)) { range in
                            var logP = [Double](repeating: 0, count: C)
                            var h = [Double](repeating: 0, count: C)
                            var total = 0.0
                            for pos in range {
                                let n = pos / S, base = n * C * S + (pos - n * S)
                                for c in 0..<C { logP[c] = ClassScores.clampedLog(Double(x[base + c * S])) }
                                var loss = 0.0
                                for c in 0..<C {
                                    h[c] = 0
                                    let tc = Double(t[base + c * S])
                                    guard tc != 0 else { continue }
                                    let lp = logP[c]
                                    let pc = Double(x[base + c * S])
                                    let lq = log1p(-pc)
                                    let factor = gamma == 0 ? 1 : exp(gamma * lq)
                                    let w = alphas[c] * tc
                                    loss -= w * factor * lp
                                    guard gradient else { continue }
                                    // γ (1 − p)^{γ−1} log p, limit 0 at p = 1.
                                    let dFactor = (gamma == 0 || lq == -.infinity) ? 0 : gamma * exp((gamma - 1) * lq) * lp
                                    // ∂ℓ/∂p_c.
                                    h[c] = -w * (factor / max(pc, 1e-12) - dFactor)
                                }
                                total += loss
                                if keep { v[pos] = Float(loss) }
                                if gradient {
                                    for c in 0..<C { g[base + c * S] = Float(h[c] * scale) }
                                }
                            }
                            return total
                        }
                    }
                }
            }
        }
        let value = Reduce.value(sum: sum, count: Double(layout.positions), elements: values,
                                 shape: layout.positionShape, reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }
}
