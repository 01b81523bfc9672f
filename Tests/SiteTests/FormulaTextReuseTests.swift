import Foundation
import XCTest
@testable import Site

/// The search index reads each distinct typeset formula once, from its HTML alone, and adds that
/// text wherever the page holds the formula again (``RenderedPage/formulas``). The page's text must
/// be what reading every formula in place gives (`scannedSections` without the formulas): formulas
/// with and without white space at their ends, with nothing readable, in prose, headings and
/// captions, at the page's start; and formulas whose reading depends on the bytes around them (a
/// heading or caption tag inside, a tag, comment, skipped element or character reference left open
/// at the end), which must be read in place.
final class FormulaTextReuseTests: XCTestCase {
    /// A piece of a page: HTML as it is, or a formula's HTML recorded as placed with its kind.
    private enum Piece {
        case html(String)
        case formula(String, kind: Int)
    }

    /// The page the pieces make, and where its formulas stand.
    private func page(_ pieces: [Piece]) -> (html: String, formulas: [PlacedFormula]) {
        var html = ""
        var formulas: [PlacedFormula] = []
        for piece in pieces {
            switch piece {
            case let .html(text):
                html += text
            case let .formula(text, kind):
                formulas.append(PlacedFormula(range: html.utf8.count..<(html.utf8.count + text.utf8.count), kind: kind))
                html += text
            }
        }
        return (html, formulas)
    }

    private func read(_ sections: [SearchIndex.ScannedSection]) -> [[String]] {
        sections.map { [$0.anchor, $0.heading, String(decoding: $0.text.bytes, as: UTF8.self), String(decoding: $0.captions.bytes, as: UTF8.self)] }
    }

    /// Formulas that read the same anywhere: words joined to them or not, white space at either end, none readable.
    private let selfContained = [
        "<span class=\"katex\"><math><mi>a</mi><mo>+</mo><mi>b</mi></math></span>",
        " <span> x\u{A0}y </span>\n",
        "<span><mo>=</mo></span>",
        "<span> </span>",
        "<span></span>",
        "<span>&amp;é&#x3B1;<annotation>\\alpha</annotation></span>",
        "<span class=\"katex\"><span class=\"katex-html\"><span>visual</span></span></span>",
    ]

    /// Places around a formula: prose with and without spaces, a heading, a caption, the page's start.
    private let contexts: [(before: String, after: String)] = [
        ("", "tail"),
        ("<p>word", "word</p>"),
        ("<p>word ", " word</p>"),
        ("<p>", "</p>"),
        ("<h2 id=\"h\">Title", "end</h2><p>after</p>"),
        ("<h2 id=\"h\">Title ", "</h2><p>after</p>"),
        ("<figure><figcaption>Caption", " end</figcaption></figure><p>prose</p>"),
        ("<table><caption>", "</caption></table>x"),
    ]

    func testEveryFormulaInEveryPlaceReadsAsInPlace() {
        for (index, formula) in selfContained.enumerated() {
            for context in contexts {
                // Twice, the second time from the text read the first time; the same formula
                // again elsewhere, and another formula beside it.
                let pieces: [Piece] = [.html(context.before), .formula(formula, kind: 0), .html(context.after),
                                       .html("<p>again"), .formula(formula, kind: 0), .formula(selfContained[(index + 1) % selfContained.count], kind: 1),
                                       .html(context.before), .formula(formula, kind: 0), .html(context.after)]
                let (html, formulas) = page(pieces)
                XCTAssertEqual(read(SearchIndex.scannedSections(html, formulas: formulas)), read(SearchIndex.scannedSections(html)),
                               "\(formula) between \(context)")
            }
        }
    }

    /// Formulas whose reading depends on what follows or surrounds them: each is read in place
    /// (its kind's first reading is not reused), and the page reads as it would without the records.
    func testFormulasThatDependOnTheirSurroundingsAreReadInPlace() {
        let dependent: [(formula: String, after: String)] = [
            ("<span><h2 id=\"inside\">Inside</h2>x</span>", "<p>y</p>"),       // a new section
            ("<span>a</span></h2>", "b</h2>"),                                   // ends the heading it is in
            ("<span>a</span></figcaption>", " b</figcaption></figure><p>c</p>"), // ends the caption it is in
            ("<span>cap<figcaption>tion", "</figcaption> d</span>"),             // opens a caption
            ("<span><details class=\"verified\">v", "</details></span>"),        // a check note
            ("<span>a &amp", "; b</span>"),                                      // a reference completed after it
            ("<span>a <!-- open", " --> b</span>"),                              // a comment closed after it
            ("<span>a <svg>", "<text>plot</text></svg> b</span>"),               // a skipped element closed after it
            ("<span>a <b class=\"x", "\">b</b></span>"),                         // a quoted value closed after it
            ("<span>a <b", "r>b</span>"),                                        // a tag ended after it
        ]
        for (formula, after) in dependent {
            for context in contexts {
                let pieces: [Piece] = [.html(context.before), .formula(formula, kind: 0), .html(after + context.after),
                                       .html("<p>again "), .formula(formula, kind: 0), .html(after)]
                let (html, formulas) = page(pieces)
                XCTAssertEqual(read(SearchIndex.scannedSections(html, formulas: formulas)), read(SearchIndex.scannedSections(html)),
                               "\(formula) then \(after) between \(context)")
            }
        }
    }

    /// The reuse is real: two different HTML fragments recorded as one kind read as the first.
    func testAKindIsReadOnceAndItsTextReused() {
        let first = "<span><mi>p</mi></span>", second = "<span><mi>q</mi></span>"
        let (html, formulas) = page([.html("<p>"), .formula(first, kind: 0), .html(" and "), .formula(second, kind: 0), .html("</p>")])
        let (same, _) = page([.html("<p>"), .html(first), .html(" and "), .html(first), .html("</p>")])
        XCTAssertNotEqual(html, same)
        XCTAssertEqual(read(SearchIndex.scannedSections(html, formulas: formulas)), read(SearchIndex.scannedSections(same)))
        XCTAssertNotEqual(read(SearchIndex.scannedSections(html)), read(SearchIndex.scannedSections(same)))
    }
}
