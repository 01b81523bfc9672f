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
        category: .compound,
        formulas: [
            #"\mathcal{L} = \lambda_{\text{dice}}\,\mathcal{L}_{\text{Dice}} + \lambda_{\text{focal}}\,\frac{1}{N C |\Omega|}\sum_{n,c,i} w_c\,\alpha_t\,(1 - p_t)^{\gamma}\,\mathrm{BCE}(x_{n,c,i}, g_{n,c,i})"#,
            #"p_t = \sigma(x)\,g + (1 - \sigma(x))(1 - g), \qquad \mathrm{BCE}(x, g) = -g\log\sigma(x) - (1-g)\log\sigma(-x)"#,
            #"\mathcal{L}_{\text{Dice}} = \frac{1}{NC}\sum_{n,c} w_c\left(1 - \frac{2\sum_i p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_i p_{n,c,i} + \sum_i g_{n,c,i} + s_{dr}}\right)"#,
            #"\alpha_t = \alpha_c\, g + (1 - \alpha_c)(1 - g) \qquad \text{(with \texttt{alpha}; without it, } \alpha_t \text{ is 1)}"#,
        ],
        parameters: CompoundTerms.diceParameters() + [
            RegionText.weight,
            ParameterSpec("gamma", .number(min: 0, max: nil), default: .number(2)),
            ParameterSpec("alpha", .numbers(min: 0, max: nil), default: .numbers([])),
            CompoundTerms.lambda("lambda_dice"),
            CompoundTerms.lambda("lambda_focal"),
            .activation(),
            CompoundTerms.reduction,
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.DiceFocalLoss(softmax=True, to_onehot_y=True, gamma=2.0, lambda_dice=1.0, lambda_focal=1.0)"),
        ],
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
        let focalOut = try MONAIFocalTerm(parameters: parameters, includeBackground: includeBackground, weight: weight,
                                          reduction: reduction).evaluate(input, target: target, gradient: gradient)
        return CompoundTerms.combine([(lambdaDice, diceOut), (lambdaFocal, focalOut)], gradient: gradient)
    }
}
