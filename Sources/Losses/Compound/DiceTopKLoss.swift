/// Dice + TopK cross entropy, nnU-Net's `DC_and_topk_loss`.
///
/// ```latex
/// \mathcal{L} = \lambda_{dice}\,\mathcal{L}_{Dice} + \lambda_{topk}\,\mathcal{L}_{TopK}
/// ```
///
/// 𝓛_Dice is `dice` (1 − Dice; background excluded by default, as nnU-Net's `do_bg=False`),
/// 𝓛_TopK is `topk` (the mean cross entropy of the hardest k % of positions).
public struct DiceTopKLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "dice-topk",
        name: Localized(zh: "Dice + TopK 损失", en: "Dice + TopK loss"),
        category: .compound,
        formulas: [
            #"\mathcal{L} = \lambda_{\text{dice}}\,\mathcal{L}_{\text{Dice}} + \lambda_{\text{topk}}\,\frac{1}{K}\sum_{i \in \mathcal{T}_K} -w_{y_i}\log p_{i,y_i}"#,
        ],
        parameters: CompoundTerms.diceParameters(includeBackground: false) + [
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "每个类别的权重（长度 C，含背景；一个数表示全部相同），同时用于 TopK 交叉熵与 Dice（不含背景时 Dice 去掉第一个）",
                                    en: "per-class weights (length C, background included; one value for all), used by the TopK cross entropy and by Dice (without the first when the background is excluded)")),
            ParameterSpec("k", .number(min: 0, max: 100, minExclusive: true), default: .number(10),
                          Localized(zh: "TopK 项保留损失最大的 k% 个位置（nnU-Net 默认 10）", en: "the TopK term keeps the k % of positions with the largest loss (nnU-Net's 10)")),
            CompoundTerms.lambda("lambda_dice", Localized(zh: "Dice ", en: "Dice")),
            CompoundTerms.lambda("lambda_topk", Localized(zh: "TopK ", en: "TopK")),
            ParameterSpec("activation", .choice(["softmax", "none"]), default: .string("softmax"),
                          Localized(zh: "softmax：输入是 logits（默认）；none：输入已是类别概率", en: "softmax: inputs are logits (default); none: inputs are class probabilities")),
            CompoundTerms.reduction,
        ],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "Dice 的梯度加上 TopK 的梯度：只有被选中的最难 k% 位置得到交叉熵梯度 $(p - y)/K$。两者都把训练引向难以分割的区域。",
            en: "Dice's gradient plus TopK's: only the hardest k % of positions get the cross-entropy gradient $(p - y)/K$. Both steer training towards hard regions."),
        peers: [
            PeerEquivalent("nnunet", "DC_and_topk_loss({'batch_dice': False, 'smooth': 1e-5, 'do_bg': False}, {'k': 10})",
                           note: Localized(zh: "nnU-Net 的 Dice 项返回 −Dice，所以它的值比我们的小 λ_dice（梯度相同）；nnU-Net 是训练代码而非可安装的库，因此没有同行测试。",
                                           en: "nnU-Net's Dice term returns −Dice, so its value is ours minus λ_dice (same gradient); nnU-Net is training code, not an installable library, so there is no peer test.")),
        ],
        notes: Localized(
            zh: "值为 λ_dice(1 − Dice) + λ_topk·TopK，完美预测时为 0；nnU-Net/SegLoss 用 TopK − Dice，相差常数。Dice 默认不含背景（nnU-Net 的 do_bg=False），平滑 1e-5 与 nnU-Net 相同。TopK 的细节（K = max(1, ⌊M·k/100⌋)、并列时按位置选择）见 topk 页面。不支持 reduction=none。",
            en: "The value is λ_dice(1 − Dice) + λ_topk·TopK, 0 at perfection; nnU-Net / SegLoss use TopK − Dice, a constant apart. Dice excludes the background by default (nnU-Net's do_bg=False) with nnU-Net's 1e-5 smoothing. TopK's details (K = max(1, ⌊M·k/100⌋), ties by position) are on the topk page. reduction=none is not available."),
        citation: Citation("Ma J., Chen J., Ng M., Huang R., Li Y., Li C., Yang X., Martel A. L. Loss odyssey in medical image segmentation. Medical Image Analysis 71:102035, 2021.",
                           url: "https://doi.org/10.1016/j.media.2021.102035"))

    let parameters: Parameters
    let lambdaDice: Double, lambdaTopK: Double
    let includeBackground: Bool
    let weight: [Double]

    public init(_ parameters: Parameters) throws {
        self.parameters = parameters
        lambdaDice = try parameters.number("lambda_dice")
        lambdaTopK = try parameters.number("lambda_topk")
        includeBackground = try parameters.bool("include_background")
        weight = try parameters.numbers("weight")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        let weights = try CompoundTerms.classWeights(weight, classes: layout.classes, includeBackground: includeBackground,
                                                     loss: Self.descriptor.id)
        let dice = try CompoundTerms.component(DiceLoss.self, from: parameters, overrides: ["weight": .numbers(weights.dice)])
        let topK = try CompoundTerms.component(TopKLoss.self, from: parameters, overrides: ["weight": .numbers(weights.crossEntropy)])
        let diceOut = try dice.evaluate(input, target: target, gradient: gradient)
        let topKOut = try topK.evaluate(input, target: target, gradient: gradient)
        return CompoundTerms.combine([(lambdaDice, diceOut), (lambdaTopK, topKOut)], gradient: gradient)
    }
}
