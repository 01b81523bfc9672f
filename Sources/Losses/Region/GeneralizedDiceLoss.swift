/// Generalised Dice loss (Sudre et al. 2017) with MONAI `GeneralizedDiceLoss` semantics.
///
/// Per sample (or once over the batch with `batch`), over the kept classes c:
///
/// ```latex
/// \mathcal{L} = 1 - \frac{2\sum_c w_c I_c + s_{nr}}{\sum_c w_c (P_c + G_c) + s_{dr}},
/// \qquad w_c = \frac{1}{G_c^2}\ (\text{square}),\ \frac{1}{G_c}\ (\text{simple}),\ 1\ (\text{uniform})
/// ```
///
/// The weights come from the target only (no gradient flows through them). An absent class has
/// an infinite weight; as MONAI, it is replaced by the largest finite weight of the same sample
/// (of the batch with `batch`), or 0 when every class is absent — then the loss is
/// 1 − s_nr/s_dr = 0 with the default smoothing. `none` returns one value per sample, shaped
/// `[N]` (`[1]` with `batch`).
public struct GeneralizedDiceLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "generalized-dice",
        category: .region,
        formulas: [
            #"\mathcal{L}_n = 1 - \frac{2\sum_c w_c \sum_i p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_c w_c \sum_i \left(p_{n,c,i} + g_{n,c,i}\right) + s_{dr}}"#,
            #"w_c = \begin{cases} G_c^{-e} & G_c > 0 \\ \max_{j=1}^{C} [G_j > 0]\, G_j^{-e} & G_c = 0 \end{cases}, \qquad G_c = \sum_i g_{n,c,i}, \qquad \text{exponent } e\colon 2\ (\texttt{square}),\ 1\ (\texttt{simple}),\ 0\ (\texttt{uniform})"#,
        ],
        parameters: GeneralizedDiceLoss.sharedParameters,
        peers: [
            PeerEquivalent("monai", "monai.losses.GeneralizedDiceLoss(softmax=True, to_onehot_y=True, w_type='square')"),
            PeerEquivalent("segloss", "GDiceLoss(apply_nonlin=softmax_helper, smooth=1e-5)"),
        ],
        citation: Citation("Sudre C. H., Li W., Vercauteren T., Ourselin S., Cardoso M. J. Generalised Dice Overlap as a Deep Learning Loss Function for Highly Unbalanced Segmentations. DLMIA 2017, LNCS 10553.",
                           url: "https://arxiv.org/abs/1707.03237"))

    static let sharedParameters: [ParameterSpec] = [
        RegionText.includeBackground(),
        ParameterSpec("w_type", .choice(["square", "simple", "uniform"]), default: .string("square")),
        RegionText.smoothNr, RegionText.smoothDr, RegionText.batch, RegionText.softLabel, .activation(), .reduction(),
    ]

    let settings: RegionSettings
    let weightType: String
    let smoothNr: Double, smoothDr: Double
    let softLabel: Bool

    public init(_ parameters: Parameters) throws {
        settings = try RegionSettings(parameters)
        softLabel = try parameters.bool("soft_label")
        weightType = try parameters.string("w_type")
        smoothNr = try parameters.number("smooth_nr")
        smoothDr = try parameters.number("smooth_dr")
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try evaluate(input, target: target, gradient: gradient) { gd in (gd, 1) }
    }

    /// Evaluates `transform(1 − GD)` per row (value and derivative), reduced over rows.
    func evaluate(_ input: Tensor, target: Tensor?, gradient wanted: Bool,
                  transform: (Double) -> (Double, Double)) throws -> LossOutput {
        typealias S = RegionProblem.Sum
        let problem = try settings.problem(input, target: target, softLabel: softLabel)
        let sums: [SIMD8<Double>]
        var kept: [Float]?
        (sums, kept, _) = problem.sums(keepingProbabilities: wanted, extras: [])
        let K = problem.keptClasses, rows = problem.rows
        var values = [Double](repeating: 0, count: rows)
        var partials = [SIMD8<Double>](repeating: .zero, count: problem.entries)
        for row in 0..<rows {
            var w = (0..<K).map { k -> Double in
                let g = sums[row * K + k][S.g]
                switch weightType {
                case "simple": return 1 / g
                case "uniform": return 1
                default: return 1 / (g * g)
                }
            }
            let largest = w.filter(\.isFinite).max() ?? 0
            for k in 0..<K where !w[k].isFinite { w[k] = largest }
            var A = smoothNr, B = smoothDr
            for k in 0..<K {
                let s = sums[row * K + k]
                A += 2 * w[k] * s[S.tp]
                B += w[k] * (s[S.g] + s[S.tp] + s[S.fp])
            }
            let (value, slope) = transform(1 - A / B)
            values[row] = value
            for k in 0..<K {
                let dB = A * w[k] / (B * B)
                partials[row * K + k] = slope * RegionProblem.vector([(S.tp, dB - 2 * w[k] / B), (S.fp, dB)])
            }
        }
        var sum = 0.0
        for v in values { sum += v }
        let shape = [rows]
        let value = Reduce.value(sum: sum, count: Double(rows), elements: values.map(Float.init), shape: shape, reduction: settings.reduction)
        guard wanted else { return LossOutput(value: value) }
        let scale = Reduce.gradientScale(settings.reduction, count: Double(rows))
        return LossOutput(value: value, gradient: problem.gradient(partials.map { $0 * scale }, over: &kept))
    }
}
