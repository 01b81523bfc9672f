import Foundation
import Markdown

/// The entry points the fuzz targets (`Sources/Fuzz/`) and their regression tests drive: each
/// takes arbitrary bytes and must return (a `Diagnostic` is a fine answer) without trapping,
/// hanging or leaking memory.
public enum FuzzEntry {
    /// Markdown + math: formula protection, the cmark-gfm parse, heading ids, links, code-block
    /// replacement and HTML with formula placeholders (no KaTeX: that is Node.js's part).
    public static func markdown(_ data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return }
        let renderer = PageRenderer(options: .init())
        guard let document = try? renderer.parse(text, lineOffset: 3, path: "fuzz.md") else { return }
        _ = document.links
        _ = document.codeBlocks
        let draft = renderer.render(document, path: "fuzz.md") { link in link.url.hasPrefix("x") ? "y" : nil }
        _ = draft.typeset(with: RenderCache(cacheDirectory: nil, fingerprint: ""), path: "fuzz.md")
    }

    /// A note's front matter and body split (the discovery stage's reading of a file).
    public static func frontMatter(_ data: Data) {
        guard let text = try? SourceFiles.decode(data, path: "fuzz.md") else { return }
        _ = try? FrontMatter.split(text, path: "fuzz.md")
    }

    /// An executable block: the first line is the info string, the rest its YAML body; parsed
    /// and checked as a build would, and expanded when the spec asks for little work.
    public static func directive(_ data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return }
        let (info, body) = text.firstIndex(of: "\n").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) } ?? (text, "")
        guard let kind = DirectiveKind.of(info) else {
            _ = DirectiveKind.misspelling(info, path: "fuzz.md", line: 1, column: 1)
            return
        }
        var limits = Limits()
        // Small bounds keep each run fast; the limits themselves are what is being exercised.
        limits.blockEvaluations = 2_000
        limits.tensorElements = 1_000
        limits.yamlNodes = 20_000
        guard let spec = try? DirectiveSpec(kind: kind, info: info, body: body, path: "fuzz.md", fenceLine: 1, fenceColumn: 1,
                                            limits: limits) else { return }
        _ = try? spec.mask()
        _ = try? spec.cases()
        _ = try? spec.parameters()
        _ = try? spec.expected()
        // `loss-code` needs the loss sources on disk; `loss-family` runs Graphviz's `dot` as a child
        // process, whose Foundation `Process` leaks 32 bytes per run (LeakSanitizer's one finding).
        guard kind != .code, kind != .family else { return }
        let expander = DirectiveExpander(language: "en", strings: [:], names: [:], sources: LossSources.compiled("Sources/Losses"), fix: false,
                                         limits: limits)
        _ = try? expander.expand(.init(info: info, code: body, line: 1, column: 1), path: "fuzz.md")
    }
}
