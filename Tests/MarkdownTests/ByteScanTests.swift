import Foundation
import Markdown
import XCTest

/// `containsUTF8Byte(where:)`, the byte scan behind a diagnostic's one-line check and the build
/// stamp's escaping, answers as the slow walk over `utf8` does.
final class ByteScanTests: XCTestCase {
    func testAgreesWithTheUTF8View() {
        let bridged = "bridged \\ text" as NSString as String
        let texts = ["", "plain", "tab\there", "é è ¨ Ņ 中文 𝔼 👍🏽 \u{2028}", String(repeating: "x", count: 100) + "\\",
                     "\\" + String(repeating: "y", count: 100), bridged, String("a long enough substring\n".dropFirst(2))]
        for text in texts {
            for byte in Set(text.utf8).union([0x09, 0x0A, 0x5C, 0x85, 0xA8, 0xA9, 0xFF]) {
                XCTAssertEqual(text.containsUTF8Byte(where: { $0 == byte }), text.utf8.contains(byte), "byte \(byte) in \(text.debugDescription)")
            }
        }
    }

    /// `lines()` cuts where a split at the Character `\n` cuts: at every `\n` but a `\r\n`'s (one
    /// Character), keeping empty lines at either end, the slices' bounds the same.
    func testLinesAreASplitAtNewlines() {
        let bridged = "bridged\nlines\r\n" as NSString as String
        let texts = ["", "\n", "\n\n", "one", "one\n", "\none", "a\r\nb\rc\n\r\n", "\r\n\n\r", "é\n中文\n\n𝔼 👍🏽\u{2028}x\n\u{301}",
                     "---\ntitle: t\n---\n## notes\n\ntext", bridged, String("xx\nsub\nstring".dropFirst(1))]
        for text in texts {
            let split = text.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(text.lines(), split, text.debugDescription)
            XCTAssertEqual(text.lines().map { $0.startIndex..<$0.endIndex }, split.map { $0.startIndex..<$0.endIndex }, text.debugDescription)
        }
    }
}
