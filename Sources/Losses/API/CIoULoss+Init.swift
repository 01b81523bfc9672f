extension CIoULoss {
    /// Box loss, complete IoU, `torchvision.ops.complete_box_iou_loss`: DIoU (its ε fixed at 1e-7) + αv, α = v/(1 − IoU + v + ε) held constant in the gradient.
    ///
    /// The same loss as `Catalog.make("ciou", …)`, validated by ``Loss/init(validating:)``.
    /// - Parameters:
    ///   - eps: ε ≥ 0 (default 1e-7, torchvision's).
    ///   - reduction: `none` (default, torchvision's: one value per box pair), `mean` or `sum`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative or non-finite `eps`.
    public init(eps: Double = 1e-7, reduction: Reduction = .none) throws {
        try self.init(validating: ["eps": .number(eps), "reduction": .string(reduction.rawValue)])
    }
}
