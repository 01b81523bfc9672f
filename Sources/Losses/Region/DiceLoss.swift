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
        name: Localized(zh: "Dice 损失", en: "Dice loss"),
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = 1 - \frac{2\sum_i p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_i p_{n,c,i} + \sum_i g_{n,c,i} + s_{dr}}, \qquad \mathcal{L} = \frac{1}{NC}\sum_{n,c} w_c\, \mathcal{L}_{n,c}"#,
            #"\text{squared\_pred: } \sum_i p_i \to \sum_i p_i^2,\ \sum_i g_i \to \sum_i g_i^2 \qquad \text{jaccard: } \mathcal{L}_{n,c} = 1 - \frac{2I + s_{nr}}{2(P + G - I) + s_{dr}}"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            RegionText.smoothNr, RegionText.smoothDr,
            ParameterSpec("squared_pred", .bool, default: .bool(false),
                          Localized(zh: "分母用 Σp² 与 Σg²（Milletari 等人的 V-Net 形式）而不是 Σp 与 Σg",
                                    en: "use Σp² and Σg² in the denominator (the V-Net form of Milletari et al.) instead of Σp and Σg")),
            ParameterSpec("jaccard", .bool, default: .bool(false),
                          Localized(zh: "分母换成 2(P + G − I)，即平滑常数减半的软 IoU 损失（与 MONAI 相同）",
                                    en: "use 2(P + G − I) as the denominator: the soft IoU loss with half the smoothing (as MONAI)")),
            RegionText.batch,
            RegionText.weight,
            RegionText.ignoreIndex(),
            RegionText.softLabel,
            .activation(),
            .reduction(),
        ],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "记 $A = 2I + s_{nr}$、$B = P + G + s_{dr}$，则 $\\partial \\mathcal{L}/\\partial p_i = -2g_i/B + A/B^2$（squared_pred 时后一项乘 $2p_i$），再经 softmax/sigmoid 反传。梯度有界，但在前景极小时其量级随 $1/B$ 放大，这正是 Dice 对类别不平衡不敏感、同时训练初期不稳定的原因。",
            en: "With $A = 2I + s_{nr}$ and $B = P + G + s_{dr}$, $\\partial \\mathcal{L}/\\partial p_i = -2g_i/B + A/B^2$ (the second term times $2p_i$ with squared_pred), then back through softmax/sigmoid. Bounded, but scaled by $1/B$: tiny foregrounds get large, noisy gradients — why Dice is insensitive to class imbalance yet unstable early in training."),
        peers: [
            PeerEquivalent("monai", "monai.losses.DiceLoss(softmax=True, to_onehot_y=True)",
                           note: Localized(zh: "默认参数下完全相同（类别索引目标形如 [N, 1, 空间…]）；sigmoid=True 对应 activation=sigmoid，两者都不设对应 activation=none。",
                                           en: "Identical with the defaults (class-index target shaped [N, 1, spatial…]); sigmoid=True is activation=sigmoid, neither is activation=none.")),
            PeerEquivalent("segloss", "SoftDiceLoss(apply_nonlin=softmax_helper, batch_dice=False, do_bg=True, smooth=1e-5)",
                           note: Localized(zh: "SegLoss 返回 −Dice（我们返回 1 − Dice，相差常数 1，梯度相同），且其分子、分母用同一个 smooth。",
                                           en: "SegLoss returns −Dice (we return 1 − Dice: a constant offset, same gradient) and uses one smooth for numerator and denominator.")),
        ],
        notes: Localized(
            zh: "遵循 MONAI：每个（样本，类别）先算比值再平均；weight 乘在各类的损失上，平均时仍除以类别数。默认包含背景。空类：若预测也为空，默认平滑下损失为 0；若预测不空则接近 1（smp 会把空类的损失置 0，我们不这样做）。C = 1 时 include_background=false 被忽略（MONAI 会给出警告，我们同样保留该通道）。" + RegionText.ignoreNote.zh + "soft_label 只在 squared_pred=false 时有区别（平方形式本来就对软标签正确，与 MONAI 相同）。" + RegionText.entryReduction.zh,
            en: "Follows MONAI: the ratio per (sample, class), then the mean; weight multiplies each class's loss and the mean still divides by the number of classes. Background is included by default. Empty class: predicted empty too gives 0 with the default smoothing; predicted present gives ≈ 1 (smp zeroes empty classes; we do not). With C = 1, include_background=false is ignored (MONAI warns and keeps the channel; so do we). " + RegionText.ignoreNote.en + "soft_label matters only with squared_pred=false (the squared form is already correct for soft labels, as in MONAI). " + RegionText.entryReduction.en),
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
        let problem = try settings.problem(input, target: target, ignoreIndex: ignoreIndex, softLabel: softLabel && !squaredPred)
        let weights = try RegionText.checkWeights(weight, problem: problem, loss: Self.descriptor.id)
        let (a, b) = Self.coefficients(squaredPred: squaredPred, jaccard: jaccard)
        let smoothNr = self.smoothNr, smoothDr = self.smoothDr
        return problem.evaluate(reduction: settings.reduction, gradient: gradient, weights: weights) { sums in
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
