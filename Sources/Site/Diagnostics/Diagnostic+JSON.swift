import Foundation

extension Diagnostic {
    /// One line of JSON for tools (editors, CI annotations): `file`, `line`, `column`,
    /// `severity` (`error` or `warning`), `stage`, `message`, `hint` (`null` when there is none).
    /// Keys sorted, so the line is the same on every run.
    public var jsonLine: String {
        let object: [String: Any] = [
            "file": path, "line": line, "column": column, "severity": isWarning ? "warning" : "error",
            "stage": stage.rawValue, "message": message, "hint": hint.map { $0 as Any } ?? NSNull(),
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
