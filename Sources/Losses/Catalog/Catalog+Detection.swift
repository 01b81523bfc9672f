extension Catalog {
    /// The box-regression losses of detection (`torchvision.ops`), in the order the reference
    /// index lists them.
    static let detectionLosses: [any Loss.Type] = [
        BoxIoULoss.self, GIoULoss.self, DIoULoss.self, CIoULoss.self,
    ]
}
