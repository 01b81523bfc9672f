/// The driver of element-wise losses ℓ(x_i, y_i) on an input and a target of equal shape
/// (`l1`, `l2`, `huber`, `hinge`, `binary-cross-entropy`, …).
///
/// One pass: each element's value and derivative come from the loss's closure; values are
/// summed in `Double`, kept only for `reduction: none`, and derivatives are scaled by
/// `Reduce.gradientScale` on the fly. `mean` divides by the element count, as `torch.nn`
/// does; over an empty tensor it is 0/0 = NaN, PyTorch's value too.
enum Elementwise {
    /// Checks that `target` exists and has the input's shape, and that every target value
    /// passes `accepts` (when given).
    static func checkTarget(_ id: String, _ input: Tensor, _ target: Tensor?,
                            accepts: ((Float) -> Bool)? = nil, requirement: String = "") throws -> Tensor {
        guard let target else {
            throw LossError.shapeMismatch("'\(id)' needs a target shaped like the input \(input.shape)")
        }
        guard target.shape == input.shape else {
            throw LossError.shapeMismatch("'\(id)': target \(target.shape) must have the input's shape \(input.shape)")
        }
        if let accepts, let bad = target.data.firstIndex(where: { !accepts($0) }) {
            throw LossError.invalidInput("'\(id)': target[\(bad)] = \(target.data[bad]); \(requirement)")
        }
        return target
    }

    /// Evaluates Σ or mean of `f(i, x_i, y_i).value`, and the gradient from `.derivative`.
    /// - Parameter f: per element: flat index, input value, target value → (ℓ, ∂ℓ/∂x).
    static func evaluate(_ input: Tensor, _ target: Tensor, reduction: Reduction, gradient: Bool,
                         _ f: (Int, Double, Double) -> (value: Double, derivative: Double)) -> LossOutput {
        let n = input.count
        let keep = reduction == .none
        let scale = Reduce.gradientScale(reduction, count: Double(n))
        var values = [Float](repeating: 0, count: keep ? n : 0)
        var grad = [Float](repeating: 0, count: gradient ? n : 0)
        let sum = input.data.withUnsafeBufferPointer { x in
            target.data.withUnsafeBufferPointer { y in
                values.withUnsafeMutableBufferPointer { v in
                    grad.withUnsafeMutableBufferPointer { g in
                        Parallel.sum(count: n) { range in
                            var s = 0.0
                            for i in range {
                                let (l, d) = f(i, Double(x[i]), Double(y[i]))
                                s += l
                                if keep { v[i] = Float(l) }
                                if gradient { g[i] = Float(d * scale) }
                            }
                            return s
                        }
                    }
                }
            }
        }
        let value = Reduce.value(sum: sum, count: Double(n), elements: values, shape: input.shape, reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }

    /// Accepts the margin labels −1 and +1 only.
    static func isSignLabel(_ y: Float) -> Bool { y == 1 || y == -1 }

    static let signLabelRequirement = "margin losses take labels −1 or +1"
}

/// Shared catalog text of the element-wise losses.
enum GenericText {

    static let esl = Citation(
        "Hastie T., Tibshirani R., Friedman J. The Elements of Statistical Learning, 2nd ed. Springer, 2009.",
        url: "https://doi.org/10.1007/978-0-387-84858-7")
}
