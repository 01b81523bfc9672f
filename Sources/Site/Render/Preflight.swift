import Foundation

/// The versions of the tools a build runs, found before any work (printed by `--verbose`).
public struct ToolVersions: Sendable, Equatable {
    public var node: String
    public var katex: String
    public var highlight: String
}

/// Finds Node.js, KaTeX and highlight.js before a build does any work, so a missing one is
/// one line saying how to install it rather than a dead helper halfway through.
enum Preflight {
    static let install = "apt-get install nodejs libjs-katex node-highlight.js, or make deps"

    /// - Throws: a `BuildFailure` with one diagnostic per missing tool.
    static func check(_ tools: RenderTools) throws -> ToolVersions {
        var diagnostics: [Diagnostic] = []
        var versions = ToolVersions(node: "", katex: "", highlight: "")
        do {
            versions.node = try nodeVersion(tools)
        } catch let diagnostic as Diagnostic {
            diagnostics.append(diagnostic)
        }
        let katex = "\(tools.katexDirectory)/katex.js"
        if let text = try? String(contentsOfFile: katex, encoding: .utf8) {
            versions.katex = version(in: text, after: ["version:\"", "version: \"", "version = \""]) ?? "unknown"
        } else {
            diagnostics.append(Diagnostic(katex, stage: .preflight, "KaTeX not found",
                                          hint: "\(install) (or set LOSSBOOK_KATEX_DIR)"))
        }
        let highlight = "\(tools.highlightDirectory)/package.json"
        if let text = try? String(contentsOfFile: highlight, encoding: .utf8) {
            versions.highlight = version(in: text, after: ["\"version\": \"", "\"version\":\""]) ?? "unknown"
        } else {
            diagnostics.append(Diagnostic(highlight, stage: .preflight, "highlight.js not found",
                                          hint: "\(install) (or set LOSSBOOK_HIGHLIGHT_DIR)"))
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
        return versions
    }

    /// `node --version`, with a short timeout.
    static func nodeVersion(_ tools: RenderTools) throws -> String {
        let missing = Diagnostic(tools.node, stage: .preflight, "Node.js not found ('\(tools.node)' is not on PATH)",
                                 hint: "\(install) (or set LOSSBOOK_NODE)")
        guard let run = try? ChildProcess.run(executable: tools.node, arguments: ["--version"], input: Data(), timeout: 30),
              run.status == 0 else { throw missing }
        let version = String(decoding: run.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard version.hasPrefix("v") else { throw missing }
        return version
    }

    /// The text after the first marker found, up to a quote (at most 40 characters). A byte
    /// search (`memchr` for the marker's first byte): KaTeX's script is a quarter of a megabyte,
    /// and Foundation's `range(of:)` converts it to UTF-16 first, a tenth of an unchanged build's time.
    static func version(in text: String, after markers: [String]) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard let base = bytes.baseAddress else { return nil }
            func offset(of marker: [UInt8]) -> Int? {
                var from = 0
                while let hit = bytes.firstIndex(of: marker[0], from: from) {
                    if hit + marker.count <= bytes.count, memcmp(base + hit, marker, marker.count) == 0 { return hit }
                    from = hit + 1
                }
                return nil
            }
            for marker in markers.map({ Array($0.utf8) }) where !marker.isEmpty {
                guard let found = offset(of: marker) else { continue }
                let start = found + marker.count
                let rest = UnsafeBufferPointer(rebasing: bytes[start...])
                let end = rest.firstIndex(of: UInt8(ascii: "\""), from: 0) ?? rest.count
                return String(String(decoding: UnsafeBufferPointer(rebasing: rest[..<end]), as: UTF8.self).prefix(40))
            }
            return nil
        }
    }
}
