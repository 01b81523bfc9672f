/// Soft clDice loss (Shit et al. 2021), MONAI `SoftclDiceLoss` exactly.
///
/// Per sample, over the kept classes and every position (S_p, S_g the soft skeletons of the
/// probabilities and of the target, `SoftSkeleton`):
///
/// ```latex
/// \mathcal{L}_n = 1 - \frac{2\, T_{prec} T_{sens}}{T_{prec} + T_{sens} + \text{smooth}}, \quad
/// T_{prec} = \frac{\sum S_p g + s_{nr}}{\sum S_p + s_{dr}}, \quad T_{sens} = \frac{\sum S_g p + s_{nr}}{\sum S_g + s_{dr}}
/// ```
///
/// one value per sample (MONAI 1.6 reduces the channel and spatial axes together), then `mean`,
/// `sum`, or `none` shaped `[N]`. Input `[N, C, H, W]` or `[N, C, D, H, W]` only (the skeleton's
/// pooling is 2-D or 3-D, as MONAI). Empty target: S_g = 0, so T_sens = s_nr/s_dr (1 with the
/// defaults) and the loss is driven by T_prec alone; with `smooth_nr = smooth_dr = 0` an empty
/// target or an empty skeleton of the prediction gives 0/0 = NaN, as MONAI. NaN inputs propagate.
/// The gradient is torch autograd's through MONAI's code, ties included (see ``SoftSkeleton``).
public struct ClDiceLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "cldice",
        category: .region,
        formulas: [
            #"\mathcal{L}_n = 1 - \frac{2\, T_{prec}\, T_{sens}}{T_{prec} + T_{sens} + \text{smooth}}"#,
            TopologyText.precisionSensitivity,
            TopologyText.skeleton,
        ],
        parameters: [
            TopologyText.iterations,
            TopologyText.smoothNr, TopologyText.smoothDr, TopologyText.smooth,
            RegionText.includeBackground(),
            .activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.SoftclDiceLoss(softmax=True, to_onehot_y=True)"),
        ],
        citation: TopologyText.clDicePaper)

    let iterations: Int
    let smoothNr: Double, smoothDr: Double, smooth: Double
    let includeBackground: Bool
    let activation: Activation
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        iterations = try parameters.integer("iter_")
        smoothNr = try parameters.number("smooth_nr")
        smoothDr = try parameters.number("smooth_dr")
        smooth = try parameters.number("smooth")
        includeBackground = try parameters.bool("include_background")
        activation = try parameters.activation()
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let problem = try RegionProblem(input, target: target, activation: activation, includeBackground: includeBackground,
                                        batch: false)
        let terms = try ClDiceTerms(problem: problem, iterations: iterations, smoothNr: smoothNr, smoothDr: smoothDr,
                                    smooth: smooth)
        let N = problem.layout.batch
        let scale = Reduce.gradientScale(reduction, count: Double(N))
        let (values, upstream) = terms.evaluate(problem, gradientFactors: gradient ? Array(repeating: scale, count: N) : nil)
        let value = Reduce.value(sum: values.reduce(0, +), count: Double(N), elements: values.map(Float.init), shape: [N],
                                 reduction: reduction)
        guard let upstream else { return LossOutput(value: value) }
        return LossOutput(value: value, gradient: problem.backward(upstream))
    }
}
