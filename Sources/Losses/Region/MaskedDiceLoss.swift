/// Dice loss restricted to a region, with MONAI `MaskedDiceLoss` semantics.
///
/// With m the region mask (1 inside, 0 outside), the probabilities and the target are multiplied
/// by m before the Dice sums, so only the positions inside take part (and get a gradient):
///
/// ```latex
/// \mathcal{L}_{n,c} = 1 - \frac{2\sum_i m_{n,i}\, p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_i m_{n,i}\, p_{n,c,i} + \sum_i m_{n,i}\, g_{n,c,i} + s_{dr}}
/// ```
///
/// then as `dice` (squared_pred, jaccard, soft_label, batch, weight, reductions; `none` shaped
/// `[N, C′]`).
///
/// **The mask travels with the target**, as one more channel after it (the `Loss` protocol and
/// `lossbook eval` take one input and one target): `[N, C + 1, spatial…]` — a dense target of the
/// input's C channels, then the mask — or `[N, 2, spatial…]` — a class-index map, then the mask.
/// (With C = 1 the two forms coincide.) The mask holds 0 or 1 (MONAI's "binary mask"); other
/// values throw. An all-zero mask leaves every class empty: each entry is 1 − s_nr/s_dr = 0 with
/// the default smoothing, with a zero gradient.
///
/// Unlike MONAI with `to_onehot_y=True`, a class index outside the mask is left out of every
/// class: MONAI multiplies the *label map* by the mask before its one-hot encoding, which turns
/// those positions into background (class 0) labels with p = 0, so its background channel counts
/// them as missed. With a dense target, or without the background channel, the two agree.
public struct MaskedDiceLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "masked-dice",
        category: .region,
        formulas: [
            #"\mathcal{L}_{n,c} = 1 - \frac{2\sum_i m_{n,i}\, p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_i m_{n,i}\, p_{n,c,i} + \sum_i m_{n,i}\, g_{n,c,i} + s_{dr}}, \qquad \mathcal{L} = \frac{1}{NC}\sum_{n,c} w_c\, \mathcal{L}_{n,c}"#,
            #"m_{n,i} \in \{0, 1\}: \text{ the region that takes part}"#,
        ],
        parameters: DiceLoss.descriptor.parameters.filter { $0.name != "ignore_index" },
        peers: [
            PeerEquivalent("monai", "monai.losses.MaskedDiceLoss(softmax=True)(x, one_hot(y), mask)"),
        ],
        citation: Citation("Milletari F., Navab N., Ahmadi S.-A. V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation. 3DV 2016.",
                           url: "https://doi.org/10.1109/3DV.2016.79"))

    let dice: DiceLoss

    public init(_ parameters: Parameters) throws {
        dice = try CompoundTerms.component(DiceLoss.self, from: parameters)
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        let (labels, region) = try Self.split(target, layout: layout)
        let problem = try RegionProblem(input, target: labels, activation: dice.settings.activation,
                                        includeBackground: dice.settings.includeBackground, batch: dice.settings.batch,
                                        softLabel: dice.softLabel && !dice.squaredPred, region: region)
        return try dice.evaluate(problem, gradient: gradient, loss: Self.descriptor.id).output
    }

    /// The target without its last channel, and that channel (the mask) as positions that take part.
    /// - Throws: `LossError.shapeMismatch` for any other shape, `.invalidInput` for a mask value
    ///   other than 0 or 1.
    static func split(_ target: Tensor?, layout: ClassScoreShape) throws -> (Tensor, [Bool]) {
        let C = layout.classes, S = layout.spatial
        let dense = [layout.batch, C + 1] + layout.spatialShape, labels = [layout.batch, 2] + layout.spatialShape
        guard let target, target.shape == dense || target.shape == labels else {
            throw LossError.shapeMismatch("'masked-dice' takes the mask as the target's last channel: \(dense) (dense target, then mask) "
                                          + "or \(labels) (class indices, then mask); got \(target.map { "\($0.shape)" } ?? "no target")")
        }
        let channels = target.shape[1] - 1
        var kept = [Float](), region = [Bool]()
        kept.reserveCapacity(layout.batch * channels * S)
        region.reserveCapacity(layout.positions)
        for n in 0..<layout.batch {
            let base = n * (channels + 1) * S
            kept.append(contentsOf: target.data[base..<(base + channels * S)])
            for s in 0..<S {
                let m = target.data[base + channels * S + s]
                guard m == 0 || m == 1 else {
                    throw LossError.invalidInput("'masked-dice': the mask (the target's last channel) holds \(m) at sample \(n), position \(s); it takes 0 or 1")
                }
                region.append(m == 1)
            }
        }
        let shape = channels == C ? layout.shape : layout.positionShape
        return (Tensor(unchecked: shape, data: kept), region)
    }
}
