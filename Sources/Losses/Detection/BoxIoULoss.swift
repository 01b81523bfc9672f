/// IoU loss of axis-aligned boxes, 1 − IoU, with torchvision's conventions.
///
/// ```latex
/// \ell = 1 - \frac{I}{U + \epsilon}
/// ```
/// I is the intersection area (0 unless both overlaps are strictly positive), U the union.
/// Input: predicted boxes `[N, 4]` (or `[4]`) in (x1, y1, x2, y2); target: the boxes they are
/// compared with, same shape. `reduction` defaults to `none` (torchvision's), giving `[N]`.
/// torchvision has no IoU loss; this is the IoU term of its GIoU/DIoU losses, with the same ε
/// placement, and with ε = 0 it is `1 - torchvision.ops.box_iou(b1, b2).diagonal()`.
/// Disjoint boxes give 1 with zero gradient; two zero-area boxes give 1 (0/ε; NaN with ε = 0).
/// See ``BoxPairs`` for ties and non-finite coordinates.
public struct BoxIoULoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "box-iou",
        category: .detection,
        formulas: [#"\ell = 1 - \frac{I}{U + \epsilon}"#, DetectionText.intersectionUnion],
        parameters: DetectionText.parameters,
        peers: [
            PeerEquivalent("torchvision", "1 - torchvision.ops.box_iou(b1, b2).diagonal()  # eps=0, reduction='none'"),
        ],
        citation: DetectionText.giouPaper)

    let eps: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        eps = try parameters.number("eps")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try BoxPairs.evaluate(Self.descriptor.id, .iou, eps: eps, reduction: reduction, input, target, gradient: gradient)
    }
}
