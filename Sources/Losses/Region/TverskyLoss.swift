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
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = 1 - \frac{TP + s_{nr}}{TP + \alpha\, FP + \beta\, FN + s_{dr}}"#,
            #"TP = \sum_i p_i g_i,\quad FP = \sum_i p_i (1 - g_i),\quad FN = \sum_i (1 - p_i)\, g_i"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            ParameterSpec("alpha", .number(min: 0, max: nil), default: .number(0.5)),
            ParameterSpec("beta", .number(min: 0, max: nil), default: .number(0.5)),
            RegionText.smoothNr, RegionText.smoothDr, RegionText.batch,
            RegionText.ignoreIndex(), RegionText.softLabel,
            .activation(), .reduction(),
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.TverskyLoss(softmax=True, to_onehot_y=True, alpha=α, beta=β)"),
        ],
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
        return problem.evaluate(reduction: settings.reduction, gradient: gradient, extras: []) { sums in
            RegionProblem.oneMinusRatio(sums, a: a, a0: smoothNr, b: b, b0: smoothDr)
        }
    }

    /// TP and TP + αFP + βFN as linear forms of the entry sums.
    static func coefficients(alpha: Double, beta: Double) -> (SIMD8<Double>, SIMD8<Double>) {
        typealias S = RegionProblem.Sum
        return (RegionProblem.vector([(S.tp, 1)]), RegionProblem.vector([(S.tp, 1), (S.fp, alpha), (S.fn, beta)]))
    }
}
