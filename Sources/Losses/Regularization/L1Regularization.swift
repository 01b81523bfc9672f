/// L1 weight penalty (lasso).
///
/// ```latex
/// R(w) = \lambda \sum_i |w_i|
/// ```
/// Subgradient λ·sign(w), 0 at w = 0.
public struct L1Regularization: Loss {
    public static let descriptor = LossDescriptor(
        id: "l1-regularization",
        name: Localized(zh: "L1 正则化", en: "L1 regularisation"),
        category: .regularization,
        formulas: [
            #"R(w) = \lambda \sum_i |w_i| = \lambda \lVert w \rVert_1"#,
        ],
        parameters: [
            Regularizer.lambdaSpec("惩罚强度 λ ≥ 0（与 Keras L1(l1=λ) 相同）", "penalty strength λ ≥ 0 (as Keras L1(l1=λ))"),
            .reduction(default: .sum),
        ],
        inputConvention: Regularizer.inputConvention,
        gradientNote: Localized(
            zh: "次梯度 $\\partial R/\\partial w_i = \\lambda\\,\\operatorname{sign}(w_i)$，w_i = 0 处取 0。不论权重大小都以恒定力度推向 0，所以能把不重要的权重精确压到 0，得到稀疏解（实际中常配合近端/软阈值更新）。",
            en: "Subgradient $\\partial R/\\partial w_i = \\lambda\\,\\operatorname{sign}(w_i)$, 0 at w_i = 0. It pushes every weight towards 0 with the same force whatever its size, so unimportant weights reach exactly 0: sparsity (in practice with proximal / soft-threshold updates)."),
        peers: [
            PeerEquivalent("keras", "keras.regularizers.L1(l1=λ)(w)", note: Localized(zh: "与我们的 sum 完全相同。", en: "Identical to our sum.")),
        ],
        notes: Localized(
            zh: "参数统一命名为 lambda（两个正则项一致）。PyTorch 优化器没有内置 L1 惩罚，通常手写 λ·Σ|w| 加到损失上，等于这里的 sum。" + Regularizer.reductionNote.zh,
            en: "The parameter is named lambda in both regularisers. PyTorch optimisers have no built-in L1 penalty; the usual hand-written λ·Σ|w| added to the loss equals our sum. " + Regularizer.reductionNote.en),
        citation: Citation("Tibshirani R. Regression Shrinkage and Selection via the Lasso. Journal of the Royal Statistical Society: Series B 58(1):267–288, 1996.",
                           url: "https://doi.org/10.1111/j.2517-6161.1996.tb02080.x"))

    let lambda: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        lambda = try parameters.number("lambda")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let lambda = self.lambda
        return Regularizer.evaluate(input, reduction: reduction, gradient: gradient) { w in
            (lambda * abs(w), w > 0 ? lambda : (w < 0 ? -lambda : 0))
        }
    }
}
