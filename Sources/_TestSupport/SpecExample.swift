import Foundation

/// The examples of a cmark-gfm spec file (`spec.txt`, `extensions.txt`): markdown, then a line
/// with a single `.`, then the expected HTML, fenced by 32 backticks and `example`; `→` is a tab.
public struct SpecExample: Sendable {
    public var file: String
    public var number: Int
    public var line: Int
    public var markdown: String

    /// The GFM peer suite's examples: `spec` or `extensions` from `Tests/MarkdownTests/Fixtures`.
    public static func load(_ name: String) throws -> [SpecExample] {
        let url = TestRepository.root.appendingPathComponent("Tests/MarkdownTests/Fixtures/\(name).txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        let fence = String(repeating: "`", count: 32)
        var examples: [SpecExample] = []
        var markdown: [Substring]? = nil
        var inMarkdown = false
        var startLine = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix(fence + " example") {
                markdown = []
                inMarkdown = true
                startLine = index + 1
            } else if markdown != nil, line == fence {
                examples.append(SpecExample(file: name, number: examples.count + 1, line: startLine,
                                            markdown: markdown!.map { $0 + "\n" }.joined().replacingOccurrences(of: "→", with: "\t")))
                markdown = nil
            } else if inMarkdown, line == "." {
                inMarkdown = false
            } else if inMarkdown {
                markdown!.append(line)
            }
        }
        return examples
    }
}

/// The repository the tests run in (its templates, fixtures, sources, content).
public enum TestRepository {
    /// The repository root, from this file's place in it (`Sources/_TestSupport/`).
    public static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
