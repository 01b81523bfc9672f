import Foundation

/// The logarithm of the Hausdorff-distance loss, with MONAI `LogHausdorffDTLoss` semantics:
/// log(1 + 𝓛_HD-DT), taken after the reduction (of each entry with `none`), as MONAI does.
///
/// ```latex
/// \mathcal{L} = \log\!\bigl(1 + \mathcal{L}_{\text{HD-DT}}\bigr)
/// ```
///
/// `hausdorff-dt`'s parameters, distance maps and conventions (maps thresholded at ½, constants
/// for the gradient; an all-in or all-out mask has a zero map). The value is `log1p` of the
/// `Double` reduced value, exact for small losses; the gradient is `hausdorff-dt`'s divided by
/// 1 + its value, so it shrinks where the loss is large. Empty foreground: as `hausdorff-dt`
/// (a class absent from both target and prediction gives 0, hence log 1 = 0).
public struct LogHausdorffDTLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "log-hausdorff-dt",
        category: .boundary,
        formulas: [
            #"\mathcal{L} = \log\!\left(1 + \mathcal{L}_{\text{HD-DT}}\right), \qquad \mathcal{L}_{\text{HD-DT}} = \operatorname{mean}_{n,c} \frac{1}{|\Omega|}\sum_{i \in \Omega} \left(p_i - g_i\right)^2 \left(d_p(i)^{\alpha} + d_g(i)^{\alpha}\right)"#,
            #"\frac{\partial \mathcal{L}}{\partial x} = \frac{1}{1 + \mathcal{L}_{\text{HD-DT}}}\,\frac{\partial \mathcal{L}_{\text{HD-DT}}}{\partial x}"#,
        ],
        parameters: HausdorffDTLoss.descriptor.parameters,
        peers: [
            PeerEquivalent("monai", "monai.losses.LogHausdorffDTLoss(softmax=True, to_onehot_y=True, alpha=2.0, include_background=False)"),
        ],
        citation: HausdorffDTLoss.descriptor.citation)

    let hausdorff: HausdorffDTLoss

    public init(_ parameters: Parameters) throws {
        hausdorff = try HausdorffDTLoss(parameters)
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try hausdorff.evaluate(input, target: target, gradient: gradient, logarithm: true)
    }
}
