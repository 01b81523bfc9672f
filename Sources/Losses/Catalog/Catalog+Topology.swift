extension Catalog {
    /// The topology-aware segmentation losses (MONAI's clDice and the ones added with it, issue 17.3),
    /// in the order the reference index lists them.
    static let topologyLosses: [any Loss.Type] = [
        ClDiceLoss.self,
        DiceClDiceLoss.self,
    ]
}
