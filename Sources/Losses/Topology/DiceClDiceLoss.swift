/// Dice plus soft clDice, MONAI `SoftDiceclDiceLoss` exactly:
///
/// ```latex
/// \mathcal{L} = (1 - \alpha)\, \mathcal{L}_{\text{Dice}} + \alpha\, \mathcal{L}_{\text{clDice}}
/// ```
///
/// with ``DiceLoss`` (per sample and kept class, `smooth_nr`/`smooth_dr` shared with clDice, whose
/// defaults of 1 it takes) and ``ClDiceLoss`` (per sample), each reduced with `reduction` before the
/// sum. `reduction` is `mean` or `sum`: MONAI's `none` adds a `[N, C, 1, 1]` Dice tensor to an
/// `[N]` clDice tensor, which broadcasts into `[N, C, 1, N]` and pairs every sample's Dice with every
/// sample's clDice, so it has no per-sample meaning (the compounds of this catalog reject `none`
/// too). Input, targets, empty masks and NaN: as the two terms.
public struct DiceClDiceLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "dice-cldice",
        category: .compound,
        formulas: [
            #"\mathcal{L} = (1 - \alpha)\left(1 - \frac{1}{NC}\sum_{n,c}\frac{2\sum_i p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_i p_{n,c,i} + \sum_i g_{n,c,i} + s_{dr}}\right) + \alpha\, \frac{1}{N}\sum_n \left(1 - \frac{2\, T_{prec,n}\, T_{sens,n}}{T_{prec,n} + T_{sens,n} + \text{smooth}}\right)"#,
            TopologyText.precisionSensitivity,
        ],
        parameters: [
            TopologyText.iterations,
            ParameterSpec("alpha", .number(min: 0, max: 1), default: .number(0.5)),
            TopologyText.smoothNr, TopologyText.smoothDr, TopologyText.smooth,
            RegionText.includeBackground(),
            .activation(),
            CompoundTerms.reduction,
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.SoftDiceclDiceLoss(softmax=True, to_onehot_y=True)"),
        ],
        citation: TopologyText.clDicePaper)

    let alpha: Double
    let dice: DiceLoss
    let clDice: ClDiceLoss

    public init(_ parameters: Parameters) throws {
        alpha = try parameters.number("alpha")
        dice = try CompoundTerms.component(DiceLoss.self, from: parameters)
        clDice = try CompoundTerms.component(ClDiceLoss.self, from: parameters)
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let clDiceTerm = try clDice.evaluate(input, target: target, gradient: gradient)
        let diceTerm = try dice.evaluate(input, target: target, gradient: gradient)
        return CompoundTerms.combine([(1 - alpha, diceTerm), (alpha, clDiceTerm)], gradient: gradient)
    }
}
