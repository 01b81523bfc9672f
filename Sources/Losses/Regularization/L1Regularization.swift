/// L1 weight penalty (lasso).
///
/// ```latex
/// R(w) = \lambda \sum_i |w_i|
/// ```
/// Subgradient λ·sign(w), 0 at w = 0.
public struct L1Regularization: Loss {
    public static let descriptor = LossDescriptor(
        id: "l1-regularization",
        category: .regularization,
        formulas: [
            #"R(w) = \lambda \sum_i |w_i| = \lambda \lVert w \rVert_1"#,
        ],
        parameters: [
            Regularizer.lambdaSpec(),
            .reduction(default: .sum),
        ],
        peers: [
            PeerEquivalent("keras", "keras.regularizers.L1(l1=λ)(w)"),
        ],
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
