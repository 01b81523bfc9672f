import Foundation
import XCTest
@testable import Markdown
import _TestSupport

/// Formula protection's first parse looks for code and HTML blocks with only the extensions that
/// shape blocks (`CommonMark.blockExtensionNames`): it must find the lines a parse with every
/// extension finds, on every spec example and every note of the repository.
final class VerbatimBlockLinesTests: XCTestCase {
    func assertSameLines(_ markdown: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(MarkdownDocument.verbatimBlockLines(markdown), MarkdownDocument.verbatimBlockLines(markdown, blocksOnly: false),
                       name, file: file, line: line)
    }

    /// A table ends a paragraph's lazy lines (an indented line after it is code), a footnote holds
    /// indented code, `~~~` fences a block as `` ``` `` does, and autolinks and strikethrough change nothing.
    func testBlockShapingConstructs() {
        let cases = [
            "| a |\n| - |\n    code $x_1$\n<div>\n$y$\n</div>\n",
            "a[^1]\n\n[^1]: note\n\n        code $x$\n",
            "~~~\n$x$\n~~~\n~~not $y$~~ www.example.com\n",
            "- [x] done\n\n      code $z$\n",
        ]
        for (index, markdown) in cases.enumerated() {
            XCTAssertFalse(MarkdownDocument.verbatimBlockLines(markdown).isEmpty, "case \(index) has a verbatim block")
            assertSameLines(markdown, "case \(index)")
        }
    }

    func testSpecExamples() throws {
        for file in ["spec", "extensions"] {
            for example in try SpecExample.load(file) { assertSameLines(example.markdown, "\(file).txt example \(example.number)") }
        }
    }

    func testRepositoryNotes() throws {
        let content = TestRepository.root.appendingPathComponent("content")
        let notes = FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "md" } ?? []
        XCTAssertGreaterThan(notes.count, 10, "the repository's notes under \(content.path)")
        for note in notes { assertSameLines(try String(contentsOf: note, encoding: .utf8), note.lastPathComponent) }
    }
}
