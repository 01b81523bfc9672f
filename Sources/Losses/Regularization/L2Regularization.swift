/// L2 weight penalty (ridge / weight decay), scaled so its gradient is PyTorch's weight decay.
///
/// ```latex
/// R(w) = \frac{\lambda}{2} \sum_i w_i^2, \qquad \nabla R = \lambda w
/// ```
public struct L2Regularization: Loss {
    public static let descriptor = LossDescriptor(
        id: "l2-regularization",
        category: .regularization,
        formulas: [
            #"R(w) = \frac{\lambda}{2} \sum_i w_i^2 = \frac{\lambda}{2} \lVert w \rVert_2^2"#,
            #"\nabla_w R = \lambda\, w"#,
        ],
        parameters: [
            Regularizer.lambdaSpec(),
            .reduction(default: .sum),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.optim.SGD(params, weight_decay=λ)"),
            PeerEquivalent("keras", "keras.regularizers.L2(l2=λ/2)(w)"),
        ],
        citation: Citation("Krogh A., Hertz J. A. A Simple Weight Decay Can Improve Generalization. Advances in Neural Information Processing Systems 4 (NIPS 1991), 1992."))

    let lambda: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        lambda = try parameters.number("lambda")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let lambda = self.lambda
        return Regularizer.evaluate(input, reduction: reduction, gradient: gradient) { w in
            (0.5 * lambda * w * w, lambda * w)
        }
    }
}
