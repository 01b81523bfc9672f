/// Everything a loss can reject. Losses throw; they never trap on user input.
public enum LossError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No loss has this id. `suggestion` is the closest id, if any is close.
    case unknownLoss(String, suggestion: String?)
    /// The loss has no parameter of this name.
    case unknownParameter(loss: String, name: String, suggestion: String?)
    /// A parameter's value is of the wrong kind or out of its range.
    case invalidParameter(loss: String, name: String, message: String)
    /// Input and target shapes do not fit the loss's input convention.
    case shapeMismatch(String)
    /// Anything else wrong with the input or target (NaN labels, class index out of range, …).
    case invalidInput(String)

    /// The message as diagnostics print it, e.g. `parameter 'gamma' of loss 'focal': -1 is out of range: must be ≥ 0`.
    public var description: String {
        switch self {
        case let .unknownLoss(id, suggestion):
            return "unknown loss '\(id)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case let .unknownParameter(loss, name, suggestion):
            return "loss '\(loss)' has no parameter '\(name)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case let .invalidParameter(loss, name, message):
            return "parameter '\(name)' of loss '\(loss)': \(message)"
        case let .shapeMismatch(message):
            return "shape mismatch: \(message)"
        case let .invalidInput(message):
            return "invalid input: \(message)"
        }
    }
}
