/// Why a request could not be evaluated: the field at fault and what is wrong with it.
///
/// Printed as `source: field: message` (`<stdin>: input.shape[0]: expected a positive whole
/// number, got 1.5`); either part is left out when it does not apply.
public struct EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the JSON case came from (`<stdin>` or a path); `nil` for command-line mistakes.
    public var source: String?
    /// The field in the case (`input.data[3]`, `params.gamma`) or the option (`--param`, `--grad`).
    public var field: String?
    public var message: String

    public init(source: String? = nil, field: String?, _ message: String) {
        self.source = source
        self.field = field
        self.message = message
    }

    public var description: String {
        ([source, field].compactMap { $0 } + [message]).joined(separator: ": ")
    }
}
