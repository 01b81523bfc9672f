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
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = 1 - \frac{\sum_i p_i g_i + s_{nr}}{\sum_i p_i + \sum_i g_i - \sum_i p_i g_i + s_{dr}}, \qquad \mathcal{L} = \frac{1}{NC}\sum_{n,c}\mathcal{L}_{n,c}"#,
            #"\mathrm{IoU} = \frac{\mathrm{Dice}}{2 - \mathrm{Dice}} \quad (\text{hard masks}, s_{nr} = s_{dr} = 0)"#,
        ],
        parameters: [RegionText.includeBackground(), RegionText.smoothNr, RegionText.smoothDr, RegionText.batch,
                     .activation(), .reduction()],
        peers: [
            PeerEquivalent("monai", "monai.losses.DiceLoss(softmax=True, to_onehot_y=True, jaccard=True, smooth_nr=2*s_nr, smooth_dr=2*s_dr)"),
            PeerEquivalent("smp", "segmentation_models_pytorch.losses.JaccardLoss(mode='multiclass', smooth=0)"),
        ],
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
        return problem.evaluate(reduction: settings.reduction, gradient: gradient, extras: []) { sums in
            RegionProblem.oneMinusRatio(sums, a: a, a0: smoothNr, b: b, b0: smoothDr)
        }
    }
}
