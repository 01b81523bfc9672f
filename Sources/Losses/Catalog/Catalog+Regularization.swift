extension Catalog {
    /// The regularization losses, in the order the reference index lists them.
    static let regularizationLosses: [any Loss.Type] = [
        L1Regularization.self, L2Regularization.self,
    ]
}
