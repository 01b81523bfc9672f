extension BoxIoULoss {
    /// Box loss, 1 − IoU of each pair of boxes (x1, y1, x2, y2), IoU = I/(U + ε); torchvision's IoU term, `1 - torchvision.ops.box_iou(b1, b2).diagonal()` at ε = 0.
    ///
    /// The same loss as `Catalog.make("box-iou", …)`, validated by ``Loss/init(validating:)``.
    /// - Parameters:
    ///   - eps: ε ≥ 0 (default 1e-7, torchvision's).
    ///   - reduction: `none` (default, torchvision's: one value per box pair), `mean` or `sum`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative or non-finite `eps`.
    public init(eps: Double = 1e-7, reduction: Reduction = .none) throws {
        try self.init(validating: ["eps": .number(eps), "reduction": .string(reduction.rawValue)])
    }
}
