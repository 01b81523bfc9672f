import Foundation

/// Focal Tversky loss (Abraham & Khan 2019): the Tversky index raised to 1/γ.
///
/// ```latex
/// \mathcal{L} = \left(1 - TI\right)^{1/\gamma}, \qquad
/// TI = \frac{TP + s_{nr}}{TP + \alpha\,FP + \beta\,FN + s_{dr}}
/// ```
///
/// The paper writes FTL = Σ_c (1 − TI_c)^{1/γ} with γ ∈ [1, 3] and uses γ = 4/3 (its code:
/// `K.pow(1 - TI, 0.75)`), so the exponent is 1/γ. α weights FP and β FN as in `tversky`
/// (MONAI's naming); the paper's best setting, FN weight 0.7 and FP weight 0.3, is the default.
/// At TI = 1 exactly the derivative of (1 − TI)^{1/γ} is infinite for γ > 1; the gradient is
/// set to 0 there (the minimum). Reduced over entries as `dice`.
public struct FocalTverskyLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "focal-tversky",
        name: Localized(zh: "Focal Tversky 损失", en: "Focal Tversky loss"),
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = \left(1 - TI_{n,c}\right)^{1/\gamma}, \qquad TI = \frac{TP + s_{nr}}{TP + \alpha\, FP + \beta\, FN + s_{dr}}"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            ParameterSpec("alpha", .number(min: 0, max: nil), default: .number(0.3),
                          Localized(zh: "假阳性（FP）的权重 α（论文最佳设置中 FP 权重为 0.3）", en: "the weight α of false positives (0.3 in the paper's best setting)")),
            ParameterSpec("beta", .number(min: 0, max: nil), default: .number(0.7),
                          Localized(zh: "假阴性（FN）的权重 β（论文最佳设置中 FN 权重为 0.7）", en: "the weight β of false negatives (0.7 in the paper's best setting)")),
            ParameterSpec("gamma", .number(min: 0, max: nil, minExclusive: true), default: .number(4.0 / 3.0),
                          Localized(zh: "聚焦参数 γ，指数为 1/γ；论文建议 γ ∈ [1, 3]，默认 4/3（即指数 0.75）",
                                    en: "focusing parameter γ, the exponent is 1/γ; the paper suggests γ ∈ [1, 3], default 4/3 (exponent 0.75)")),
            RegionText.smoothNr, RegionText.smoothDr, RegionText.batch, .activation(), .reduction(),
        ],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "$\\partial \\mathcal{L}/\\partial TI = -\\tfrac{1}{\\gamma}(1 - TI)^{1/\\gamma - 1}$，乘以 Tversky 指数对 $p$ 的导数后经激活函数反传。γ > 1 时 TI 接近 1 的样本梯度反而被放大（这是论文的本意：继续推动已较好的区域）；TI 恰为 1 时梯度取 0。",
            en: "$\\partial \\mathcal{L}/\\partial TI = -\\tfrac{1}{\\gamma}(1 - TI)^{1/\\gamma - 1}$, times the Tversky index's derivative, then back through the activation. For γ > 1 entries with TI near 1 get larger gradients (the paper's intent); at TI = 1 exactly the gradient is 0."),
        peers: [
            PeerEquivalent("segloss", "FocalTversky_loss({'apply_nonlin': softmax_helper, 'alpha': 0.3, 'beta': 0.7, 'smooth': 1e-5}, gamma=0.75)",
                           note: Localized(zh: "SegLoss 的 gamma 直接作指数（0.75 = 我们的 γ = 4/3），它的分子、分母平滑相同并对所有类求平均；数值在相同平滑下一致。",
                                           en: "SegLoss uses gamma as the exponent itself (its 0.75 is our γ = 4/3), one smooth for numerator and denominator and the mean over classes; equal for equal smoothing.")),
        ],
        notes: Localized(
            zh: "论文公式为 $(1 - \\mathrm{TI})^{1/\\gamma}$，其代码用 0.75 作指数，我们按论文用 1/γ（默认 γ = 4/3）。参数名沿用 MONAI 的 Tversky：alpha 乘 FP、beta 乘 FN；默认 α = 0.3、β = 0.7（论文代码中 alpha = 0.7 乘的是 FN）。MONAI 没有此损失。论文对类别求和，我们按 MONAI 的习惯对（样本，类别）取平均，sum 归约在 N = 1 时即论文形式。" + RegionText.entryReduction.zh,
            en: "The paper writes $(1 - \\mathrm{TI})^{1/\\gamma}$ and its code uses 0.75 as the exponent; we follow the paper with 1/γ (default γ = 4/3). Tversky names as MONAI: alpha multiplies FP, beta FN; defaults α = 0.3, β = 0.7 (the paper's code calls the FN weight alpha = 0.7). MONAI has no such loss. The paper sums over classes; we average over (sample, class) as MONAI does, and sum reduction with N = 1 is the paper's form. " + RegionText.entryReduction.en),
        citation: Citation("Abraham N., Khan N. M. A Novel Focal Tversky Loss Function with Improved Attention U-Net for Lesion Segmentation. ISBI 2019.",
                           url: "https://arxiv.org/abs/1810.07842"))

    let settings: RegionSettings
    let alpha: Double, beta: Double, gamma: Double
    let smoothNr: Double, smoothDr: Double

    public init(_ parameters: Parameters) throws {
        settings = try RegionSettings(parameters)
        alpha = try parameters.number("alpha")
        beta = try parameters.number("beta")
        gamma = try parameters.number("gamma")
        guard alpha + beta > 0 else {
            throw LossError.invalidParameter(loss: Self.descriptor.id, name: "beta", message: "alpha + beta must be > 0")
        }
        smoothNr = try parameters.number("smooth_nr")
        smoothDr = try parameters.number("smooth_dr")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let problem = try settings.problem(input, target: target)
        let (a, b) = TverskyLoss.coefficients(alpha: alpha, beta: beta)
        let smoothNr = self.smoothNr, smoothDr = self.smoothDr, exponent = 1 / gamma
        return problem.evaluate(reduction: settings.reduction, gradient: gradient) { sums in
            let (t, dt) = RegionProblem.oneMinusRatio(sums, a: a, a0: smoothNr, b: b, b0: smoothDr)
            // t = 1 − TI ≥ 0 (up to rounding, which max() removes).
            let base = max(t, 0)
            let value = pow(base, exponent)
            let slope = base > 0 ? exponent * pow(base, exponent - 1) : 0
            return (value, slope * dt)
        }
    }
}
