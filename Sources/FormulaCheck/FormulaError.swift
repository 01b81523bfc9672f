/// Why a formula cannot be evaluated: the one error type of `FormulaCheck`.
///
/// `offset` counts characters from the start of the TeX string it came from, so a caller that
/// knows where the formula sits in a file (a note's fenced block, a descriptor) can turn it into
/// `path:line:col`.
public struct FormulaError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Character offset in the TeX, when the error has a place.
    public var offset: Int?
    public var message: String
    /// What to do about it, when there is something to say.
    public var hint: String?

    public init(_ message: String, at offset: Int? = nil, hint: String? = nil) {
        self.offset = offset
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = offset.map { "offset \($0): " } ?? ""
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}
