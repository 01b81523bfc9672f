/// L2 weight penalty (ridge / weight decay), scaled so its gradient is PyTorch's weight decay.
///
/// ```latex
/// R(w) = \frac{\lambda}{2} \sum_i w_i^2, \qquad \nabla R = \lambda w
/// ```
public struct L2Regularization: Loss {
    public static let descriptor = LossDescriptor(
        id: "l2-regularization",
        name: Localized(zh: "L2 正则化（权重衰减）", en: "L2 regularisation (weight decay)"),
        category: .regularization,
        formulas: [
            #"R(w) = \frac{\lambda}{2} \sum_i w_i^2 = \frac{\lambda}{2} \lVert w \rVert_2^2"#,
            #"\nabla_w R = \lambda\, w"#,
        ],
        parameters: [
            Regularizer.lambdaSpec("惩罚强度 λ ≥ 0，等于 PyTorch 优化器的 weight_decay（梯度为 λw）",
                                   "penalty strength λ ≥ 0, equal to PyTorch optimisers' weight_decay (gradient λw)"),
            .reduction(default: .sum),
        ],
        inputConvention: Regularizer.inputConvention,
        gradientNote: Localized(
            zh: "$\\partial R/\\partial w_i = \\lambda w_i$：与 PyTorch 中 SGD(weight_decay=λ) 加到梯度上的那一项完全相同，所以每步把权重按比例缩小（“衰减”），大权重被压得更多，但很少恰好变成 0。",
            en: "$\\partial R/\\partial w_i = \\lambda w_i$: exactly the term SGD(weight_decay=λ) adds to the gradient in PyTorch, so each step shrinks weights proportionally (\"decay\"): large weights most, rarely to exactly 0."),
        peers: [
            PeerEquivalent("pytorch", "torch.optim.SGD(params, weight_decay=λ)", note: Localized(zh: "梯度相同（λw）；PyTorch 不计算惩罚值本身。对 Adam 也是如此，但 AdamW 的解耦衰减不是损失的梯度。", en: "Same gradient (λw); PyTorch never computes the penalty value. Likewise for Adam; AdamW's decoupled decay is not a loss gradient.")),
            PeerEquivalent("keras", "keras.regularizers.L2(l2=λ/2)(w)", note: Localized(zh: "Keras 的 L2 不带 1/2：L2(l2=c) = c·Σw²，所以 c = λ/2 时与我们的 sum 相同。", en: "Keras's L2 has no 1/2: L2(l2=c) = c·Σw², so c = λ/2 equals our sum.")),
        ],
        notes: Localized(
            zh: "取 λ/2·Σw² 而不是 λ·Σw²，是为了让梯度恰好是 λw，与 PyTorch 的 weight_decay = λ 一一对应；Keras 的 L2(l2) 没有 1/2，对应 l2 = λ/2。参数统一命名为 lambda。" + Regularizer.reductionNote.zh,
            en: "We take λ/2·Σw² rather than λ·Σw² so the gradient is exactly λw, matching PyTorch's weight_decay = λ one to one; Keras's L2(l2) has no 1/2, so l2 = λ/2. The parameter is named lambda in both regularisers. " + Regularizer.reductionNote.en),
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
