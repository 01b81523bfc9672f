/// How per-element losses are combined into the returned value.
///
/// Semantics follow `torch.nn` unless a loss's descriptor says otherwise:
/// `mean` divides by the number of contributing elements, `sum` adds them,
/// `none` returns the unreduced per-element (or per-sample) tensor.
public enum Reduction: String, Sendable, CaseIterable, Codable {
    /// The sum divided by the number of contributing elements (or by the summed weights).
    case mean
    /// The sum of the element (or sample) losses.
    case sum
    /// The unreduced per-element (or per-sample) losses.
    case none
}

/// What turns the raw input into probabilities before a probabilistic loss.
///
/// `softmax` over the channel axis (axis 1), `sigmoid` element-wise, `none` when the
/// input already holds probabilities.
public enum Activation: String, Sendable, CaseIterable, Codable {
    /// Softmax over the channel axis: the input holds logits of mutually exclusive classes.
    case softmax
    /// Sigmoid of each element: the input holds logits of independent labels.
    case sigmoid
    /// None: the input already holds probabilities in [0, 1].
    case none
}

/// A loss's value and, if asked for, its gradient with respect to the input.
public struct LossOutput: Sendable, Equatable {
    /// Shape `[]` for `mean`/`sum`; the unreduced shape for `none`.
    public var value: Tensor
    /// ∂(Σ value)/∂input, shaped like the input. With `reduction: none` this is the gradient
    /// of the sum of the unreduced values (an upstream gradient of ones, as
    /// `loss.backward(torch.ones_like(loss))`).
    public var gradient: Tensor?

    /// A value and, if computed, its gradient.
    public init(value: Tensor, gradient: Tensor? = nil) {
        self.value = value
        self.gradient = gradient
    }
}

/// One loss function: configured once from validated parameters, then evaluated.
///
/// Conformers document (`///`) their formula in LaTeX, input convention, reduction,
/// and how they treat empty masks, NaN and infinities.
public protocol Loss: Sendable {
    /// Catalog metadata: id, names, formulas, parameters, peers, citation.
    static var descriptor: LossDescriptor { get }

    /// Builds the loss from parameters already checked against `descriptor.parameters`
    /// (names known, kinds and ranges valid, defaults filled in). Cross-parameter checks
    /// (e.g. α + β > 0) belong here and throw `LossError.invalidParameter`.
    init(_ parameters: Parameters) throws

    /// Evaluates the loss.
    /// - Parameters:
    ///   - input: the prediction (logits by default for class scores, see `activation`).
    ///   - target: the ground truth; `nil` only for losses that take none (regularisers).
    ///   - gradient: also compute ∂(Σ value)/∂input.
    /// - Throws: `LossError.shapeMismatch` / `.invalidInput` for input that does not fit.
    func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput
}
