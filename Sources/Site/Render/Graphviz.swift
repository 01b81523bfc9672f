import Foundation
import Markdown

/// Runs Graphviz's `dot` (Debian's `graphviz`) at build time, like KaTeX: DOT in, SVG out, cached
/// by the hash of the DOT source and the `dot` version in `.cache/lossbook/graphviz/`, so a
/// rebuild of unchanged diagrams starts no process.
struct Graphviz: Sendable {
    /// `nil`: no cache (every diagram runs `dot`).
    var cacheDirectory: URL?

    struct Missing: Error, CustomStringConvertible {
        var description: String { "Graphviz 'dot' was not found on PATH" }
    }
    struct Failed: Error, CustomStringConvertible {
        var message: String
        var description: String { "dot failed: \(message)" }
    }

    /// `dot` on `PATH` (or `LOSSBOOK_DOT`), nil when Graphviz is not installed.
    static let executable: URL? = {
        if let explicit = ProcessEnvironment.value("LOSSBOOK_DOT") {
            return FileManager.default.isExecutableFile(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil
        }
        return Site.executable(named: "dot")
    }()

    /// Stops the build once, before any page runs, when a page draws a diagram and `dot` is
    /// missing (rather than one error per diagram: every reference page has one).
    static func requireIfUsed(by pages: [SourcePage], fence: String = "```loss-family") throws {
        guard executable == nil else { return }
        for page in pages {
            let lines = page.body.split(separator: "\n", omittingEmptySubsequences: false)
            guard let index = lines.firstIndex(where: { $0.hasPrefix(fence) }) else { continue }
            throw Diagnostic(page.displayPath, line: index + 1 + page.bodyLineOffset, column: 1, stage: .preflight,
                             "Graphviz's 'dot' was not found: it draws the loss-family diagrams", hint: "apt-get install graphviz")
        }
    }

    /// The SVG `dot -Tsvg` makes of `source`.
    func svg(_ source: String) throws -> String {
        guard let dot = Self.executable else { throw Missing() }
        let key = fnv1a64Hex(Array("\(dot.path)\u{1}\(source)".utf8))
        let cached = cacheDirectory?.appendingPathComponent("graphviz/\(key).svg")
        if let cached, let svg = try? String(contentsOf: cached, encoding: .utf8) { return svg }
        let svg = try Self.run(dot, source)
        if let cached {
            try? FileManager.default.createDirectory(at: cached.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? svg.write(to: cached, atomically: true, encoding: .utf8)
        }
        return svg
    }

    private static func run(_ dot: URL, _ source: String) throws -> String {
        let process = Process()
        process.executableURL = dot
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes while writing, so a large graph cannot fill a pipe and stall `dot`.
        final class Box: @unchecked Sendable { var data = Data() }
        let group = DispatchGroup()
        let out = Box(), err = Box()
        DispatchQueue.global().async(group: group) { out.data = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err.data = errors.fileHandleForReading.readDataToEndOfFile() }
        input.fileHandleForWriting.write(Data(source.utf8))
        try? input.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(message: String(decoding: err.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return String(decoding: out.data, as: UTF8.self)
    }

    /// A DOT string literal; a line break becomes DOT's `\\n` (a centred line).
    static func quote(_ s: String) -> String {
        "\"" + s.replacingScalars { scalar in
            switch scalar {
            case "\\": return "\\\\"
            case "\"": return "\\\""
            case "\n": return "\\n"
            default: return nil
            }
        } + "\""
    }
}
