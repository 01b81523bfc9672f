extension Catalog {
    /// MONAI's remaining segmentation losses and the erosion Hausdorff loss (issue 17.3), in the
    /// order the reference index lists them within their categories.
    static let segmentationExtraLosses: [any Loss.Type] = [
        GeneralizedDiceFocalLoss.self,
        MaskedDiceLoss.self,
        LogHausdorffDTLoss.self,
        GeneralizedWassersteinDiceLoss.self,
        HausdorffERLoss.self,
    ]
}
