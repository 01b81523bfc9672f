extension Catalog {
    /// The compound losses, in the order the reference index lists them.
    static let compoundLosses: [any Loss.Type] = [
        DiceCELoss.self,
        DiceFocalLoss.self,
        DiceTopKLoss.self,
        ExpLogLoss.self,
        ComboLoss.self,
    ]
}
