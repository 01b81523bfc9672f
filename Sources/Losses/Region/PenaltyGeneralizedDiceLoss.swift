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
        name: Localized(zh: "惩罚 GD 损失（惩罚广义 Dice）", en: "Penalty generalised Dice loss"),
        category: .region,
        formulas: [
            #"\mathcal{L}_{pGD} = \frac{\mathcal{L}_{GD}}{1 + k\,(1 - \mathcal{L}_{GD})}, \qquad \mathcal{L}_{GD} = 1 - \frac{2\sum_c w_c I_c + s_{nr}}{\sum_c w_c (P_c + G_c) + s_{dr}}"#,
        ],
        parameters: [ParameterSpec("k", .number(min: 0, max: nil), default: .number(2.5),
                                   Localized(zh: "惩罚系数 k ≥ 0（论文取 2.5；k = 0 即广义 Dice 损失）",
                                             en: "penalty k ≥ 0 (2.5 in the paper; k = 0 is the generalised Dice loss)"))]
            + GeneralizedDiceLoss.sharedParameters,
        inputConvention: RegionText.inputConvention,
        gradientNote: Localized(
            zh: "$\\partial \\mathcal{L}_{pGD}/\\partial \\mathcal{L}_{GD} = (1 + k)/(1 + k(1 - \\mathcal{L}_{GD}))^2$，乘以广义 Dice 损失的梯度。预测差时（$\\mathcal{L}_{GD} \\to 1$）斜率为 $1 + k$，预测好时（$\\to 0$）斜率降为 $1/(1+k)$：困难样本的梯度被放大。",
            en: "$\\partial \\mathcal{L}_{pGD}/\\partial \\mathcal{L}_{GD} = (1 + k)/(1 + k(1 - \\mathcal{L}_{GD}))^2$ times the generalised Dice loss's gradient: slope $1 + k$ for poor predictions ($\\mathcal{L}_{GD} \\to 1$), $1/(1+k)$ near perfection: hard samples are amplified."),
        peers: [
            PeerEquivalent("segloss", "PenaltyGDiceLoss({'smooth': 1e-5})",
                           note: Localized(zh: "SegLoss 把返回 −GD 的 GDiceLoss 代入公式，符号错误（见备注）；它没有正确的对应调用。",
                                           en: "SegLoss plugs a GDiceLoss that returns −GD into the formula, flipping the sign (see notes); no peer call matches.")),
        ],
        notes: Localized(
            zh: "SegLoss 的 PenaltyGDiceLoss 建立在返回 −GD 的 GDiceLoss 上，算出的是 −GD/(1 + k(1 + GD))，符号与含义都不对；我们按论文用 L_GD = 1 − GD（MONAI 的广义 Dice 损失，含其无穷权重的处理）。每个样本一个值再归约，none 的形状为 [N]（batch=true 时为 [1]）。MONAI 没有此损失。",
            en: "SegLoss's PenaltyGDiceLoss is built on a GDiceLoss that returns −GD, so it computes −GD/(1 + k(1 + GD)): wrong sign and meaning. We follow the paper with L_GD = 1 − GD (MONAI's generalised Dice loss, including its infinite-weight handling). One value per sample, then the reduction; none is shaped [N] ([1] with batch=true). MONAI has no such loss."),
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
