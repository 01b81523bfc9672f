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
}
