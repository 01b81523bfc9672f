import Foundation
import Losses

/// `--param NAME=VALUE`: a parameter as written on the command line.
///
/// VALUE is read as `true`/`false`, a JSON number (or `NaN`, `Infinity`, `-Infinity`), a
/// JSON list of numbers when it starts with `[`, and otherwise as text (`reduction=sum`).
public struct ParameterAssignment: Sendable, Equatable {
    public var name: String
    public var value: ParameterValue

    public init(name: String, value: ParameterValue) {
        self.name = name
        self.value = value
    }

    public init(parsing text: String) throws(EvaluationError) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw EvaluationError(field: "--param", "'\(text)' must be NAME=VALUE")
        }
        name = String(text[..<eq])
        let raw = String(text[text.index(after: eq)...])
        if raw == "true" || raw == "false" {
            value = .bool(raw == "true")
        } else if Self.isNumber(raw) {
            do {
                value = .number(try NonFiniteJSON.decode([Double].self, from: Data("[\(raw)]".utf8), source: nil)[0])
            } catch {
                throw EvaluationError(field: "--param \(name)", "'\(raw)' is not a number a Double can hold")
            }
        } else if raw.hasPrefix("[") {
            do {
                value = .numbers(try NonFiniteJSON.decode([Double].self, from: Data(raw.utf8), source: nil))
            } catch {
                throw EvaluationError(field: "--param \(name)", "'\(raw)' is not a list of numbers")
            }
        } else {
            value = .string(raw)
        }
    }

    /// A JSON number, or one of the three non-finite spellings of ``EvaluationResult``.
    static func isNumber(_ text: String) -> Bool {
        if ["NaN", "Infinity", "-Infinity"].contains(text) { return true }
        var rest = Substring(text)
        func digits() -> Int {
            let run = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(run.count)
            return run.count
        }
        if rest.first == "-" { rest = rest.dropFirst() }
        if rest.first == "0" { rest = rest.dropFirst() } else if digits() == 0 { return false }
        if rest.first == "." {
            rest = rest.dropFirst()
            if digits() == 0 { return false }
        }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
            if digits() == 0 { return false }
        }
        return rest.isEmpty
    }
}
