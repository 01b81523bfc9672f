import Foundation
import Markdown
import XCTest
@testable import Site

/// A page that repeats an executed block gets the block's HTML made once and placed again
/// (``PageRenderer/MadeBlocks``): each placement must give what making the block in place gives —
/// the same HTML, placeholders of its own standing for formulas located at its own fence, and its
/// `ref:` links rewritten at its own fence (mentions, broken-link errors). The expectations are
/// the renderer's own output for the same page with every block written differently, so that
/// none is placed again.
final class ExecutedBlockReuseTests: XCTestCase {
    /// A table with formulas (a caption, a header, a cell, a label) and loss links, one broken.
    static let table = ResultTable(caption: "Case $\\alpha$ *one*", header: [.text("loss"), .math("\\partial L")],
                                   rows: [[.loss(name: "Focal", id: "focal"), .markdown("$p_t$ row")],
                                          [.loss(name: "Gone", id: "gone"), .math("x^2")]],
                                   rightAligned: true, verified: "<details>checked</details>")
    static let outputs: [BlockOutput] = [.table(table), .formulas(["a^2", "b_t"], marks: ["<span>bound</span>", nil]),
                                         .code(SourceExcerpt(caption: "excerpt", code: "let x = 1"))]

    /// Each of ``outputs``' blocks three times, the third time in a block quote (its fence at
    /// column 3); `distinct` writes each occurrence's body differently (nothing placed again).
    func page(distinct: Bool) throws -> (document: MarkdownDocument, executed: [Int: Result<Expansion, BuildFailure>]) {
        var markdown = "", executed: [Int: Result<Expansion, BuildFailure>] = [:]
        for occurrence in 0..<3 {
            for (kind, output) in Self.outputs.enumerated() {
                let block = "```loss-table\nkind: \(kind)\n# \(distinct ? "\(occurrence)" : "same")\n```\n"
                markdown += "Text before.\n\n" + (occurrence == 2 ? block.split(separator: "\n").map { "> \($0)\n" }.joined() : block) + "\n"
                executed[occurrence * Self.outputs.count + kind] = .success(Expansion(output: output, mentions: [], fixes: []))
            }
        }
        return (try MarkdownDocument(markdown), executed)
    }

    func render(distinct: Bool) throws -> Draft {
        let (document, executed) = try page(distinct: distinct)
        return PageRenderer().render(document, executed: executed, path: "t.md") { link in
            if link.url == "ref:gone" {
                throw Diagnostic("t.md", line: link.location.line, column: link.location.column, stage: .links, "no such loss")
            }
            return "/reference/\(link.url.dropFirst(4))/"
        }
    }

    func encoded(_ pending: [Draft.Pending]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(pending), as: UTF8.self)
    }

    func testAPlacedBlockGivesWhatMakingItInPlaceGives() throws {
        let placed = try render(distinct: false), inPlace = try render(distinct: true)
        XCTAssertEqual(placed.html, inPlace.html)
        XCTAssertEqual(try encoded(placed.pending), try encoded(inPlace.pending))
        XCTAssertEqual(placed.diagnostics, inPlace.diagnostics)
        XCTAssertEqual(placed.mentions, inPlace.mentions)
        let cache = RenderCache(cacheDirectory: nil, fingerprint: "")
        XCTAssertEqual(placed.typeset(with: cache, path: "t.md").html.joined, inPlace.typeset(with: cache, path: "t.md").html.joined)
        // Each table's broken link is reported at its own fence, as the formulas are located there.
        let fences = try page(distinct: false).document.codeBlocks.enumerated().filter { $0.offset % Self.outputs.count == 0 }.map(\.element.location)
        XCTAssertEqual(Set(fences.map(\.column)).count, 2, "the third table stands in a block quote")
        XCTAssertEqual(placed.diagnostics.map { SourceLocation(line: $0.line, column: $0.column) }, fences)
        let spans = placed.pending.compactMap { if case let .math(_, span) = $0 { return SourceLocation(line: span.line, column: span.column) }; return nil }
        let withFormulas = try page(distinct: false).document.codeBlocks.enumerated().filter { $0.offset % Self.outputs.count != 2 }.map(\.element.location)
        XCTAssertEqual(Set(spans), Set(withFormulas), "formulas located at the tables' and formula blocks' own fences")
    }

    /// The page's tables: each after the first is placed, not made again; written differently, none is.
    func testARepeatedBlockIsPlacedNotMadeAgain() throws {
        let renderer = PageRenderer(), labels = PageRenderer.InlineLabels()
        for distinct in [false, true] {
            let made = PageRenderer.MadeBlocks()
            var draft = Draft()
            let tables = try page(distinct: distinct).document.codeBlocks.enumerated().filter { $0.offset % Self.outputs.count == 0 }.map(\.element)
            for block in tables {
                _ = renderer.executedHTML(Self.outputs[0], block: block, draft: &draft, labels: labels, made: made) { _, _ in nil }
            }
            XCTAssertEqual(made.placed, distinct ? 0 : tables.count - 1)
        }
    }
}
