extension Catalog {
    /// The generic losses, in the order the reference index lists them.
    static let genericLosses: [any Loss.Type] = [
        ZeroOneLoss.self, L1Loss.self, L2Loss.self, SmoothL1Loss.self, HuberLoss.self, LogCoshLoss.self,
        ExponentialLoss.self, HingeLoss.self, SquaredHingeLoss.self, SoftMarginLoss.self,
        KLDivergenceLoss.self, BinaryCrossEntropyLoss.self, PerceptualLoss.self,
    ]
}
