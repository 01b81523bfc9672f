import Foundation
import XCTest
@testable import Markdown
import _TestSupport

/// `MarkdownDocument` parses a source once when that parse confirms the code and HTML lines its
/// formulas were protected with; else it parses the source first for them. Either way the text
/// parsed must be the source protected with the lines of the source's own code and HTML blocks,
/// as the two-parse way finds them (``MarkdownDocument/verbatimBlockLines(_:blocksOnly:)``).
final class OneParseTests: XCTestCase {
    func assertAsTwoParses(_ markdown: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let twoParses = Result { try ProtectedSource(source: markdown, excludedLines: MarkdownDocument.verbatimBlockLines(markdown)) }
        let document = Result { try MarkdownDocument(markdown) }
        switch (twoParses, document) {
        case let (.success(expected), .success(document)):
            XCTAssertEqual(document.protected.text, expected.text, name, file: file, line: line)
            XCTAssertEqual(document.protected.spans, expected.spans, name, file: file, line: line)
        case let (.failure(expected), .failure(error)):
            XCTAssertEqual(error as? MarkdownError, expected as? MarkdownError, name, file: file, line: line)
        default:
            XCTFail("\(name): two parses \(twoParses), one \(document)", file: file, line: line)
        }
    }

    func testRepositoryNotes() throws {
        let content = TestRepository.root.appendingPathComponent("content")
        let notes = FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "md" } ?? []
        XCTAssertGreaterThan(notes.count, 10, "the repository's notes under \(content.path)")
        var once = 0
        for note in notes {
            let markdown = try String(contentsOf: note, encoding: .utf8)
            assertAsTwoParses(markdown, note.lastPathComponent)
            if try MarkdownDocument(markdown).parsedOnce { once += 1 }
        }
        // The saving is real: nearly every note is parsed once.
        XCTAssertGreaterThanOrEqual(once, notes.count * 9 / 10, "notes parsed once")
    }

    func testSpecExamples() throws {
        for file in ["spec", "extensions"] {
            for example in try SpecExample.load(file) { assertAsTwoParses(example.markdown, "\(file).txt example \(example.number)") }
        }
    }

    /// Sources whose formulas, taken out, change the blocks cmark-gfm sees (and a fence the guess
    /// misses): each must come out as two parses make it, most by the second parse.
    func testFormulasThatMoveBlocks() {
        let cases: [(String, String, once: Bool)] = [
            // An HTML block starts inside a display formula: its `$$` is then unclosed.
            ("html line inside a formula", "$$\n<div>\n$$\n", false),
            // A fence opens inside a formula: the rest is code.
            ("fence inside a formula", "a $$\n```\n$$ b $x$\n", false),
            // A heading's formula takes its paragraph lines along; the line after is then code.
            ("heading", "# a $$\nx\n$$\n    code $y$\n", false),
            // A list item inside a formula holds an indented code block.
            ("list inside a formula", "$$\n- a\n\n      $b$\n$$\n", false),
            // A formula's `|` makes a table header, which an indented line then ends with a code block.
            ("table made by a formula's pipe", "a | $|x|$\n-|-|-|-\n    code $y$\n", false),
            // A fence inside a list item: not guessed, found by the parse, confirmed by protecting again.
            ("fence in a list item", "- a $x$\n\n  ```\n  $y$\n  ```\n", true),
            ("formula in a table cell", "| a | b |\n|---|---|\n| $|x|$ | $p(y|x)$ |\n", true),
            // An indented code block is not guessed; found by the parse, it holds no formula.
            ("multi-line formula in a quote", "> a $$\n> x\n> $$\n\n    code z\n", true),
            // … but when it holds one, the source is protected again without it.
            ("formula in indented code", "a $x$\n\n    code $z$\n", false),
        ]
        for (name, markdown, once) in cases {
            assertAsTwoParses(markdown, name)
            XCTAssertEqual((try? MarkdownDocument(markdown))?.parsedOnce ?? false, once, name)
        }
    }

    /// The guess: top-level fences only, closed by a fence of the same character at least as long.
    func testFenceGuess() {
        func guess(_ markdown: String) -> [ClosedRange<Int>] {
            var markdown = markdown
            return markdown.withUTF8 { FencedCodeLines.lines(in: $0) }
        }
        XCTAssertEqual(guess("a\n```py\nx\n```\nb\n"), [2...4])
        XCTAssertEqual(guess("~~~~\n~~~\n```\n~~~~~\n"), [1...4])
        XCTAssertEqual(guess("``` a`b\n```\n"), [2...2], "a backtick fence's info string holds no backtick")
        XCTAssertEqual(guess("   ```\nx\n"), [1...2], "unclosed: to the end")
        XCTAssertEqual(guess("    ```\nx\n```\n"), [3...3], "four spaces in: code, not a fence")
    }
}
