import Foundation
import Site

/// One build of `lossbook serve`: what changed, how long it took, and its log line,
/// `12:03:04 rebuilt 20 pages in 1.42 s (content/en/x.md)`.
public struct Rebuild: Sendable, Equatable {
    /// Watched files added, removed or changed since the last build (empty for the first).
    public var changed: [String]
    public var seconds: Double
    public var finished: Date

    public init(changed: [String], seconds: Double, finished: Date) {
        self.changed = changed
        self.seconds = seconds
        self.finished = finished
    }

    /// The line for a successful build of `pages` pages.
    public func line(pages: Int, timeZone: TimeZone = .current) -> String {
        let what = changed.isEmpty ? "built" : "rebuilt"
        return "\(clock(timeZone)) \(what) \(pages) page\(pages == 1 ? "" : "s") in \(String(format: "%.2f", seconds)) s\(because)"
    }

    /// The line for a failed build with `errors` errors (which the caller prints after it).
    public func failureLine(errors: Int, timeZone: TimeZone = .current) -> String {
        "\(clock(timeZone)) build failed in \(String(format: "%.2f", seconds)) s: \(errors) error\(errors == 1 ? "" : "s")\(because)"
    }

    private var because: String {
        guard let first = changed.first else { return "" }
        let more = changed.count > 1 ? " and \(changed.count - 1) more" : ""
        return " (\(Self.display(first))\(more))"
    }

    private func clock(_ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: finished)
        return String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// A watched path as typed (`./content/x.md` as `content/x.md`).
    static func display(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }

    /// A failed build's errors, one line each, as the overlay shows them: every diagnostic of a
    /// `BuildFailure` (`path:line:col: error: message (hint: …)`), or the error's own text.
    public static func lines(of error: any Error) -> [String] {
        switch error {
        case let failure as BuildFailure: return failure.diagnostics.map(\.description)
        case let diagnostic as Diagnostic: return [diagnostic.description]
        default: return ["error: \(error)"]
        }
    }
}
