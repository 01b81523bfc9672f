/// Distance IoU loss, `torchvision.ops.distance_box_iou_loss` exactly.
///
/// ```latex
/// \ell = 1 - \frac{I}{U + \epsilon} + \frac{\rho^2}{c^2 + \epsilon}
/// ```
/// ρ is the distance between the boxes' centres, c the diagonal of the smallest enclosing box.
/// Input: predicted boxes `[N, 4]` (or `[4]`) in (x1, y1, x2, y2); target: same shape.
/// `reduction` defaults to `none`, as torchvision. Concentric boxes give the IoU loss; two
/// coincident zero-area boxes give 1. See ``BoxPairs`` for ties and non-finite coordinates.
public struct DIoULoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "diou",
        category: .detection,
        formulas: [
            #"\ell = 1 - \frac{I}{U + \epsilon} + \frac{\rho^2}{c^2 + \epsilon}, \quad \rho^2 = \Bigl(\frac{x_1 + x_2 - x_1^g - x_2^g}{2}\Bigr)^2 + \Bigl(\frac{y_1 + y_2 - y_1^g - y_2^g}{2}\Bigr)^2"#,
            #"c^2 = \bigl(\max(x_2, x_2^g) - \min(x_1, x_1^g)\bigr)^2 + \bigl(\max(y_2, y_2^g) - \min(y_1, y_1^g)\bigr)^2"#,
            DetectionText.intersectionUnion,
        ],
        parameters: DetectionText.parameters,
        peers: [
            PeerEquivalent("torchvision", "torchvision.ops.distance_box_iou_loss(b1, b2, reduction=r, eps=ε)"),
        ],
        citation: DetectionText.diouPaper)

    let eps: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        eps = try parameters.number("eps")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try BoxPairs.evaluate(Self.descriptor.id, .distance, eps: eps, reduction: reduction, input, target, gradient: gradient)
    }
}
