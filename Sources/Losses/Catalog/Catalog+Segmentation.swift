extension Catalog {
    /// The losses of issue 17.3 for segmentation and image networks (MONAI's clDice family, the
    /// binary Lovász hinge, MONAI's SSIM and
    /// Asymmetric Unified Focal loss), in the order the reference index lists them.
    static let segmentationLosses: [any Loss.Type] = [
        ClDiceLoss.self,
        DiceClDiceLoss.self,
        LovaszHingeLoss.self,
        SSIMLoss.self,
        AsymmetricUnifiedFocalLoss.self,
    ]
}
