/// Soft Dice loss with MONAI `DiceLoss` semantics.
///
/// Per entry (sample × class, or class with `batch`), with I = Σ p g, P = Σ p (Σ p² with
/// `squared_pred`), G = Σ g (Σ g²):
///
/// ```latex
/// \mathcal{L} = 1 - \frac{2I + s_{nr}}{P + G + s_{dr}}
/// \qquad\text{jaccard: } 1 - \frac{2I + s_{nr}}{2(P + G - I) + s_{dr}}
/// ```
///
/// then `weight`ed per class and reduced over entries (`mean`, `sum`, or `none` shaped
/// `[N, C′]`). Input: logits (`activation` softmax by default), sigmoid logits or
/// probabilities. Empty class: with the default smoothing an absent class predicted absent
/// scores 1 − s_nr/s_dr = 0, predicted present ≈ 1. With `smooth_dr = 0` and an empty class
/// and prediction the ratio is 0/0 = NaN, as MONAI. NaN inputs propagate. `ignore_index` (MONAI
/// 1.6): positions whose label equals it are left out of every sum (p and g both masked, so they
/// get no gradient); with a dense target, a valid class index masks the positions of that class.
public struct DiceLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "dice",
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = 1 - \frac{2\sum_i p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_i p_{n,c,i} + \sum_i g_{n,c,i} + s_{dr}}, \qquad \mathcal{L} = \frac{1}{NC}\sum_{n,c} w_c\, \mathcal{L}_{n,c}"#,
            #"\text{squared\_pred: } \sum_i p_i \to \sum_i p_i^2,\ \sum_i g_i \to \sum_i g_i^2 \qquad \text{jaccard: } \mathcal{L}_{n,c} = 1 - \frac{2I + s_{nr}}{2(P + G - I) + s_{dr}}"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            RegionText.smoothNr, RegionText.smoothDr,
            ParameterSpec("squared_pred", .bool, default: .bool(false)),
            ParameterSpec("jaccard", .bool, default: .bool(false)),
            RegionText.batch,
            RegionText.weight,
            RegionText.ignoreIndex(),
            RegionText.softLabel,
            .activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.DiceLoss(softmax=True, to_onehot_y=True)"),
            PeerEquivalent("segloss", "SoftDiceLoss(apply_nonlin=softmax_helper, batch_dice=False, do_bg=True, smooth=1e-5)"),
        ],
        citation: Citation("Milletari F., Navab N., Ahmadi S.-A. V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation. 3DV 2016.",
                           url: "https://doi.org/10.1109/3DV.2016.79"))

    let settings: RegionSettings
    let smoothNr: Double, smoothDr: Double
    let squaredPred: Bool, jaccard: Bool
    let weight: [Double]
    let ignoreIndex: Int
    let softLabel: Bool

    public init(_ parameters: Parameters) throws {
        settings = try RegionSettings(parameters)
        smoothNr = try parameters.number("smooth_nr")
        smoothDr = try parameters.number("smooth_dr")
        squaredPred = try parameters.bool("squared_pred")
        jaccard = try parameters.bool("jaccard")
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        softLabel = try parameters.bool("soft_label")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try evaluate(input, target: target, gradient: gradient, compound: nil)
    }

    /// As a term of a compound (`dice-ce`): the gradient returned is λ ∂L/∂input plus the other
    /// term's weighted gradient, the value this term's alone (see `RegionProblem.evaluate`).
    func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool,
                  compound: (weight: Double, other: AddedGradient)?) throws -> LossOutput {
        try evaluate(problem(input, target: target), gradient: gradient, loss: Self.descriptor.id, compound: compound).output
    }

    /// The region problem this loss evaluates: `input` and `target` validated, with its settings.
    func problem(_ input: Tensor, target: Tensor?) throws -> RegionProblem {
        try settings.problem(input, target: target, ignoreIndex: ignoreIndex, softLabel: softLabel && !squaredPred)
    }

    /// The Dice loss of a prepared problem (`masked-dice` prepares its own, restricted to a region).
    func evaluate(_ problem: RegionProblem, gradient: Bool, loss: String,
                  compound: (weight: Double, other: AddedGradient)? = nil) throws -> (output: LossOutput, addedSum: Double) {
        let weights = try RegionText.checkWeights(weight, problem: problem, loss: loss)
        let (a, b) = Self.coefficients(squaredPred: squaredPred, jaccard: jaccard)
        let smoothNr = self.smoothNr, smoothDr = self.smoothDr
        return problem.evaluateAdding(reduction: settings.reduction, gradient: gradient, weights: weights, compound: compound,
                                      extras: squaredPred ? .squares : []) { sums in
            RegionProblem.oneMinusRatio(sums, a: a, a0: smoothNr, b: b, b0: smoothDr)
        }
    }

    /// Numerator and denominator of the Dice ratio as linear forms of the entry sums.
    static func coefficients(squaredPred: Bool, jaccard: Bool) -> (SIMD8<Double>, SIMD8<Double>) {
        typealias S = RegionProblem.Sum
        let a = RegionProblem.vector([(S.tp, 2)])
        let b: SIMD8<Double>
        switch (squaredPred, jaccard) {
        case (false, false): b = RegionProblem.vector([(S.g, 1), (S.tp, 1), (S.fp, 1)])    // G + P
        case (false, true): b = RegionProblem.vector([(S.g, 2), (S.fp, 2)])                // 2(G + P − I)
        case (true, false): b = RegionProblem.vector([(S.gg, 1), (S.pp, 1)])
        case (true, true): b = RegionProblem.vector([(S.gg, 2), (S.pp, 2), (S.tp, -2)])
        }
        return (a, b)
    }
}
