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
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = 1 - \frac{(1+\beta^2)\sum_i p_i g_i + s_{nr}}{(1+\beta^2)\sum_i p_i g_i + \beta^2 \sum_i (1-p_i)\, g_i + \sum_i p_i (1-g_i) + s_{dr}}"#,
            #"\text{Tversky's form: } \mathcal{L}_{n,c} = 1 - \frac{TP + \alpha\, s_{nr}}{TP + \alpha\, FP + \beta_T\, FN + \alpha\, s_{dr}}, \quad \alpha = \tfrac{1}{1+\beta^2},\ \beta_T = \tfrac{\beta^2}{1+\beta^2}"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            ParameterSpec("beta", .number(min: 0, max: nil), default: .number(1.5)),
            RegionText.smoothNr, RegionText.smoothDr, RegionText.batch, .activation(), .reduction(),
        ],
        peers: [
            PeerEquivalent("segloss", "AsymLoss(apply_nonlin=softmax_helper, smooth=0)"),
        ],
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
