/// Tversky loss with MONAI `TverskyLoss` semantics.
///
/// Per entry, TP = Σ p g, FP = Σ p(1 − g), FN = Σ (1 − p) g:
///
/// ```latex
/// \mathcal{L} = 1 - \frac{TP + s_{nr}}{TP + \alpha\,FP + \beta\,FN + s_{dr}}
/// ```
///
/// α weights false positives, β false negatives (MONAI's naming; α = β = ½ is Dice). Reduced
/// over entries as `dice`. Empty class predicted empty: 1 − s_nr/s_dr = 0 by default.
public struct TverskyLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "tversky",
        name: Localized(zh: "Tversky 损失", en: "Tversky loss"),
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = 1 - \frac{TP + s_{nr}}{TP + \alpha\, FP + \beta\, FN + s_{dr}}"#,
            #"TP = \sum_i p_i g_i,\quad FP = \sum_i p_i (1 - g_i),\quad FN = \sum_i (1 - p_i)\, g_i"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            ParameterSpec("alpha", .number(min: 0, max: nil), default: .number(0.5),
                          Localized(zh: "假阳性（FP）的权重 α", en: "the weight α of false positives")),
            ParameterSpec("beta", .number(min: 0, max: nil), default: .number(0.5),
                          Localized(zh: "假阴性（FN）的权重 β；β > α 时更看重召回率", en: "the weight β of false negatives; β > α favours recall")),
            RegionText.smoothNr, RegionText.smoothDr, RegionText.batch,
            RegionText.ignoreIndex(), RegionText.softLabel,
            .activation(), .reduction(),
        ],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "记 $A = TP + s_{nr}$、$B = TP + \\alpha FP + \\beta FN + s_{dr}$，则 $\\partial \\mathcal{L}/\\partial p_i = -g_i/B + A\\,(g_i + \\alpha(1 - g_i) - \\beta g_i)/B^2$，再经激活函数反传。",
            en: "With $A = TP + s_{nr}$, $B = TP + \\alpha FP + \\beta FN + s_{dr}$: $\\partial \\mathcal{L}/\\partial p_i = -g_i/B + A\\,(g_i + \\alpha(1 - g_i) - \\beta g_i)/B^2$, then back through the activation."),
        peers: [
            PeerEquivalent("monai", "monai.losses.TverskyLoss(softmax=True, to_onehot_y=True, alpha=α, beta=β)",
                           note: Localized(zh: "完全相同（含默认平滑 1e-5 与 batch 选项）。", en: "Identical (including the 1e-5 smoothing and the batch option).")),
        ],
        notes: Localized(
            zh: "参数名沿用 MONAI：alpha 乘 FP，beta 乘 FN（Salehi 等人论文中 α 同样对应 FP）。α = β = 0.5、平滑为 s 时即平滑为 2s 的 Dice 损失。α + β 必须 > 0。" + RegionText.ignoreNote.zh + RegionText.entryReduction.zh,
            en: "MONAI's names: alpha multiplies FP, beta multiplies FN (as α in Salehi et al.). α = β = 0.5 with smoothing s is the Dice loss with smoothing 2s. α + β must be > 0. " + RegionText.ignoreNote.en + RegionText.entryReduction.en),
        citation: Citation("Salehi S. S. M., Erdogmus D., Gholipour A. Tversky Loss Function for Image Segmentation Using 3D Fully Convolutional Deep Networks. MLMI 2017, LNCS 10541.",
                           url: "https://arxiv.org/abs/1706.05721"))

    let settings: RegionSettings
    let alpha: Double, beta: Double
    let smoothNr: Double, smoothDr: Double
    let ignoreIndex: Int, softLabel: Bool

    public init(_ parameters: Parameters) throws {
        settings = try RegionSettings(parameters)
        ignoreIndex = try parameters.integer("ignore_index")
        softLabel = try parameters.bool("soft_label")
        alpha = try parameters.number("alpha")
        beta = try parameters.number("beta")
        guard alpha + beta > 0 else {
            throw LossError.invalidParameter(loss: Self.descriptor.id, name: "beta", message: "alpha + beta must be > 0")
        }
        smoothNr = try parameters.number("smooth_nr")
        smoothDr = try parameters.number("smooth_dr")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let problem = try settings.problem(input, target: target, ignoreIndex: ignoreIndex, softLabel: softLabel)
        let (a, b) = Self.coefficients(alpha: alpha, beta: beta)
        let smoothNr = self.smoothNr, smoothDr = self.smoothDr
        return problem.evaluate(reduction: settings.reduction, gradient: gradient) { sums in
            RegionProblem.oneMinusRatio(sums, a: a, a0: smoothNr, b: b, b0: smoothDr)
        }
    }

    /// TP and TP + αFP + βFN as linear forms of the entry sums.
    static func coefficients(alpha: Double, beta: Double) -> (SIMD8<Double>, SIMD8<Double>) {
        typealias S = RegionProblem.Sum
        return (RegionProblem.vector([(S.tp, 1)]), RegionProblem.vector([(S.tp, 1), (S.fp, alpha), (S.fn, beta)]))
    }
}
