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

    /// The diagnostic a ``jsonLine`` describes; nil for anything else.
    init?(jsonLine: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(jsonLine.utf8))) as? [String: Any],
              let path = object["file"] as? String, let line = object["line"] as? Int, let column = object["column"] as? Int,
              let severity = object["severity"] as? String, let stage = (object["stage"] as? String).flatMap(Stage.init(rawValue:)),
              let message = object["message"] as? String else { return nil }
        self.init(path, line: line, column: column, stage: stage, message, hint: object["hint"] as? String)
        isWarning = severity == "warning"
    }
}
