/// Everything the reference rejects. It throws; it never traps on user input.
public enum ReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownLoss(String)
    case invalidParameter(name: String, message: String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .unknownLoss(id): return "reference: unknown loss '\(id)'"
        case let .invalidParameter(name, message): return "reference: parameter '\(name)': \(message)"
        case let .invalidInput(message): return "reference: invalid input: \(message)"
        }
    }
}
