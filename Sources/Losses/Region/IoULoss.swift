/// Soft IoU (Jaccard) loss: the Dice machinery with the intersection over the soft union.
///
/// Per entry, I = Σ p g, U = Σ p + Σ g − I:
///
/// ```latex
/// \mathcal{L} = 1 - \frac{I + s_{nr}}{U + s_{dr}}
/// ```
///
/// MONAI has no separate IoU loss: `DiceLoss(jaccard=True)` computes (2I + s_nr)/(2U + s_dr)
/// = (I + s_nr/2)/(U + s_dr/2), so `iou` with smoothing s equals MONAI's jaccard Dice with
/// smoothing 2s, and MONAI's defaults (1e-5) equal `iou` with 5e-6. For hard masks without
/// smoothing IoU = Dice/(2 − Dice). Empty class predicted empty: 1 − s_nr/s_dr = 0 by default.
public struct IoULoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "iou",
        name: Localized(zh: "IoU（Jaccard）损失", en: "IoU (Jaccard) loss"),
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = 1 - \frac{\sum_i p_i g_i + s_{nr}}{\sum_i p_i + \sum_i g_i - \sum_i p_i g_i + s_{dr}}, \qquad \mathcal{L} = \frac{1}{NC}\sum_{n,c}\mathcal{L}_{n,c}"#,
            #"\mathrm{IoU} = \frac{\mathrm{Dice}}{2 - \mathrm{Dice}} \quad (\text{hard masks}, s_{nr} = s_{dr} = 0)"#,
        ],
        parameters: [RegionText.includeBackground(), RegionText.smoothNr, RegionText.smoothDr, RegionText.batch,
                     .activation(), .reduction()],
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "记 $A = I + s_{nr}$、$B = U + s_{dr}$，$U = \\sum p + \\sum g - I$，则 $\\partial \\mathcal{L}/\\partial p_i = -g_i/B + A(1 - g_i)/B^2$，再经激活函数反传。",
            en: "With $A = I + s_{nr}$, $B = U + s_{dr}$, $U = \\sum p + \\sum g - I$: $\\partial \\mathcal{L}/\\partial p_i = -g_i/B + A(1 - g_i)/B^2$, then back through the activation."),
        peers: [
            PeerEquivalent("monai", "monai.losses.DiceLoss(softmax=True, to_onehot_y=True, jaccard=True, smooth_nr=2*s_nr, smooth_dr=2*s_dr)",
                           note: Localized(zh: "MONAI 的 jaccard=True 等价于平滑常数减半的 IoU；把 MONAI 的平滑设为我们的两倍即完全相同。",
                                           en: "MONAI's jaccard=True is IoU with half the smoothing; with MONAI's smoothing set to twice ours the two are identical.")),
            PeerEquivalent("smp", "segmentation_models_pytorch.losses.JaccardLoss(mode='multiclass', smooth=0)",
                           note: Localized(zh: "仅在 batch = true 且 smooth_nr = smooth_dr = 0 时一致（smp 在批与空间维上一起求和）；smp 对空类置 0 并对分母做 eps 截断。",
                                           en: "Equal only with batch = true and smooth_nr = smooth_dr = 0 (smp sums over the batch and spatial axes together); smp also zeroes empty classes and clamps the denominator with eps.")),
        ],
        notes: Localized(
            zh: "分子、分母各自的平滑（默认都为 1e-5）与 MONAI 的 Dice 一致；因此空类且预测为空时损失为 0。" + RegionText.entryReduction.zh,
            en: "Separate numerator and denominator smoothing (both 1e-5 by default), as MONAI's Dice; an empty class predicted empty therefore scores 0. " + RegionText.entryReduction.en),
        citation: Citation("Rahman M. A., Wang Y. Optimizing Intersection-Over-Union in Deep Neural Networks for Image Segmentation. ISVC 2016, LNCS 10072.",
                           url: "https://doi.org/10.1007/978-3-319-50835-1_22"))

    let settings: RegionSettings
    let smoothNr: Double, smoothDr: Double

    public init(_ parameters: Parameters) throws {
        settings = try RegionSettings(parameters)
        smoothNr = try parameters.number("smooth_nr")
        smoothDr = try parameters.number("smooth_dr")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        typealias S = RegionProblem.Sum
        let problem = try settings.problem(input, target: target)
        let a = RegionProblem.vector([(S.tp, 1)])
        let b = RegionProblem.vector([(S.g, 1), (S.fp, 1)])   // U = G + Σp − I = G + FP
        let smoothNr = self.smoothNr, smoothDr = self.smoothDr
        return problem.evaluate(reduction: settings.reduction, gradient: gradient) { sums in
            RegionProblem.oneMinusRatio(sums, a: a, a0: smoothNr, b: b, b0: smoothDr)
        }
    }
}
