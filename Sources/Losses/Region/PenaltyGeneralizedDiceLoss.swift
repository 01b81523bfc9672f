/// Penalty generalised Dice loss (Yang et al. 2019).
///
/// With L_GD the generalised Dice loss of each sample (`generalized-dice`, MONAI semantics):
///
/// ```latex
/// \mathcal{L}_{pGD} = \frac{\mathcal{L}_{GD}}{1 + k\,(1 - \mathcal{L}_{GD})}
/// ```
///
/// k ≥ 0 (k = 0 is the generalised Dice loss). The map x ↦ x/(1 + k(1 − x)) is increasing on
/// [0, 1] with slope (1 + k)/(1 + k(1 − x))²: 1 + k for a poor prediction (x = 1), 1/(1 + k)
/// near perfection (x = 0). Reduced as `generalized-dice`.
public struct PenaltyGeneralizedDiceLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "penalty-generalized-dice",
        category: .region,
        formulas: [
            #"\mathcal{L}_{pGD} = \frac{\mathcal{L}_{GD}}{1 + k\,(1 - \mathcal{L}_{GD})}, \qquad \mathcal{L}_{GD} = 1 - \frac{2\sum_c w_c I_c + s_{nr}}{\sum_c w_c (P_c + G_c) + s_{dr}}"#,
            #"I_c = \sum_i p_{n,c,i}\, g_{n,c,i}, \quad P_c = \sum_i p_{n,c,i}, \quad G_c = \sum_i g_{n,c,i}, \qquad w_c = \begin{cases} G_c^{-e} & G_c > 0 \\ \max_{j=1}^{C} [G_j > 0]\, G_j^{-e} & G_c = 0 \end{cases}, \qquad \text{exponent } e \text{ of } \texttt{w\_type} \text{ as in generalised Dice}"#,
        ],
        parameters: [ParameterSpec("k", .number(min: 0, max: nil), default: .number(2.5))]
            + GeneralizedDiceLoss.sharedParameters,
        peers: [
            PeerEquivalent("segloss", "PenaltyGDiceLoss({'smooth': 1e-5})"),
        ],
        citation: Citation("Yang S., Kweon J., Kim Y.-H. Major Vessel Segmentation on X-ray Coronary Angiography using Deep Networks with a Novel Penalty Loss Function. MIDL 2019 (extended abstract).",
                           url: "https://openreview.net/forum?id=H1lTh8unKN"))

    let k: Double
    let generalizedDice: GeneralizedDiceLoss

    public init(_ parameters: Parameters) throws {
        k = try parameters.number("k")
        generalizedDice = try GeneralizedDiceLoss(parameters)
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let k = self.k
        return try generalizedDice.evaluate(input, target: target, gradient: gradient) { x in
            let d = 1 + k * (1 - x)
            return (x / d, (1 + k) / (d * d))
        }
    }
}
