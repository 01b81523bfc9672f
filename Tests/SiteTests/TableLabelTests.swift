import Foundation
import Markdown
import XCTest
@testable import Site

/// Table labels are inline markdown parsed once per page (``PageRenderer/InlineLabels``): a label
/// met again gives what its first parse gave, with placeholders of its own for its formulas,
/// located at its own block's fence. The expectations are the renderer's own output for one table.
final class TableLabelTests: XCTestCase {
    /// Labels with formulas, emphasis and code, one repeated within the table.
    static let table = ResultTable(caption: "Case *one* with $\\alpha$ and `code`", header: [.text("h"), .markdown("$x^2$ **b**")],
                                   rows: [[.markdown("$p_t$ row"), .markdown("$p_t$ row")], [.markdown("plain"), .markdown("two $a$ and $b$")]],
                                   rightAligned: true, verified: "")

    /// A page of `count` executed blocks, each giving ``table``; its fences stand on lines 1, 5, 9, ….
    func draft(blocks count: Int) throws -> Draft {
        let markdown = (0..<count).map { "```loss-table\nid: \($0)\n```\n" }.joined(separator: "\n")
        let document = try MarkdownDocument(markdown)
        var executed: [Int: Result<Expansion, BuildFailure>] = [:]
        for index in 0..<count { executed[index] = .success(Expansion(output: .table(Self.table), mentions: [], fixes: [])) }
        return PageRenderer().render(document, executed: executed, path: "t.md")
    }

    /// The formulas a draft waits for, with the line each is reported at.
    func formulas(_ draft: Draft) -> [(tex: String, line: Int)] {
        draft.pending.compactMap { if case let .math(_, span) = $0 { return (span.tex, span.line) }; return nil }
    }

    func testARepeatedTableGivesWhatItsFirstRenderGave() throws {
        let cache = RenderCache(cacheDirectory: nil, fingerprint: "")
        let one = try draft(blocks: 1), three = try draft(blocks: 3)
        let single = one.typeset(with: cache, path: "t.md").html.joined
        XCTAssertTrue(single.contains("<em>one</em>") && single.contains("<code>code</code>") && single.contains("p_t"), single)
        XCTAssertEqual(three.typeset(with: cache, path: "t.md").html.joined, single + single + single)
        let first = formulas(one)
        XCTAssertEqual(first.count, 6, "caption, header and four cells' formulas")
        XCTAssertEqual(formulas(three).map(\.tex), first.map(\.tex) + first.map(\.tex) + first.map(\.tex), "each occurrence has its own")
        XCTAssertEqual(formulas(three).map(\.line), [Int](repeating: 1, count: 6) + [Int](repeating: 5, count: 6) + [Int](repeating: 9, count: 6),
                       "located at their own block")
    }
}
