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
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = r\,\frac{\sum_i (g_i - p_i)^2\, g_i}{\sum_i g_i + s_{dr}} + (1 - r)\,\frac{\sum_i (g_i - p_i)^2\,(1 - g_i)}{\sum_i (1 - g_i) + s_{dr}}"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            ParameterSpec("r", .number(min: 0, max: 1), default: .number(0.05)),
            ParameterSpec("smooth_dr", .number(min: 0, max: nil), default: .number(1e-5)),
            RegionText.batch, .activation(), .reduction(),
        ],
        peers: [
            PeerEquivalent("niftynet", "niftynet.layer.loss_segmentation.sensitivity_specificity_loss(prediction, ground_truth, r=0.05)"),
            PeerEquivalent("segloss", "SSLoss(apply_nonlin=softmax_helper, smooth=1e-5)"),
        ],
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
