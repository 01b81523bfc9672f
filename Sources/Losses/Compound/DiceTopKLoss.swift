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
        category: .compound,
        formulas: [
            #"\mathcal{L} = \lambda_{\text{dice}}\,\mathcal{L}_{\text{Dice}} + \lambda_{\text{topk}}\,\frac{1}{K}\sum_{(n,i) \in \mathcal{T}_K} -w_{y_{n,i}}\log p_{n,y_{n,i},i}"#,
        ],
        parameters: CompoundTerms.diceParameters(includeBackground: false) + [
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([])),
            ParameterSpec("k", .number(min: 0, max: 100, minExclusive: true), default: .number(10)),
            CompoundTerms.lambda("lambda_dice"),
            CompoundTerms.lambda("lambda_topk"),
            ParameterSpec("activation", .choice(["softmax", "none"]), default: .string("softmax")),
            CompoundTerms.reduction,
        ],
        peers: [
            PeerEquivalent("nnunet", "DC_and_topk_loss({'batch_dice': False, 'smooth': 1e-5, 'do_bg': False}, {'k': 10})"),
        ],
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
