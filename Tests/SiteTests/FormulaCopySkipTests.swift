import Foundation
import Markdown
import XCTest
@testable import Site

/// Where each shared formula's visual copy (KaTeX's `<span class="katex-html">`) lands in the
/// joined page (``SearchIndex/formulaCopies(in:)``): the search index jumps over those instead of
/// reading their tags when it reads the joined page, and reads the page's text with each
/// formula's text added at its places otherwise: the same text every way. Formulas typeset by KaTeX itself,
/// inline, displayed (with their `#eq-N` anchors before them) and inside an executed block's
/// table (a placeholder within a placeholder).
final class FormulaCopySkipTests: XCTestCase {
    func testRecordedCopiesAreKaTeXsVisualCopiesAndLeaveTheSearchTextAsItWas() throws {
        let markdown = """
        # Title

        Inline $a^2$, then $\\frac{p}{q}$, then $a^2$ again.

        $$
        L = -\\sum_{c} y_c \\log p_c
        $$

        ## A table

        ```loss-table
        id: 0
        ```

        <div><span class="katex-html">typed, not typeset</span> after</div>

        $$
        L = -\\sum_{c} y_c \\log p_c
        $$
        """
        let (draft, cache) = try TypesetDraftFixture.draft(markdown)
        let (typeset, diagnostics) = draft.typeset(with: cache, path: "t.md")
        XCTAssertEqual(diagnostics.count, 0)
        let html = typeset.joined, copies = SearchIndex.formulaCopies(in: typeset), placed = typeset.placedFormulas

        let formulas = draft.pending.filter { if case .math = $0 { return true }; return false }.count
        XCTAssertGreaterThan(formulas, 0)
        XCTAssertEqual(copies.count, formulas, "one copy a formula")
        let bytes = Array(html.utf8)
        for copy in copies {
            let text = String(decoding: bytes[copy], as: UTF8.self)
            XCTAssertTrue(text.hasPrefix("<span class=\"katex-html\""), text)
            XCTAssertTrue(text.hasSuffix("</span>"), text)
        }
        XCTAssertEqual(zip(copies, copies.dropFirst()).filter { $0.upperBound > $1.lowerBound }.count, 0, "in page order")

        func read(_ sections: [SearchIndex.ScannedSection]) -> [[String]] {
            sections.map { [$0.anchor, $0.heading, String(decoding: $0.text.bytes, as: UTF8.self), String(decoding: $0.captions.bytes, as: UTF8.self)] }
        }
        let whole = read(SearchIndex.scannedSections(html))
        XCTAssertEqual(read(SearchIndex.scannedSections(html, formulaCopies: copies)), whole)

        // Where each formula stands (``TypesetHTML/placedFormulas``): its HTML, one kind for one formula,
        // and the text of each kind read once gives the same sections.
        XCTAssertEqual(placed.count, formulas, "one place a formula")
        for formula in placed {
            let text = String(decoding: bytes[formula.range], as: UTF8.self)
            XCTAssertTrue(text.hasPrefix("<span class=\"katex"), text)
            XCTAssertTrue(text.hasSuffix("</span>"), text)
        }
        let kinds = Dictionary(grouping: placed, by: \.kind).mapValues { Set($0.map { String(decoding: bytes[$0.range], as: UTF8.self) }) }
        XCTAssertEqual(kinds.values.filter { $0.count != 1 }.count, 0, "one HTML a kind")
        XCTAssertEqual(Set(kinds.values.map { $0.first! }).count, kinds.count, "one kind an HTML")
        XCTAssertLessThan(kinds.count, placed.count, "the page repeats a formula")
        XCTAssertEqual(read(SearchIndex.scannedSections(html, formulaCopies: copies, formulas: placed)), whole)
        XCTAssertEqual(SearchIndex.textSections(typeset).map(read), whole, "read from the text, not joined")
        XCTAssertFalse(whole.joined().joined().contains("typed, not typeset"), "a hand-written katex-html span is skipped too")
        XCTAssertTrue(whole[1][2].contains("after"), whole[1][2])
    }
}
