extension Catalog {
    /// The generic losses, in the order the reference index lists them.
    static let genericLosses: [any Loss.Type] = []
}
