extension Catalog {
    /// The region losses, in the order the reference index lists them.
    static let regionLosses: [any Loss.Type] = [
        SensitivitySpecificityLoss.self,
        DiceLoss.self,
        IoULoss.self,
        LovaszSoftmaxLoss.self,
        TverskyLoss.self,
        GeneralizedDiceLoss.self,
        FocalTverskyLoss.self,
        AsymmetricLoss.self,
        PenaltyGeneralizedDiceLoss.self,
    ]
}
