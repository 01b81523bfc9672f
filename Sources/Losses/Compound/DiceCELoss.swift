/// Dice + cross entropy with MONAI `DiceCELoss` semantics.
///
/// ```latex
/// \mathcal{L} = \lambda_{dice}\,\mathcal{L}_{Dice} + \lambda_{ce}\,\mathcal{L}_{CE}
/// ```
///
/// 𝓛_Dice is `dice` (1 − Dice, MONAI `DiceLoss`) with the Dice options; 𝓛_CE is
/// `torch.nn.CrossEntropyLoss(weight, label_smoothing)` on the logits for C > 1 (also with
/// `activation` sigmoid, as MONAI), `BCEWithLogitsLoss(pos_weight=weight)` for C = 1. With
/// `activation` none the cross entropy takes the probabilities (log p). Both terms use the same
/// reduction (`mean` or `sum`).
public struct DiceCELoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "dice-ce",
        name: Localized(zh: "Dice + 交叉熵损失", en: "Dice + cross-entropy loss"),
        category: .compound,
        formulas: [
            #"\mathcal{L} = \lambda_{\text{dice}}\left(1 - \frac{1}{NC}\sum_{n,c}\frac{2\sum_i p_{n,c,i} g_{n,c,i} + s_{nr}}{\sum_i p_{n,c,i} + \sum_i g_{n,c,i} + s_{dr}}\right) + \lambda_{\text{ce}}\, \frac{1}{\sum_i w_{y_i}}\sum_i -w_{y_i}\log p_{i,y_i}"#,
        ],
        parameters: CompoundTerms.diceParameters() + [
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([]),
                          Localized(zh: "每个类别的权重（长度 C，含背景；一个数表示全部相同），同时用于交叉熵与 Dice（不含背景时 Dice 去掉第一个）；留空即全为 1",
                                    en: "per-class weights (length C, background included; one value for all), used by the cross entropy and by Dice (without the first when the background is excluded); empty means all 1")),
            ParameterSpec("label_smoothing", .number(min: 0, max: 1), default: .number(0),
                          Localized(zh: "交叉熵项的标签平滑 ε", en: "label smoothing ε of the cross-entropy term")),
            CompoundTerms.lambda("lambda_dice", Localized(zh: "Dice ", en: "Dice")),
            CompoundTerms.lambda("lambda_ce", Localized(zh: "交叉熵", en: "cross-entropy")),
            .activation(),
            CompoundTerms.reduction,
        ],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "两项梯度之和：$\\lambda_{dice}\\,\\partial \\mathcal{L}_{Dice}/\\partial x + \\lambda_{ce}\\,(p - y)$（带权重与平滑时为交叉熵的一般形式）。交叉熵提供逐像素、平滑的梯度，Dice 提供对类别不平衡不敏感的全局信号，二者互补，这也是 nnU-Net 的默认组合。",
            en: "The sum of both gradients: $\\lambda_{dice}\\,\\partial \\mathcal{L}_{Dice}/\\partial x + \\lambda_{ce}\\,(p - y)$ (the general cross-entropy form with weights and smoothing). Cross entropy gives smooth per-pixel gradients, Dice a global signal insensitive to class imbalance; the pair is nnU-Net's default."),
        peers: [
            PeerEquivalent("monai", "monai.losses.DiceCELoss(softmax=True, to_onehot_y=True, lambda_dice=1.0, lambda_ce=1.0)",
                           note: Localized(zh: "完全相同（类别索引目标形如 [N, 1, 空间…]）；weight 传 torch.tensor(w)。", en: "Identical (class-index target shaped [N, 1, spatial…]); pass weight as torch.tensor(w).")),
            PeerEquivalent("nnunet", "DC_and_CE_loss({'batch_dice': False, 'smooth': 1e-5, 'do_bg': True}, {})",
                           note: Localized(zh: "nnU-Net 的 Dice 项返回 −Dice，因此它的值比我们的小 1（梯度相同）；其默认 do_bg=False 对应 include_background=false。", en: "nnU-Net's Dice term returns −Dice, so its value is ours minus 1 (same gradient); its default do_bg=False is include_background=false.")),
        ],
        notes: Localized(
            zh: "按 MONAI：(1 − Dice) + CE，完美预测时为 0；SegLoss/nnU-Net 用 CE − Dice，相差常数 1。交叉熵总是作用在 logits 上（activation=sigmoid 且 C > 1 时也是 softmax 交叉熵，与 MONAI 相同）；activation=none 时交叉熵取 log p（MONAI 会把概率当作 logits，我们不这样做）。C = 1 时交叉熵项为带 logits 的二元交叉熵，需要 activation=sigmoid。weight 有 C 个值时 MONAI 要求不含背景的 Dice 也有 C 个值而报错，我们对 Dice 去掉背景的权重。不支持 reduction=none。",
            en: "As MONAI: (1 − Dice) + CE, 0 at perfection; SegLoss / nnU-Net use CE − Dice, a constant 1 lower. The cross entropy always acts on the logits (softmax cross entropy even with activation=sigmoid and C > 1, as MONAI); with activation=none it takes log p (MONAI would treat the probabilities as logits; we do not). With C = 1 the term is binary cross entropy on logits and needs activation=sigmoid. With C weights and the background excluded MONAI raises (its Dice wants C − 1); we drop the background's weight for Dice. reduction=none is not available."),
        citation: Citation("Isensee F., Jaeger P. F., Kohl S. A. A., Petersen J., Maier-Hein K. H. nnU-Net: a self-configuring method for deep learning-based biomedical image segmentation. Nature Methods 18:203–211, 2021.",
                           url: "https://doi.org/10.1038/s41592-020-01008-z"))

    let parameters: Parameters
    let lambdaDice: Double, lambdaCE: Double
    let includeBackground: Bool
    let weight: [Double]
    let activation: Activation

    public init(_ parameters: Parameters) throws {
        self.parameters = parameters
        lambdaDice = try parameters.number("lambda_dice")
        lambdaCE = try parameters.number("lambda_ce")
        includeBackground = try parameters.bool("include_background")
        weight = try parameters.numbers("weight")
        activation = try parameters.activation()
        _ = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        let id = Self.descriptor.id
        let weights = try CompoundTerms.classWeights(weight, classes: layout.classes, includeBackground: includeBackground, loss: id)
        let dice = try CompoundTerms.component(DiceLoss.self, from: parameters, overrides: ["weight": .numbers(weights.dice)])
        let crossEntropy: any Loss
        var ceTarget = target
        if layout.classes == 1 {
            guard activation == .sigmoid else {
                throw LossError.invalidInput("'\(id)' with one channel takes binary cross entropy on logits: use activation 'sigmoid'")
            }
            crossEntropy = try CompoundTerms.component(BinaryCrossEntropyLoss.self, from: parameters,
                                                       overrides: ["weight": .numbers([]), "pos_weight": .numbers(weights.crossEntropy),
                                                                   "activation": .string("sigmoid")])
            // One channel: the target is the binary map, [N, 1, spatial…] or [N, spatial…].
            if let t = target, t.shape == layout.positionShape { ceTarget = try t.reshaped(layout.shape) }
        } else {
            crossEntropy = try CompoundTerms.component(CrossEntropyLoss.self, from: parameters,
                                                       overrides: ["weight": .numbers(weights.crossEntropy),
                                                                   "activation": .string(activation == .none ? "none" : "softmax")])
        }
        let diceOut = try dice.evaluate(input, target: target, gradient: gradient)
        let ceOut = try crossEntropy.evaluate(input, target: ceTarget, gradient: gradient)
        return CompoundTerms.combine([(lambdaDice, diceOut), (lambdaCE, ceOut)], gradient: gradient)
    }
}
