extension Loss {
    /// Builds the loss from parameter values exactly as ``Catalog/make(_:_:)`` does: each value is
    /// checked against ``LossDescriptor/parameters`` (names known, kinds and ranges valid), the
    /// defaults are filled in, then ``Loss/init(_:)`` runs its own cross-parameter checks.
    ///
    /// The typed initialisers (`FocalLoss(gamma:alpha:activation:reduction:)`, …) are written on
    /// top of this, so the catalog's string interface and the Swift interface share one validation
    /// and throw the same ``LossError`` for the same out-of-range value.
    ///
    /// - Parameter values: parameter values by their catalog names (`"gamma"`, `"ignore_index"`, …).
    /// - Throws: ``LossError/unknownParameter(loss:name:suggestion:)`` or
    ///   ``LossError/invalidParameter(loss:name:message:)``.
    public init(validating values: [String: ParameterValue]) throws {
        try self.init(Catalog.validate(values, against: Self.descriptor))
    }
}

extension ParameterValue {
    /// A list parameter from Swift numbers (an empty list means "not given", as in the catalog).
    static func list(_ xs: [Double]) -> ParameterValue { .numbers(xs) }

    /// A whole-number parameter.
    static func integer(_ n: Int) -> ParameterValue { .number(Double(n)) }
}
