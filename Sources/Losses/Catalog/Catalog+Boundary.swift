extension Catalog {
    /// The boundary losses, in the order the reference index lists them.
    static let boundaryLosses: [any Loss.Type] = [
        BoundaryLoss.self,
        HausdorffDTLoss.self,
    ]
}
