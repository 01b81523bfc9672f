/// Complete IoU loss, `torchvision.ops.complete_box_iou_loss` exactly where torchvision is finite.
///
/// ```latex
/// \ell = 1 - \frac{I}{U + \epsilon_0} + \frac{\rho^2}{c^2 + \epsilon_0} + \alpha v, \quad
/// v = \frac{4}{\pi^2}\Bigl(\arctan\frac{w^g}{h^g} - \arctan\frac{w}{h}\Bigr)^2, \quad
/// \alpha = \frac{v}{1 - \mathrm{IoU} + v + \epsilon}, \quad \epsilon_0 = 10^{-7}
/// ```
/// As torchvision: the DIoU part always uses ε₀ = 1e-7 (torchvision calls its DIoU helper
/// without passing `eps`), `eps` enters only α, and α is computed under `torch.no_grad()`, so
/// the gradient is that of DIoU + α·v with α held constant (not the derivative of α v).
/// Where torchvision gives NaN we give numbers: a box of height 0 has angle ±π/2 (torchvision's
/// value too) and the derivative's limit (torchvision: NaN); a box of width and height 0 has no
/// aspect ratio, so the α v term is 0 (torchvision: NaN). Input: predicted boxes `[N, 4]` (or
/// `[4]`) in (x1, y1, x2, y2); target: same shape; `reduction` defaults to `none`.
public struct CIoULoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "ciou",
        category: .detection,
        formulas: [
            #"\ell = 1 - \frac{I}{U + \epsilon_0} + \frac{\rho^2}{c^2 + \epsilon_0} + \alpha v, \quad \epsilon_0 = 10^{-7}"#,
            #"v = \frac{4}{\pi^2}\Bigl(\arctan\frac{w^g}{h^g} - \arctan\frac{w}{h}\Bigr)^2, \quad \alpha = \operatorname{sg}\Bigl[\frac{v}{1 - \frac{I}{U + \epsilon_0} + v + \epsilon}\Bigr]"#,
            DetectionText.intersectionUnion,
        ],
        parameters: DetectionText.parameters,
        peers: [
            PeerEquivalent("torchvision", "torchvision.ops.complete_box_iou_loss(b1, b2, reduction=r, eps=ε)"),
        ],
        citation: DetectionText.diouPaper)

    let eps: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        eps = try parameters.number("eps")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try BoxPairs.evaluate(Self.descriptor.id, .complete, eps: eps, reduction: reduction, input, target, gradient: gradient)
    }
}
