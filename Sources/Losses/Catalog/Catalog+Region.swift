extension Catalog {
    /// The region losses, in the order the reference index lists them.
    static let regionLosses: [any Loss.Type] = []
}
