extension Catalog {
    /// The segmentation losses of issue 17.3 (MONAI's clDice family, the binary Lovász hinge), in
    /// the order the reference index lists them.
    static let segmentationLosses: [any Loss.Type] = [
        ClDiceLoss.self,
        DiceClDiceLoss.self,
        LovaszHingeLoss.self,
    ]
}
