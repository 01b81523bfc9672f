/// Shared pieces of the weight penalties (`l1-regularization`, `l2-regularization`).
///
/// The input holds the weights (any shape, any rank); the target is not used and may be nil.
/// The default reduction is `sum` (the penalty as written, λ·Σ…); `mean` divides by the number
/// of weights, `none` returns each weight's term.
enum Regularizer {
    static func lambdaSpec(_ zh: String, _ en: String) -> ParameterSpec {
        ParameterSpec("lambda", .number(min: 0, max: nil), default: .number(0.01), Localized(zh: zh, en: en))
    }

    static let inputConvention = Localized(
        zh: "输入是模型参数 w（任意形状，可以是把所有参数拼接后的一维张量）；不需要目标，传入的目标会被忽略。",
        en: "The input holds the model weights w (any shape, e.g. all parameters concatenated into one vector); no target is needed and one given is ignored.")

    static let reductionNote = Localized(
        zh: "默认 reduction = sum，即按公式对所有参数求和；mean 除以参数个数，none 返回每个参数的惩罚项。空张量：sum 为 0，mean 为 NaN（0/0）。",
        en: "The default reduction is sum, the penalty as written; mean divides by the number of weights, none returns each weight's term. An empty tensor: sum is 0, mean is NaN (0/0).")

    /// Runs `f(w) → (term, derivative)` over the weights with the regulariser's reduction.
    static func evaluate(_ input: Tensor, reduction: Reduction, gradient: Bool,
                         _ f: (Double) -> (Double, Double)) -> LossOutput {
        Elementwise.evaluate(input, input, reduction: reduction, gradient: gradient) { _, w, _ in f(w) }
    }
}
