extension DIoULoss {
    /// Box loss, distance IoU, `torchvision.ops.distance_box_iou_loss`: 1 − I/(U + ε) + ρ²/(c² + ε).
    ///
    /// The same loss as `Catalog.make("diou", …)`, validated by ``Loss/init(validating:)``.
    /// - Parameters:
    ///   - eps: ε ≥ 0 (default 1e-7, torchvision's).
    ///   - reduction: `none` (default, torchvision's: one value per box pair), `mean` or `sum`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative or non-finite `eps`.
    public init(eps: Double = 1e-7, reduction: Reduction = .none) throws {
        try self.init(validating: ["eps": .number(eps), "reduction": .string(reduction.rawValue)])
    }
}
