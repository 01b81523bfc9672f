import Foundation
import XCTest
import _TestSupport
@testable import Site

/// ``PageFile``: a page written from its slices (`writev`) and compared with the previous site's
/// file slice by slice holds the bytes its joined ``PageFile/text`` holds. Every expectation is
/// that joined text, never a typed string.
final class PageFileTests: XCTestCase {
    /// A page with `headings` permalinked headings (each one more slice of the page and one link),
    /// a non-ASCII label, in a shell with text on both sides of the page.
    func page(headings: Int, filler: Int = 40) -> PageFile {
        var html = ""
        for i in 0..<headings {
            html += "<h2 id=\"h\(i)\">Heading \(i) ü</h2>\n<p>\(String(repeating: "x", count: filler + i % 7))</p>\n"
        }
        let shell = "<html><body>\u{1}\u{1}</body></html>\n"
        let slot = shell.utf8Occurrences(of: "\u{1}\u{1}").first!
        return Permalinks.file(for: TypesetHTML(html), label: "Link «here»", in: Array(shell.utf8), at: slot)
    }

    func bytes(_ file: PageFile) -> Data { Data(file.text.utf8) }

    /// More slices than one `writev` takes (`IOV_MAX`, 1,024), so the file is written in batches.
    func testWrittenSlicesAreTheJoinedText() throws {
        let folder = try TemporaryFolder.make("pagefile-write")
        defer { TemporaryFolder.remove(folder) }
        for headings in [0, 1, 3, 700, 3_000] {
            let file = page(headings: headings)
            XCTAssertEqual(file.count, bytes(file).count, "\(headings) headings")
            let path = folder.appendingPathComponent("\(headings).html").path
            try file.withPieces { try SiteFile.write($0, to: path) }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes(file), "\(headings) headings")
        }
        XCTAssertGreaterThan(page(headings: 3_000).pieces.count, 2 * 1_024, "the test's premise: several batches")
    }

    /// A file made as bytes (a search index) is written as those bytes, is their text, and is held
    /// only by a file of exactly those bytes.
    func testAFileMadeAsBytesIsWrittenAsThem() throws {
        let folder = try TemporaryFolder.make("pagefile-bytes")
        defer { TemporaryFolder.remove(folder) }
        let text = "window.X = [\"é 中\"," + String(repeating: "0123456789", count: 9_000) + "];\n"
        let file = PageFile(utf8: Array(text.utf8))
        XCTAssertEqual(file.count, text.utf8.count)
        XCTAssertEqual(file.text, text)
        let path = folder.appendingPathComponent("index.js").path
        try file.withPieces { try SiteFile.write($0, to: path) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(text.utf8))
        XCTAssertTrue(file.withPieces { SiteWriter.holds(path, $0) })
        try Data((text + " ").utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertFalse(file.withPieces { SiteWriter.holds(path, $0) }, "a byte more")
    }

    /// The comparison reads 64 KiB blocks: the slices are compared across the blocks' edges, and
    /// one byte changed anywhere (in the first slice, at a block's edge, in the last slice), a
    /// byte more or a byte less makes the file not the page's.
    func testHoldsComparesTheSlicesAcrossBlocks() throws {
        let folder = try TemporaryFolder.make("pagefile-holds")
        defer { TemporaryFolder.remove(folder) }
        let file = page(headings: 2_000, filler: 90)
        let path = folder.appendingPathComponent("index.html").path
        let same = bytes(file)
        XCTAssertGreaterThan(same.count, 3 * (1 << 16), "the test's premise: several blocks")
        func holds(_ data: Data) throws -> Bool {
            try data.write(to: URL(fileURLWithPath: path))
            return file.withPieces { SiteWriter.holds(path, $0) }
        }
        XCTAssertTrue(try holds(same))
        for offset in [0, 10, (1 << 16) - 1, 1 << 16, 2 * (1 << 16) + 5, same.count - 1] {
            var changed = same
            changed[offset] ^= 0x20
            XCTAssertFalse(try holds(changed), "byte \(offset) changed")
        }
        XCTAssertFalse(try holds(same + Data("\n".utf8)), "a byte more")
        XCTAssertFalse(try holds(same.dropLast()), "a byte less")
        XCTAssertFalse(try holds(Data()), "empty")
        // An empty page against an empty file, and against a file with a byte.
        let empty = PageFile("")
        try Data().write(to: URL(fileURLWithPath: path))
        XCTAssertTrue(empty.withPieces { SiteWriter.holds(path, $0) })
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertFalse(empty.withPieces { SiteWriter.holds(path, $0) })
    }
}
