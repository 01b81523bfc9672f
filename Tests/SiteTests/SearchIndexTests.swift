import Foundation
import XCTest
@testable import Site

/// What the search index reads from a page: prose by section, captions apart (search.js weighs them little).
final class SearchIndexTests: XCTestCase {
    func testCaptionsAndCheckNotesAreKeptApartFromTheProse() {
        let html = """
        <article><p>Intro about reductions.</p>
        <h2 id="example">Example</h2>
        <p>Predictions from poor to good.</p>
        <table><caption>Values of the loss</caption><tr><td>0.1</td></tr></table>
        <details class="verified"><summary>✓ verified</summary><p>Every value equals the reference.</p></details>
        <figure><svg><text>plot</text></svg><figcaption>Focal loss on the input <details class="verified"><summary>✓ verified</summary><p>Checked.</p></details></figcaption></figure>
        <p>After the figure.</p>
        <details><summary>More</summary><p>Ordinary details stay prose.</p></details>
        </article>
        """
        let sections = SearchIndex.sections(html)
        XCTAssertEqual(sections.map(\.anchor), ["", "example"])
        XCTAssertEqual(sections[0].text, "Intro about reductions.")
        XCTAssertEqual(sections[0].captions, "")
        XCTAssertEqual(sections[1].text, "Predictions from poor to good. 0.1 After the figure. More Ordinary details stay prose.")
        XCTAssertEqual(sections[1].captions, "Values of the loss ✓ verified Every value equals the reference. Focal loss on the input ✓ verified Checked.")
    }

    func testASectionWithOnlyACaptionIsKept() {
        let html = "<h2 id=\"a\">A</h2><p>Text.</p><h2 id=\"b\">B</h2><figure><figcaption>Only a caption</figcaption></figure>"
        let page = SearchIndex.sections(html)
        XCTAssertEqual(page.map(\.captions), ["", "Only a caption"])
        XCTAssertEqual(page.map(\.text), ["Text.", ""])
    }

    /// A quoted `>` (either quote) does not end a tag, a skipped element's either; a value never
    /// closed runs to the end of the page.
    func testAQuotedGreaterThanDoesNotEndATag() {
        let html = #"<p>a <span title="1 > 0">b</span> <svg title='x > y'><text>plot</text></svg>c</p><p>d<span title="e>f"#
        XCTAssertEqual(SearchIndex.sections(html).map(\.text), ["a b c d"])
    }

    /// Runs of white space, ASCII or not (tab, newline, no-break and ideographic spaces), read as
    /// one space and none at the ends; other characters kept as they are.
    func testWhiteSpaceRunsCollapseToOneSpace() {
        let html = "<p> \t a\n\r\u{0C}b\u{A0}\u{3000} c~é中\u{7F}!  </p>"
        XCTAssertEqual(SearchIndex.sections(html).map(\.text), ["a b c~é中\u{7F}!"])
    }

    /// Every non-ASCII scalar is white space in the index exactly when Unicode says so (the scan
    /// decodes none at or above U+3000 to ask): each scalar after an `x`, so white ones read as one
    /// space. The expectation is the stdlib's `properties.isWhitespace`, scalar by scalar. U+2061
    /// and U+2062 are left out: MathML's function application and invisible times, read apart.
    func testEveryNonASCIIScalarIsWhiteSpaceAsUnicodeSays() {
        let scalars = (UInt32(0x80)...0x10FFFF).compactMap(Unicode.Scalar.init).filter { $0 != "\u{2061}" && $0 != "\u{2062}" }
        var html = "<p>", expected = ""
        for scalar in scalars {
            html += "x"
            html.unicodeScalars.append(scalar)
            expected += "x"
            if scalar.properties.isWhitespace { expected += " " } else { expected.unicodeScalars.append(scalar) }
        }
        html += "</p>"
        let text = SearchIndex.sections(html).first?.text ?? ""
        XCTAssertEqual(text.unicodeScalars.count, expected.unicodeScalars.count)
        for (found, wanted) in zip(text.unicodeScalars, expected.unicodeScalars) where found != wanted {
            return XCTFail("found U+\(String(found.value, radix: 16, uppercase: true)) where U+\(String(wanted.value, radix: 16, uppercase: true)) was expected")
        }
    }

    /// The hand-written JSON strings are Foundation's bytes: every control character, quotes,
    /// backslashes, slashes, DEL, non-ASCII and astral characters, against `JSONSerialization`.
    func testJSONStringsAreFoundationsBytes() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let strings = ["", "plain", controls, "a \"quoted\" \\ back/slash </script>", "\u{7F}é 中文 𝔼 👍🏽 \u{2028}\u{2029}",
                       "tab\tnew\nline\r\n"]
        for string in strings {
            var json: [UInt8] = []
            SearchIndex.appendJSON(string, to: &json)
            let foundation = try JSONSerialization.data(withJSONObject: [string], options: [.withoutEscapingSlashes])
            XCTAssertEqual("[" + String(decoding: json, as: UTF8.self) + "]", String(decoding: foundation, as: UTF8.self), string.debugDescription)
        }
        // Eight bytes are passed at once when none is to be escaped: each byte to escape (and the
        // nearest ones not to be, 0x20, `!`, `#`, `[`, `]`, 0x7F, non-ASCII) at every place of
        // two words and beyond, alone and twice.
        let filler = Array("abcdefghijklmnopqrstuvwx".utf8)
        for special in Array(0..<0x20) + [0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F] as [UInt8] {
            for at in 0..<filler.count {
                for second in [nil, (at + 9) % filler.count] as [Int?] {
                    var bytes = filler
                    bytes[at] = special
                    if let second { bytes[second] = special }
                    let string = String(decoding: bytes, as: UTF8.self) + "é中"
                    var json: [UInt8] = []
                    SearchIndex.appendJSON(string, to: &json)
                    let foundation = try JSONSerialization.data(withJSONObject: [string], options: [.withoutEscapingSlashes])
                    XCTAssertEqual("[" + String(decoding: json, as: UTF8.self) + "]", String(decoding: foundation, as: UTF8.self), string.debugDescription)
                }
            }
        }
    }

    /// The script is the entries joined by commas inside its opening and closing, each entry's
    /// bytes copied whole: no page, one, and several of different lengths.
    func testTheScriptIsItsEntriesJoined() {
        let pages = (0..<4).map { index in
            RenderedPage(source: SourcePage(language: "en", relativePath: "p\(index).md", displayPath: "content/en/p\(index).md",
                                            frontMatter: FrontMatter(), body: "", bodyLineOffset: 0, contentHash: ""),
                         title: "Page \(index) 中", html: TypesetHTML("<h2 id=\"s\">S</h2><p>" + String(repeating: "text \(index) ", count: index * 40) + "</p>"),
                         headings: [], anchors: [], anchorChecks: [], mentions: [], fixes: [])
        }
        for count in [0, 1, 4] {
            let chosen = Array(pages.prefix(count))
            let joined = chosen.map { String(decoding: SearchIndex.entry($0), as: UTF8.self) }.joined(separator: ",")
            XCTAssertEqual(String(decoding: SearchIndex.script(for: chosen), as: UTF8.self), "window.LOSSBOOK_SEARCH = [" + joined + "];\n")
        }
    }
}
