/// Dice + focal loss with MONAI `DiceFocalLoss` semantics.
///
/// ```latex
/// \mathcal{L} = \lambda_{dice}\,\mathcal{L}_{Dice} + \lambda_{focal}\,\mathcal{L}_{focal}
/// ```
///
/// 𝓛_Dice is `dice` (with `activation`); 𝓛_focal is what MONAI's `DiceFocalLoss` builds,
/// `FocalLoss(include_background, gamma, weight, alpha)` with its default `use_softmax=False`:
/// the *sigmoid* focal term of every element, on the input taken as logits whatever the
/// activation, times the per-class `weight`, averaged over [N, C′, spatial…] (`mean`) or, MONAI's
/// `sum`, a spatial mean per (sample, class) then the sum.
public struct DiceFocalLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "dice-focal",
        name: Localized(zh: "Dice + Focal 损失", en: "Dice + focal loss"),
        category: .compound,
        formulas: [
            #"\mathcal{L} = \lambda_{\text{dice}}\,\mathcal{L}_{\text{Dice}} + \lambda_{\text{focal}}\,\frac{1}{N C |\Omega|}\sum_{n,c,i} w_c\,\alpha_t\,(1 - p_t)^{\gamma}\,\mathrm{BCE}(x_{n,c,i}, g_{n,c,i})"#,
            #"p_t = \sigma(x)\,g + (1 - \sigma(x))(1 - g), \qquad \mathrm{BCE}(x, g) = -g\log\sigma(x) - (1-g)\log\sigma(-x)"#,
        ],
        parameters: CompoundTerms.diceParameters() + [
            RegionText.weight,
            ParameterSpec("gamma", .number(min: 0, max: nil), default: .number(2),
                          Localized(zh: "Focal 项的聚焦参数 γ ≥ 0", en: "focusing parameter γ ≥ 0 of the focal term")),
            ParameterSpec("alpha", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "Focal 项的平衡系数（同 focal 的 sigmoid 模式：空为不用；一个数时正样本 α、负样本 1−α；或每通道一个）",
                                    en: "balance of the focal term (as focal's sigmoid mode: empty for none; one value gives α to positives and 1−α to negatives; or one per channel)")),
            CompoundTerms.lambda("lambda_dice", Localized(zh: "Dice ", en: "Dice")),
            CompoundTerms.lambda("lambda_focal", Localized(zh: "Focal ", en: "focal")),
            .activation(),
            CompoundTerms.reduction,
        ],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "两项梯度之和：Dice 的梯度（经 activation 反传）加上逐元素 sigmoid focal 的梯度 $w_c\\alpha_t\\left[\\gamma (1-p_t)^{\\gamma-1}(1-2g)\\,\\sigma(1-\\sigma)\\,\\mathrm{BCE} + (1-p_t)^{\\gamma}(\\sigma - g)\\right]$ 除以元素数。Focal 项把易分像素的梯度按 $(1-p_t)^{\\gamma}$ 压低，Dice 项提供全局的重叠信号。",
            en: "The sum of both gradients: Dice's (back through the activation) plus the element-wise sigmoid focal gradient $w_c\\alpha_t\\left[\\gamma (1-p_t)^{\\gamma-1}(1-2g)\\,\\sigma(1-\\sigma)\\,\\mathrm{BCE} + (1-p_t)^{\\gamma}(\\sigma - g)\\right]$ over the element count. The focal term damps easy pixels by $(1-p_t)^{\\gamma}$; Dice adds the global overlap signal."),
        peers: [
            PeerEquivalent("monai", "monai.losses.DiceFocalLoss(softmax=True, to_onehot_y=True, gamma=2.0, lambda_dice=1.0, lambda_focal=1.0)",
                           note: Localized(zh: "完全相同（类别索引目标形如 [N, 1, 空间…]），包括 weight、alpha、include_background 与 sum 的约定。",
                                           en: "Identical (class-index target shaped [N, 1, spatial…]), including weight, alpha, include_background and the sum convention.")),
        ],
        notes: Localized(
            zh: "Focal 项照搬 MONAI 的 DiceFocalLoss：它构造的 FocalLoss 没有打开 use_softmax，因此无论 Dice 项用 softmax、sigmoid 还是 none，focal 项都是把输入当作 logits 的逐元素 sigmoid focal（与 focal 页面 activation=sigmoid 相同），请传入 logits。weight 为每个参与类别一个值（不含背景时不给背景），同时乘在 Dice 与 focal 的各类上（MONAI 相同）；只有一个参与类别时 Dice 忽略 weight（MONAI 相同）。mean 对 N·C′·空间 全部元素平均；sum 按 MONAI 先对每个（样本，类别）的空间取平均再求和。值为 (1 − Dice) + focal，完美预测时 Dice 项为 0。不支持 reduction=none。",
            en: "The focal term copies MONAI's DiceFocalLoss: the FocalLoss it builds does not set use_softmax, so whether the Dice term uses softmax, sigmoid or none, the focal term is the element-wise sigmoid focal of the input taken as logits (focal's activation=sigmoid): pass logits. weight has one value per class taking part (none for an excluded background) and multiplies each class of both Dice and focal (as MONAI); with a single class taking part Dice ignores it (as MONAI). mean averages over all N·C′·spatial elements; sum follows MONAI: a spatial mean per (sample, class), then the sum. The value is (1 − Dice) + focal; the Dice term is 0 at perfection. reduction=none is not available."),
        citation: Citation("Zhu W., Huang Y., Zeng L., Chen X., Liu Y., Qian Z., Du N., Fan W., Xie X. AnatomyNet: Deep learning for fast and fully automated whole-volume segmentation of head and neck anatomy. Medical Physics 46(2):576–589, 2019.",
                           url: "https://doi.org/10.1002/mp.13300"))

    let parameters: Parameters
    let lambdaDice: Double, lambdaFocal: Double
    let includeBackground: Bool
    let weight: [Double]
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        self.parameters = parameters
        lambdaDice = try parameters.number("lambda_dice")
        lambdaFocal = try parameters.number("lambda_focal")
        includeBackground = try parameters.bool("include_background")
        weight = try parameters.numbers("weight")
        reduction = try parameters.reduction()
        _ = try CompoundTerms.component(FocalLoss.self, from: parameters, overrides: ["activation": .string("sigmoid")])
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let dice = try CompoundTerms.component(DiceLoss.self, from: parameters)
        let diceOut = try dice.evaluate(input, target: target, gradient: gradient)
        // MONAI's focal term: sigmoid focal on the logits of the kept channels, whatever the
        // activation of the Dice term.
        let layout = try ClassScores.layout(of: input)
        let dense = try RegionProblem.denseTarget(target, layout: layout)
        let dropBackground = !includeBackground && layout.classes > 1
        let focalInput = dropBackground ? CompoundTerms.withoutFirstChannel(input.data, layout: layout) : input
        let focalTarget = dropBackground ? CompoundTerms.withoutFirstChannel(dense, layout: layout)
                                         : Tensor(unchecked: layout.shape, data: dense)
        let kept = focalInput.shape[1], S = layout.spatial
        let weights: [Double]
        switch weight.count {
        case 0: weights = Array(repeating: 1, count: kept)
        case 1: weights = Array(repeating: weight[0], count: kept)
        case kept: weights = weight
        default:
            throw LossError.invalidParameter(loss: Self.descriptor.id, name: "weight",
                                             message: "\(weight.count) weights given for \(kept) classes taking part")
        }
        let focal = try CompoundTerms.component(FocalLoss.self, from: parameters,
                                                overrides: ["reduction": .string("none"), "activation": .string("sigmoid")])
        let elements = try focal.evaluate(focalInput, target: focalTarget, gradient: gradient)
        // mean: over all N·C′·S elements; sum (MONAI): Σ over (sample, class) of the spatial mean.
        let scale = reduction == .mean ? 1 / Double(layout.batch * kept * S) : 1 / Double(S)
        var sum = 0.0
        var grad = gradient ? [Float](repeating: 0, count: focalInput.count) : []
        for i in 0..<focalInput.count {
            let w = weights[(i / S) % kept] * scale
            sum += w * Double(elements.value.data[i])
            if gradient, let g = elements.gradient { grad[i] = Float(w * Double(g.data[i])) }
        }
        var focalOut = LossOutput(value: Tensor(scalar: Float(sum)),
                                  gradient: gradient ? Tensor(unchecked: focalInput.shape, data: grad) : nil)
        if dropBackground, let g = focalOut.gradient {
            focalOut.gradient = CompoundTerms.withFirstChannel(g, layout: layout)
        }
        return CompoundTerms.combine([(lambdaDice, diceOut), (lambdaFocal, focalOut)], gradient: gradient)
    }
}
