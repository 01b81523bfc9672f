/// Generalized IoU loss, `torchvision.ops.generalized_box_iou_loss` exactly.
///
/// ```latex
/// \ell = 1 - \frac{I}{U + \epsilon} + \frac{C - U}{C + \epsilon}
/// ```
/// C is the area of the smallest box enclosing both. Input: predicted boxes `[N, 4]` (or `[4]`)
/// in (x1, y1, x2, y2); target: same shape. `reduction` defaults to `none`, as torchvision.
/// Disjoint boxes still get a gradient (through C), which is the point of the loss; identical
/// boxes give 0 (up to ε). See ``BoxPairs`` for ties and non-finite coordinates.
public struct GIoULoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "giou",
        category: .detection,
        formulas: [
            #"\ell = 1 - \frac{I}{U + \epsilon} + \frac{C - U}{C + \epsilon}, \quad C = \bigl(\max(x_2, x_2^g) - \min(x_1, x_1^g)\bigr)\bigl(\max(y_2, y_2^g) - \min(y_1, y_1^g)\bigr)"#,
            DetectionText.intersectionUnion,
        ],
        parameters: DetectionText.parameters,
        peers: [
            PeerEquivalent("torchvision", "torchvision.ops.generalized_box_iou_loss(b1, b2, reduction=r, eps=ε)"),
        ],
        citation: DetectionText.giouPaper)

    let eps: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        eps = try parameters.number("eps")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try BoxPairs.evaluate(Self.descriptor.id, .generalized, eps: eps, reduction: reduction, input, target, gradient: gradient)
    }
}
