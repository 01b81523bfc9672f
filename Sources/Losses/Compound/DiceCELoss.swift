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
        category: .compound,
        formulas: [
            #"\mathcal{L} = \lambda_{\text{dice}}\,\frac{1}{NC}\sum_{n,c} w_c\left(1 - \frac{2\sum_i p_{n,c,i} g_{n,c,i} + s_{nr}}{\sum_i p_{n,c,i} + \sum_i g_{n,c,i} + s_{dr}}\right) + \lambda_{\text{ce}}\, \frac{1}{\sum_{n,i} w_{y_{n,i}}}\sum_{n,i} -w_{y_{n,i}}\log p_{n,y_{n,i},i}"#,
        ],
        parameters: CompoundTerms.diceParameters() + [
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([])),
            ParameterSpec("label_smoothing", .number(min: 0, max: 1), default: .number(0)),
            CompoundTerms.lambda("lambda_dice"),
            CompoundTerms.lambda("lambda_ce"),
            .activation(),
            CompoundTerms.reduction,
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.DiceCELoss(softmax=True, to_onehot_y=True, lambda_dice=1.0, lambda_ce=1.0)"),
            PeerEquivalent("nnunet", "DC_and_CE_loss({'batch_dice': False, 'smooth': 1e-5, 'do_bg': True}, {})"),
        ],
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
        if let crossEntropy = crossEntropy as? CrossEntropyLoss,
           let output = try fused(dice, crossEntropy, input, target: target, gradient: gradient) {
            return output
        }
        let ceOut = try crossEntropy.evaluate(input, target: ceTarget, gradient: gradient)
        guard gradient, lambdaDice != 0, lambdaCE != 0, let ceGradient = ceOut.gradient else {
            let diceOut = try dice.evaluate(input, target: target, gradient: gradient)
            return CompoundTerms.combine([(lambdaDice, diceOut), (lambdaCE, ceOut)], gradient: gradient)
        }
        // The Dice pass writes λ_dice ∂Dice/∂x + λ_ce ∂CE/∂x as it goes: no third buffer, no pass to add them.
        let diceOut = try dice.evaluate(input, target: target, gradient: true,
                                        compound: (lambdaDice, AddedGradient(weight: Float(lambdaCE), term: .values(ceGradient.data))))
        let value = lambdaDice * Double(diceOut.value.data[0]) + lambdaCE * Double(ceOut.value.data[0])
        return LossOutput(value: Tensor(scalar: Float(value)), gradient: diceOut.gradient)
    }

    /// Both terms from one softmax: the Dice pass that adds up the overlap sums adds up cross
    /// entropy's ℓ too (from each block's log z), and the pass that writes Dice's gradient adds
    /// cross entropy's p_c Σ_k q_k − q_c to it (`AddedGradient.Term.crossEntropy`): no softmax,
    /// pass or gradient buffer of cross entropy's own. The same kernels run on the same blocks in
    /// the same order as when the terms are computed apart, so the numbers are the same.
    /// For softmax over C > 1 channels with both λ non-zero and every position taking part (no
    /// `ignore_index` position, no masked region); nil otherwise, and the terms are computed apart.
    private func fused(_ dice: DiceLoss, _ crossEntropy: CrossEntropyLoss, _ input: Tensor, target: Tensor?,
                       gradient: Bool) throws -> LossOutput? {
        guard activation == .softmax, !crossEntropy.probabilities, lambdaDice != 0, lambdaCE != 0 else { return nil }
        let problem = try dice.problem(input, target: target)
        if case let .labels(map) = problem.targetView, map.ignored != nil { return nil }
        guard problem.mask.isEmpty else { return nil }
        let core = try CrossEntropyCore(loss: Self.descriptor.id, layout: problem.layout, probabilities: false,
                                        weight: crossEntropy.weight, smoothing: crossEntropy.smoothing)
        let count = core.denominator(problem.targetView)
        let scale = Reduce.gradientScale(crossEntropy.reduction, count: count)
        let (diceOut, sum) = try dice.evaluate(problem, gradient: gradient, loss: Self.descriptor.id,
                                               compound: (lambdaDice, AddedGradient(weight: Float(lambdaCE),
                                                                                    term: .crossEntropy(core, scale: Float(scale)))))
        let ceValue = Reduce.value(sum: sum, count: count, elements: [], shape: [], reduction: crossEntropy.reduction, emptyMean: 0)
        let value = lambdaDice * Double(diceOut.value.data[0]) + lambdaCE * Double(ceValue.data[0])
        return LossOutput(value: Tensor(scalar: Float(value)), gradient: diceOut.gradient)
    }
}
