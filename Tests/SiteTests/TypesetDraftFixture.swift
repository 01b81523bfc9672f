import Markdown
@testable import Site

/// A note's draft with its one executed block (`id: 0`) a table holding formulas in its caption,
/// header and cells, and a render cache holding every formula the draft asks for (KaTeX run once).
/// Shared by the tests of the typeset page's slices and of its formulas' copies.
enum TypesetDraftFixture {
    static func draft(_ markdown: String) throws -> (draft: Draft, cache: RenderCache) {
        let table = ResultTable(caption: "With $\\gamma$", header: [.text("h"), .markdown("$x^2$ **b**")],
                                rows: [[.math("p_t"), .markdown("two $a$ and $b$")]], rightAligned: true, verified: "")
        let document = try MarkdownDocument(markdown)
        let draft = PageRenderer().render(document, executed: [0: .success(Expansion(output: .table(table), mentions: [], fixes: []))],
                                          path: "t.md")
        var cache = RenderCache(cacheDirectory: nil, fingerprint: "")
        try cache.resolve(Set(draft.requests), tools: .fromEnvironment(), macros: [:])
        return (draft, cache)
    }
}
