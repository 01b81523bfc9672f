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
/// The modulating factor is (1 − p_t)^γ with 1 − p_t = −expm1(log p_t) from log-softmax, or
/// exp(γ·log σ(∓x)) from log-sigmoid, never from a rounded p_t, so logits of ±1000 give finite values
/// and gradients. NaN logits propagate to their position (softmax) or element (sigmoid).
public struct FocalLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "focal",
        name: Localized(zh: "Focal 损失", en: "Focal loss"),
        category: .distribution,
        formulas: [
            #"\mathrm{FL}(p_t) = -\alpha_t\,(1 - p_t)^{\gamma} \log p_t"#,
            #"\ell_i^{\text{softmax}} = -\sum_{c=1}^{C} \alpha_c\, t_{i,c}\,(1 - p_{i,c})^{\gamma}\log p_{i,c}"#,
            #"\ell^{\text{sigmoid}} = \alpha_t\,(1 - p_t)^{\gamma}\left[-t\log\sigma(x) - (1-t)\log\sigma(-x)\right],\quad p_t = \sigma(x)\,t + (1-\sigma(x))(1-t)"#,
        ],
        parameters: [
            ParameterSpec("gamma", .number(min: 0, max: nil), default: .number(2),
                          Localized(zh: "聚焦参数 γ ≥ 0：越大越压低易分样本的权重；γ = 0 退化为（α 加权的）交叉熵", en: "focusing parameter γ ≥ 0: larger values down-weight easy examples more; γ = 0 is (α-weighted) cross entropy")),
            ParameterSpec("alpha", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "类别平衡系数：空表示不用 α（默认，与 MONAI 相同）；单个值 α ∈ [0, 1]：sigmoid 模式正类 α、负类 1−α（torchvision），softmax 模式背景类（类 0）1−α、其余类 α（MONAI）；长度为 C 的列表：逐类 α_c",
                                    en: "class balance: empty means no α (default, as MONAI); one value α ∈ [0, 1]: sigmoid mode α for positives and 1−α for negatives (torchvision), softmax mode 1−α for the background class 0 and α for the others (MONAI); a list of length C: per-class α_c")),
            ParameterSpec.activation(),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入为类别得分 [N, C, d1, …, dK]（通道在第 1 维），默认 logits。softmax：沿类别维做 softmax，目标为类别索引图 [N, d1, …]（或 [N, 1, d1, …]）或同形的 one-hot/概率张量。sigmoid：每个通道独立做二分类，目标为同形的 0/1（或软）标签，也接受类别索引图（自动转成 one-hot，相当于 MONAI 的 to_onehot_y）。none：输入已是概率，按 softmax 形式（只对目标类求和）计算，log p 截断在 −100。",
            en: "Inputs are class scores [N, C, d1, …, dK] (channels on axis 1), logits by default. softmax: softmax over the class axis; the target is a class-index map [N, d1, …] (or [N, 1, d1, …]) or a one-hot / probability tensor shaped like the input. sigmoid: each channel is an independent binary problem; the target is 0/1 (or soft) labels shaped like the input, or a class-index map turned into one-hot (MONAI's to_onehot_y). none: inputs are probabilities, used in the softmax form (summed over the target classes), log p clamped at −100."),
        gradientNote: Localized(
            zh: "sigmoid 模式：$\\partial \\ell/\\partial x = \\alpha_t\\left[\\gamma (1-p_t)^{\\gamma-1}(1-2t)\\,p(1-p)\\,\\mathrm{BCE} + (1-p_t)^{\\gamma}(p - t)\\right]$。softmax 模式：令 $h_c = -\\alpha_c t_c\\left[(1-p_c)^{\\gamma} - \\gamma (1-p_c)^{\\gamma-1} p_c \\log p_c\\right]$，则 $\\partial \\ell/\\partial x_j = h_j - p_j \\sum_c h_c$。γ > 0 时，已分对的样本（p_t → 1）的梯度按 (1−p_t)^γ 衰减，训练集中在难样本上；$(1-p)^{\\gamma-1}$ 在 p = 1 处与 p log p 相乘的极限为 0，代码里显式处理，γ < 1 也不会出现 NaN。",
            en: "Sigmoid mode: $\\partial \\ell/\\partial x = \\alpha_t\\left[\\gamma (1-p_t)^{\\gamma-1}(1-2t)\\,p(1-p)\\,\\mathrm{BCE} + (1-p_t)^{\\gamma}(p - t)\\right]$. Softmax mode: with $h_c = -\\alpha_c t_c\\left[(1-p_c)^{\\gamma} - \\gamma (1-p_c)^{\\gamma-1} p_c \\log p_c\\right]$, $\\partial \\ell/\\partial x_j = h_j - p_j \\sum_c h_c$. For γ > 0 the gradient of well-classified examples (p_t → 1) decays like (1−p_t)^γ, so training concentrates on hard ones; the product of $(1-p)^{\\gamma-1}$ and p log p tends to 0 at p = 1 and the code takes that limit explicitly, so γ < 1 gives no NaN either."),
        peers: [
            PeerEquivalent("torchvision", "torchvision.ops.sigmoid_focal_loss(x, t, alpha=α or -1, gamma=γ, reduction=r)  # activation=sigmoid",
                           note: Localized(zh: "sigmoid 模式完全相同（包括软标签的 p_t 定义）；torchvision 默认 α = 0.25、reduction = none，我们默认无 α、mean，对应 alpha=-1。", en: "Identical in sigmoid mode (including p_t for soft labels); torchvision defaults to α = 0.25 and reduction = none, ours to no α and mean, i.e. alpha=-1.")),
            PeerEquivalent("monai", "monai.losses.FocalLoss(gamma=γ, alpha=α)  # activation=sigmoid, 0/1 targets",
                           note: Localized(zh: "sigmoid 模式、0/1 标签时相同（MONAI 的调制因子 exp(γ·logσ(−x(2t−1))) 对软标签与 torchvision 不同）。", en: "Same in sigmoid mode with 0/1 labels (MONAI's factor exp(γ·logσ(−x(2t−1))) differs from torchvision's for soft labels).")),
            PeerEquivalent("monai", "C * monai.losses.FocalLoss(use_softmax=True, to_onehot_y=True, gamma=γ, alpha=α)  # activation=softmax",
                           note: Localized(zh: "softmax 模式下 MONAI 对类别维也取平均，值是教科书形式的 1/C；乘以 C 后与我们相同（α 的约定相同：背景 1−α，其余 α）。", en: "In softmax mode MONAI also averages over the class axis, giving the textbook value divided by C; times C it equals ours (same α convention: 1−α for background, α for the rest).")),
            PeerEquivalent("kornia", "C * kornia.losses.focal_loss(x, y, alpha=α, gamma=γ, reduction='mean')  # activation=softmax",
                           note: Localized(zh: "kornia 0.9 与 MONAI 的约定相同：mean 对 [N, C, …] 全部元素取平均（是我们的 1/C），none 按类别给出 [N, C, …]（对类别求和即我们的 none），sum 与我们直接相等；标量 α 给类别 0 乘 1−α、其余类别乘 α，即我们的 alpha = [α]。", en: "kornia 0.9 follows MONAI's convention: mean averages over every element of [N, C, …] (ours / C), none is per class [N, C, …] (its sum over classes is our none), sum equals ours directly; a scalar α gives 1 − α to class 0 and α to the others, i.e. our alpha = [α].")),
        ],
        notes: Localized(
            zh: "softmax 模式我们刻意采用 Lin 等人的教科书形式：对类别求和、对位置取平均，mean 除以位置数 N·d1⋯dK，none 返回 [N, d1, …]。MONAI 的 FocalLoss(use_softmax=True) 对 [N, C, …] 全部元素取平均，因此数值是我们的 1/C（乘以 C 即相同）；kornia 0.9 的 focal_loss 同 MONAI。sigmoid 模式逐元素计算，mean 除以 N·C·d1⋯dK，none 返回与输入同形的张量，与 torchvision.ops.sigmoid_focal_loss 及 MONAI 的 sigmoid 模式一致（按类别给出 α 列表时，我们给负样本乘 1−α_c，MONAI 乘 1）。注意 MONAI FocalLoss 默认是 sigmoid 模式，而我们与其他类别得分损失一样默认 softmax。α 默认不使用（MONAI、Optax、smp 的做法；torchvision 默认 0.25）。调制因子用 exp(γ·log(1−p_t)) 计算，log(1−p_t) 来自 log-sigmoid 或 log1mexp(log p)，因此 logits 为 ±1000、概率恰为 0 或 1 时值与梯度都有限；γ = 0 时因子恒为 1（包括 0⁰）。",
            en: "In softmax mode we deliberately use Lin et al.'s textbook form: summed over classes and averaged over positions, mean divides by the number of positions N·d1⋯dK, none returns [N, d1, …]. MONAI's FocalLoss(use_softmax=True) averages over every element of [N, C, …], so its value is ours divided by C (times C it is the same); kornia 0.9's focal_loss does the same as MONAI. Sigmoid mode is element-wise: mean divides by N·C·d1⋯dK and none returns the input's shape, as torchvision.ops.sigmoid_focal_loss and MONAI's sigmoid mode (with a per-class α list we weight negatives by 1 − α_c, MONAI by 1). Note MONAI's FocalLoss defaults to sigmoid mode, while ours defaults to softmax like every class-score loss here. No α by default (MONAI, Optax, smp; torchvision defaults to 0.25). The modulating factor is exp(γ·log(1−p_t)) with log(1−p_t) from log-sigmoid or log1mexp(log p), so logits of ±1000 and probabilities of exactly 0 or 1 give finite values and gradients; for γ = 0 the factor is 1 (0⁰ included)."),
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
        let resolved = try ClassScores.target(target, for: layout)
        switch activation {
        case .sigmoid:
            if case let .dense(t) = resolved, let bad = t.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                throw LossError.invalidInput("'focal' (sigmoid) takes targets in [0, 1]; target[\(bad)] = \(t[bad])")
            }
            return try sigmoidFocal(input, layout: layout, target: ClassScores.dense(resolved, layout: layout), gradient: gradient)
        case .softmax, .none:
            let dense = ClassScores.dense(resolved, layout: layout)
            if activation == .softmax { return try softmaxFocal(input, layout: layout, target: dense, gradient: gradient) }
            try ClassScores.checkProbabilities(input)
            return try probabilityFocal(input, layout: layout, target: dense, gradient: gradient)
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

    /// Logits: the shared `Softmax` kernel, eight positions at a time. Per class with t_c ≠ 0,
    /// in `Double`: log p_c from `Softmax.Block.logP`, u = 1 − p_c = −expm1(log p_c) (accurate as
    /// p_c → 1), the factor u^γ and ∂ℓ/∂log p_c = −α_c t_c (u^γ − γ u^{γ−1} p_c log p_c) =: h_c;
    /// then ∂ℓ/∂x_c = h_c − p_c Σ_k h_k for all lanes at once in `Float`.
    private func softmaxFocal(_ input: Tensor, layout: ClassScoreShape, target: [Float], gradient: Bool) throws -> LossOutput {
        let alphas = try softmaxAlpha(layout.classes)
        let gamma = self.gamma, C = layout.classes
        let keep = reduction == .none
        let scale = Float(Reduce.gradientScale(reduction, count: Double(layout.positions)))
        var values = [Float](repeating: 0, count: keep ? layout.positions : 0)
        var grad = [Float](repeating: 0, count: gradient ? layout.count : 0)
        let sum = input.data.withUnsafeBufferPointer { x in
            target.withUnsafeBufferPointer { t in
                values.withUnsafeMutableBufferPointer { v in
                    grad.withUnsafeMutableBufferPointer { g in
                        Parallel.sum(count: Softmax.blockCount(layout), grain: Softmax.grain(layout)) { range in
                            withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: C) { h in
                                let h = h.baseAddress!
                                var total = 0.0
                                Softmax.forEachBlock(x.baseAddress!, layout: layout, blocks: range) { b in
                                    var hSum = SIMD8<Float>.zero
                                    for c in 0..<C {
                                        let tc = b.load(t.baseAddress!, class: c)
                                        h[c] = .zero
                                        for lane in 0..<b.lanes where tc[lane] != 0 {
                                            let lp = b.logP(c, lane: lane)
                                            let u = -expm1(lp)
                                            let factor = gamma == 0 ? 1 : (gamma == 2 ? u * u : pow(u, gamma))
                                            let w = alphas[c] * Double(tc[lane])
                                            let loss = -w * factor * lp
                                            total += loss
                                            if keep { v[b.position + lane] += Float(loss) }
                                            guard gradient else { continue }
                                            // γ u^{γ−1} log p, limit 0 at p = 1 (u = 0).
                                            let dFactor = (gamma == 0 || u == 0) ? 0
                                                : gamma * (gamma == 2 ? u : pow(u, gamma - 1)) * lp
                                            h[c][lane] = Float(-w * (factor - dFactor * Double(b.p[c][lane])))
                                        }
                                        hSum += h[c]
                                    }
                                    if gradient {
                                        for c in 0..<C { b.store((h[c] - b.p[c] * hSum) * SIMD8(repeating: scale), to: g.baseAddress!, class: c) }
                                    }
                                }
                                return total
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
