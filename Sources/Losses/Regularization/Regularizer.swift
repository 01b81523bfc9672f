/// Shared pieces of the weight penalties (`l1-regularization`, `l2-regularization`).
///
/// The input holds the weights (any shape, any rank); the target is not used and may be nil.
/// The default reduction is `sum` (the penalty as written, λ·Σ…); `mean` divides by the number
/// of weights, `none` returns each weight's term.
enum Regularizer {
    static func lambdaSpec() -> ParameterSpec {
        ParameterSpec("lambda", .number(min: 0, max: nil), default: .number(0.01))
    }

    /// Runs `f(w) → (term, derivative)` over the weights with the regulariser's reduction.
    static func evaluate(_ input: Tensor, reduction: Reduction, gradient: Bool,
                         _ f: (Double) -> (Double, Double)) -> LossOutput {
        Elementwise.evaluate(input, input, reduction: reduction, gradient: gradient) { _, w, _ in f(w) }
    }
}
