import Foundation
import XCTest
@testable import Site

/// ``SourceFiles/decode(_:path:)``: a note without NUL or CR read straight by the standard
/// library's validation gives the text the byte-by-byte reading gives (the BOM dropped); every
/// other note goes that way. The expectation is `String(decoding:as:)` of the bytes after the BOM.
final class SourceDecodeTests: XCTestCase {
    static let texts: [[UInt8]] = [
        [], [0xEF, 0xBB, 0xBF], Array("---\ntitle: x\n---\n\nplain $x$\n".utf8),
        [0xEF, 0xBB, 0xBF] + Array("---\ntitle: 焦点\n---\n\nü 𝔼 🙂 \u{3000}\n".utf8),
        Array("no final newline: 損失".utf8), [0xEF, 0xBB] + Array("a stray half BOM".utf8),
    ]

    func testPlainNotesAreTheirBytesAfterTheBOM() throws {
        for bytes in Self.texts {
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            if body.starts(with: [0xEF, 0xBB]) && !bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                // Invalid UTF-8: refused at its position, as before.
                XCTAssertThrowsError(try SourceFiles.decode(Data(bytes), path: "a.md"))
                continue
            }
            let text = try SourceFiles.decode(Data(bytes), path: "a.md")
            XCTAssertEqual(Array(text.utf8), body, "\(bytes)")
        }
    }

    /// CR and NUL take the byte-by-byte way: CRLF read as LF, a NUL an error at its line and column.
    func testCRAndNULTakeTheOtherWay() throws {
        XCTAssertEqual(try SourceFiles.decode(Data("a\r\nb\rc".utf8), path: "a.md"), "a\nb\nc")
        XCTAssertThrowsError(try SourceFiles.decode(Data("a\nb\u{0}".utf8), path: "a.md")) {
            XCTAssertEqual("\($0)", "a.md:2:2: error: NUL byte in a text file (hint: remove it; a NUL would cut the page short)")
        }
    }
}
