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
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = \left(1 - TI_{n,c}\right)^{1/\gamma}, \qquad TI_{n,c} = \frac{TP + s_{nr}}{TP + \alpha\, FP + \beta\, FN + s_{dr}}"#,
            #"TP = \sum_i p_i g_i,\quad FP = \sum_i p_i (1 - g_i),\quad FN = \sum_i (1 - p_i)\, g_i"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            ParameterSpec("alpha", .number(min: 0, max: nil), default: .number(0.3)),
            ParameterSpec("beta", .number(min: 0, max: nil), default: .number(0.7)),
            ParameterSpec("gamma", .number(min: 0, max: nil, minExclusive: true), default: .number(4.0 / 3.0)),
            RegionText.smoothNr, RegionText.smoothDr, RegionText.batch, .activation(), .reduction(),
        ],
        peers: [
            PeerEquivalent("segloss", "FocalTversky_loss({'apply_nonlin': softmax_helper, 'alpha': 0.3, 'beta': 0.7, 'smooth': 1e-5}, gamma=0.75)"),
        ],
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
