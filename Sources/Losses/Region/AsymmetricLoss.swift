/// Asymmetric similarity loss (Hashemi et al. 2018): one minus the F_β score.
///
/// ```latex
/// \mathcal{L} = 1 - \frac{(1+\beta^2)\,TP + s_{nr}}{(1+\beta^2)\,TP + \beta^2 FN + FP + s_{dr}}
/// ```
///
/// β > 1 weights recall (false negatives) over precision. Without smoothing it equals `tversky`
/// with α = 1/(1 + β²), β_T = β²/(1 + β²). Reduced over entries as `dice`.
public struct AsymmetricLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "asymmetric",
        name: Localized(zh: "非对称相似度损失（F_β）", en: "Asymmetric similarity loss (F_β)"),
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = 1 - \frac{(1+\beta^2)\sum_i p_i g_i + s_{nr}}{(1+\beta^2)\sum_i p_i g_i + \beta^2 \sum_i (1-p_i)\, g_i + \sum_i p_i (1-g_i) + s_{dr}}"#,
            #"= \text{Tversky}\!\left(\alpha = \tfrac{1}{1+\beta^2},\ \beta_T = \tfrac{\beta^2}{1+\beta^2}\right) \quad (s_{nr} = s_{dr} = 0)"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            ParameterSpec("beta", .number(min: 0, max: nil), default: .number(1.5),
                          Localized(zh: "F_β 中的 β；β > 1 更看重召回率（论文在多发性硬化病灶上取 1.5）",
                                    en: "β of F_β; β > 1 favours recall (the paper uses 1.5 for MS lesions)")),
            RegionText.smoothNr, RegionText.smoothDr, RegionText.batch, .activation(), .reduction(),
        ],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "记 $A = (1+\\beta^2)TP + s_{nr}$、$B = (1+\\beta^2)TP + \\beta^2 FN + FP + s_{dr}$，则 $\\partial \\mathcal{L}/\\partial p_i = -(1+\\beta^2) g_i/B + A\\,(g_i + 1 - g_i)/B^2 = -(1+\\beta^2)g_i/B + A/B^2$，再经激活函数反传。",
            en: "With $A = (1+\\beta^2)TP + s_{nr}$ and $B = (1+\\beta^2)TP + \\beta^2 FN + FP + s_{dr}$: $\\partial \\mathcal{L}/\\partial p_i = -(1+\\beta^2) g_i/B + A/B^2$, then back through the activation."),
        peers: [
            PeerEquivalent("segloss", "AsymLoss(apply_nonlin=softmax_helper, smooth=0)",
                           note: Localized(zh: "SegLoss 返回 −F_β 并先把分子分母同除以 1 + β²（平滑常数因而按比例不同）；无平滑时 1 + 它的值等于我们的值。",
                                           en: "SegLoss returns −F_β and divides numerator and denominator by 1 + β² first (so its smoothing scales differently); without smoothing 1 + its value equals ours.")),
        ],
        notes: Localized(
            zh: "按论文的 F_β 形式，并像 MONAI 一样在分子、分母加入平滑常数（默认 1e-5），因此空类且预测为空时损失为 0。损失取 1 − F_β（完美预测时为 0），而 SegLoss 取 −F_β。" + RegionText.entryReduction.zh,
            en: "The paper's F_β form, with MONAI-style numerator and denominator smoothing (1e-5 by default), so an empty class predicted empty scores 0. The loss is 1 − F_β (0 at perfection); SegLoss returns −F_β. " + RegionText.entryReduction.en),
        citation: Citation("Hashemi S. R., Salehi S. S. M., Erdogmus D., Prabhu S. P., Warfield S. K., Gholipour A. Asymmetric Loss Functions and Deep Densely-Connected Networks for Highly-Imbalanced Medical Image Segmentation: Application to Multiple Sclerosis Lesion Detection. IEEE Access 7:1721–1735, 2019.",
                           url: "https://doi.org/10.1109/ACCESS.2018.2886371"))

    let settings: RegionSettings
    let beta: Double
    let smoothNr: Double, smoothDr: Double

    public init(_ parameters: Parameters) throws {
        settings = try RegionSettings(parameters)
        beta = try parameters.number("beta")
        smoothNr = try parameters.number("smooth_nr")
        smoothDr = try parameters.number("smooth_dr")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        typealias S = RegionProblem.Sum
        let problem = try settings.problem(input, target: target)
        let b2 = beta * beta
        let a = RegionProblem.vector([(S.tp, 1 + b2)])
        let b = RegionProblem.vector([(S.tp, 1 + b2), (S.fn, b2), (S.fp, 1)])
        let smoothNr = self.smoothNr, smoothDr = self.smoothDr
        return problem.evaluate(reduction: settings.reduction, gradient: gradient) { sums in
            RegionProblem.oneMinusRatio(sums, a: a, a0: smoothNr, b: b, b0: smoothDr)
        }
    }
}
