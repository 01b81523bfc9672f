import XCTest
@testable import Markdown

/// A heading's id and inline HTML, on their byte paths and their general ones.
final class HeadingSlugTests: XCTestCase {
    /// ASCII text is slugified byte by byte exactly as scalar by scalar: every ASCII character
    /// alone, and seeded random ASCII headings (letters of both cases, digits, punctuation, blanks).
    func testAnASCIISlugIsTheScalarOne() {
        for byte in UInt8(0)..<0x80 {
            let text = "A" + String(decoding: [byte], as: UTF8.self) + "z"
            XCTAssertEqual(HeadingSlugger.slugify(text), HeadingSlugger.slugifyScalars(text), "byte \(byte)")
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = Array("aZq09 \t-_.,:;()[]`'\"!?/&%$#@+=*~^|<>{}\\".utf8)
        var kept = 0
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + Int(state % 24)) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(alphabet[Int((state >> 33) % UInt64(alphabet.count))])
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let slug = HeadingSlugger.slugify(text)
            XCTAssertEqual(slug, HeadingSlugger.slugifyScalars(text), text)
            if !slug.isEmpty { kept += 1 }
        }
        XCTAssertGreaterThan(kept, 1000, "most headings keep something")
        // Text that is not ASCII takes the scalar path, letters of any script kept.
        XCTAssertEqual(HeadingSlugger.slugify("Focal 焦点 Loss"), HeadingSlugger.slugifyScalars("Focal 焦点 Loss"))
    }

    /// Every CJK ideograph of U+4E00–U+9FFF is a letter without a case, as the scalar path finds;
    /// headings mixing them with ASCII and with other scripts (Greek, full-width forms, the
    /// ideographic space, CJK punctuation, a combining mark) give the scalar path's slug.
    func testACJKSlugIsTheScalarOne() {
        for value in UInt32(0x4DFF)...0xA000 {
            let text = "A" + String(Character(Unicode.Scalar(value)!)) + " b"
            XCTAssertEqual(HeadingSlugger.slugify(text), HeadingSlugger.slugifyScalars(text), String(value, radix: 16))
        }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        let pieces = ["焦点", "损失", "Dice", "Σ", "σ", "Ａ", "　", "，", "：", "e\u{301}", "İ", " ", "-", "_", "2", "(", "函数", "\u{A4FE}", "\u{FF5E}"]
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<(1 + Int(state % 7)) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            XCTAssertEqual(HeadingSlugger.slugify(text), HeadingSlugger.slugifyScalars(text), text)
        }
    }

    /// `<p>` and `</p>\n` are cut at their bytes; what is between is kept whole, a combining mark
    /// at its start too (cut by characters, `>` and the mark were one character, and the `<p>` stayed).
    func testAHeadingsParagraphIsUnwrappedAtItsBytes() {
        for inner in ["Focal loss", "焦点损失", "<em>x</em> and <code>y</code>", "", "p>", "</p>"] {
            XCTAssertEqual(MarkdownDocument.unwrappingParagraph("<p>" + inner + "</p>\n"), inner)
        }
        XCTAssertEqual(MarkdownDocument.unwrappingParagraph("<p>\u{301}x</p>\n").unicodeScalars.first, "\u{301}")
        XCTAssertEqual(MarkdownDocument.unwrappingParagraph("<p>\u{301}x</p>\n").utf8.count, "\u{301}x".utf8.count)
        XCTAssertEqual(MarkdownDocument.unwrappingParagraph("no paragraph"), "no paragraph")
        XCTAssertEqual(MarkdownDocument.unwrappingParagraph("<p>open"), "open")
        XCTAssertEqual(MarkdownDocument.unwrappingParagraph("close</p>\n"), "close")
    }
}
