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
