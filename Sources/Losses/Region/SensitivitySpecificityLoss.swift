/// Sensitivity–specificity loss (Brosch et al. 2015).
///
/// Per entry, the mean squared error over the foreground and over the background:
///
/// ```latex
/// \mathcal{L} = r\,\frac{\sum_i (g_i - p_i)^2 g_i}{\sum_i g_i + s_{dr}}
///   + (1 - r)\,\frac{\sum_i (g_i - p_i)^2 (1 - g_i)}{\sum_i (1 - g_i) + s_{dr}}
/// ```
///
/// The first term measures errors on the foreground (1 − sensitivity), the second on the
/// background (1 − specificity). r = 0.05 as Brosch et al. and NiftyNet. An empty foreground
/// makes the first term 0/s_dr = 0 (and an all-foreground target the second); with
/// `smooth_dr = 0` that term is 0/0 = NaN. Reduced over entries as `dice`.
public struct SensitivitySpecificityLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "sensitivity-specificity",
        name: Localized(zh: "敏感度-特异度损失", en: "Sensitivity–specificity loss"),
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = r\,\frac{\sum_i (g_i - p_i)^2\, g_i}{\sum_i g_i + s_{dr}} + (1 - r)\,\frac{\sum_i (g_i - p_i)^2\,(1 - g_i)}{\sum_i (1 - g_i) + s_{dr}}"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            ParameterSpec("r", .number(min: 0, max: 1), default: .number(0.05),
                          Localized(zh: "敏感度项（前景误差）的权重 r，特异度项的权重为 1 − r（Brosch 等人与 NiftyNet 取 0.05）",
                                    en: "weight r of the sensitivity (foreground error) term; the specificity term gets 1 − r (0.05 in Brosch et al. and NiftyNet)")),
            ParameterSpec("smooth_dr", .number(min: 0, max: nil), default: .number(1e-5),
                          Localized(zh: "加在两个分母上的常数（NiftyNet 的 1e-5），使空前景或空背景时该项为 0",
                                    en: "constant added to both denominators (NiftyNet's 1e-5), so an empty foreground or background makes its term 0")),
            RegionText.batch, .activation(), .reduction(),
        ],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "$\\partial \\mathcal{L}/\\partial p_i = -2(g_i - p_i)\\left[\\frac{r\\,g_i}{\\sum g + s_{dr}} + \\frac{(1-r)(1-g_i)}{\\sum(1-g) + s_{dr}}\\right]$：本质是分别按前景、背景体素数归一化的平方误差，再经激活函数反传。",
            en: "$\\partial \\mathcal{L}/\\partial p_i = -2(g_i - p_i)\\left[\\frac{r\\,g_i}{\\sum g + s_{dr}} + \\frac{(1-r)(1-g_i)}{\\sum(1-g) + s_{dr}}\\right]$: squared errors normalised by the foreground and background sizes separately, then back through the activation."),
        peers: [
            PeerEquivalent("niftynet", "niftynet.layer.loss_segmentation.sensitivity_specificity_loss(prediction, ground_truth, r=0.05)",
                           note: Localized(zh: "NiftyNet 把整批体素一起求和并对类别求和；等于我们的 batch=true、reduction=sum。它的变量名 specificity_part 实为前景（敏感度）项。",
                                           en: "NiftyNet sums over the whole batch and over classes: our batch=true, reduction=sum. Its variable specificity_part is in fact the foreground (sensitivity) term.")),
            PeerEquivalent("segloss", "SSLoss(apply_nonlin=softmax_helper, smooth=1e-5)",
                           note: Localized(zh: "SegLoss 默认 r = 0.1 且把前景项标成 specificity；设 r = 0.1 时与我们一致（它的平滑同样只在分母）。",
                                           en: "SegLoss defaults to r = 0.1 and labels the foreground term specificity; equal to ours with r = 0.1 (its smoothing is also in the denominators only).")),
        ],
        notes: Localized(
            zh: "按 Brosch 等人的定义：r 乘前景（敏感度）项，默认 r = 0.05（NiftyNet 同）；SegLoss 用 r = 0.1 且把两项名称弄反，我们不照搬。平滑只加在分母上，所以完美预测时损失恰为 0；smooth_dr = 0 时空前景（或空背景）那一项为 0/0 = NaN。MONAI 没有此损失。" + RegionText.entryReduction.zh,
            en: "As Brosch et al.: r multiplies the foreground (sensitivity) term, default r = 0.05 (as NiftyNet); SegLoss uses r = 0.1 and swaps the two names, which we do not copy. Smoothing is in the denominators only, so a perfect prediction scores exactly 0; with smooth_dr = 0 an empty foreground (or background) makes its term 0/0 = NaN. MONAI has no such loss. " + RegionText.entryReduction.en),
        citation: Citation("Brosch T., Yoo Y., Tang L. Y. W., Li D. K. B., Traboulsee A., Tam R. Deep Convolutional Encoder Networks for Multiple Sclerosis Lesion Segmentation. MICCAI 2015, LNCS 9351:3–11.",
                           url: "https://doi.org/10.1007/978-3-319-24574-4_1"))

    let settings: RegionSettings
    let r: Double, smoothDr: Double

    public init(_ parameters: Parameters) throws {
        settings = try RegionSettings(parameters)
        r = try parameters.number("r")
        smoothDr = try parameters.number("smooth_dr")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        typealias S = RegionProblem.Sum
        let problem = try settings.problem(input, target: target)
        let r = self.r, smoothDr = self.smoothDr, elements = Double(problem.elementsPerEntry)
        return problem.evaluate(reduction: settings.reduction, gradient: gradient) { sums in
            let foreground = sums[S.g] + smoothDr
            let background = elements - sums[S.g] + smoothDr
            let value = r * sums[S.errorOnForeground] / foreground + (1 - r) * sums[S.errorOnBackground] / background
            return (value, RegionProblem.vector([(S.errorOnForeground, r / foreground), (S.errorOnBackground, (1 - r) / background)]))
        }
    }
}
