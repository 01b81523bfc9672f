extension Catalog {
    /// The distribution losses, in the order the reference index lists them.
    static let distributionLosses: [any Loss.Type] = [
        CrossEntropyLoss.self, WeightedCrossEntropyLoss.self, TopKLoss.self, TopKThresholdLoss.self, FocalLoss.self,
        DistancePenalizedCrossEntropyLoss.self,
    ]
}
