import Foundation
import XCTest
@testable import Markdown

final class MathProtectionTests: XCTestCase {
    /// Renders with each formula shown as `[i:TeX]` (inline) or `[[TeX]]` (display).
    func render(_ markdown: String) throws -> String {
        let doc = try MarkdownDocument(markdown)
        let spans = doc.math
        return doc.html { i in spans[i].kind == .inline ? "[\(spans[i].tex)]" : "<span class=\"math-display\">[[\(spans[i].tex)]]</span>" }
    }

    func testMarkdownNeverSeesFormulaContents() throws {
        XCTAssertEqual(try render("$a_1 * b_2 * c_{3}$ and $x_i$\n"), "<p>[a_1 * b_2 * c_{3}] and [x_i]</p>\n")
        XCTAssertEqual(try render("$\\{x\\}$\n"), "<p>[\\{x\\}]</p>\n")
        XCTAssertEqual(try render("$$\na \\\\\nb\n$$\n"), "<span class=\"math-display\">[[\na \\\\\nb\n]]</span>\n")
    }

    func testPipeInsideTableCell() throws {
        let html = try render("| a | b |\n|---|---|\n| $|x|$ | $p(y|x)$ |\n")
        XCTAssertTrue(html.contains("<td>[|x|]</td>"), html)
        XCTAssertTrue(html.contains("<td>[p(y|x)]</td>"), html)
    }

    func testDollarAmountsAreNotMath() throws {
        XCTAssertEqual(try render("It costs $5 and $10.\n"), "<p>It costs $5 and $10.</p>\n")
        XCTAssertEqual(try render("between $ 1 and 2 $\n"), "<p>between $ 1 and 2 $</p>\n")
        XCTAssertEqual(try render("\\$x\\$ is not math\n"), "<p>$x$ is not math</p>\n")
        XCTAssertEqual(try render("$x$2\n"), "<p>$x$2</p>\n")
        XCTAssertEqual(try render("价格 $5 或 $10，损失 $L_{CE}$。\n"), "<p>价格 $5 或 $10，损失 [L_{CE}]。</p>\n")
        XCTAssertEqual(try render("from $a$ to $b$ and $3\n"), "<p>from [a] to [b] and $3</p>\n")
    }

    func testCodeIsUntouched() throws {
        XCTAssertEqual(try render("`$x_1$` and $y$\n"), "<p><code>$x_1$</code> and [y]</p>\n")
        XCTAssertEqual(try render("```\n$$x$$\n```\n"), "<pre><code>$$x$$\n</code></pre>\n")
        XCTAssertEqual(try render("    $a_b$\n"), "<pre><code>$a_b$\n</code></pre>\n")
        XCTAssertEqual(try render("<div>\n$a_b$\n</div>\n"), "<div>\n$a_b$\n</div>\n")
    }

    /// An escaped backtick is literal and the rest of its run is a run of its own (CommonMark 6.1),
    /// whose closer is the next run of that length: the fuzzer's `## G \``' once indexed past the runs.
    func testEscapedBacktickStartsARunOfTheRest() throws {
        XCTAssertEqual(try render("## G \\``\n"), "<h2>G ``</h2>\n")
        XCTAssertEqual(try render("\\``$x$` and $y$\n"), "<p>`<code>$x$</code> and [y]</p>\n")
        XCTAssertEqual(try render("\\```$x$`` and $y$\n"), "<p>`<code>$x$</code> and [y]</p>\n")
    }

    /// An inline formula stays within its paragraph: a blank line (white space allowed) between
    /// its delimiters leaves them as text, as plain cmark-gfm renders it. The scan finds the blank
    /// lines among the bytes it stops at, so a stop list without the line end would lose them.
    func testInlineFormulasStopAtABlankLine() throws {
        for markdown in ["$a\n\nb$\n", "$a\n \t\nb$\n", "\\(a\n\n b\\)\n", "x $a\n\n\ny$ z\n"] {
            XCTAssertEqual(try render(markdown), CommonMark.plainHTML(markdown), markdown)
        }
        // Without the blank line each is one formula.
        XCTAssertEqual(try MarkdownDocument("$a\nb$\n").math.map(\.tex), ["a\nb"])
        XCTAssertEqual(try MarkdownDocument("\\(a\n b\\)\n").math.map(\.tex), ["a\n b"])
    }

    func testBackslashDelimiters() throws {
        XCTAssertEqual(try render("\\(a_1\\) and\n\n\\[b_2\\]\n"),
                       "<p>[a_1] and</p>\n<span class=\"math-display\">[[b_2]]</span>\n")
    }

    func testCJKPunctuationAndLists() throws {
        XCTAssertEqual(try render("损失为$L_{CE}$，其中$p_t$是概率。\n"), "<p>损失为[L_{CE}]，其中[p_t]是概率。</p>\n")
        XCTAssertEqual(try render("- item $a_1$\n- $$b_2$$\n"),
                       "<ul>\n<li>item [a_1]</li>\n<li><span class=\"math-display\">[[b_2]]</span></li>\n</ul>\n")
    }

    func testBlockQuoteMarkersAreStripped() throws {
        let doc = try MarkdownDocument("> $$\n> a\n> b\n> $$\n")
        XCTAssertEqual(doc.math.map(\.tex), ["\na\nb\n"])
    }

    func testFootnotes() throws {
        let html = try render("x[^1]\n\n[^1]: note $a_i$\n")
        XCTAssertTrue(html.contains("note [a_i]"), html)
    }

    func testUnclosedDisplayMathIsAnErrorWithPosition() {
        XCTAssertThrowsError(try MarkdownDocument("line\n\ntext $$a_1\n", lineOffset: 3)) { error in
            let error = error as? MarkdownError
            XCTAssertEqual(error?.location, SourceLocation(line: 6, column: 6))
        }
    }

    func testLocationsPointIntoTheSource() throws {
        let doc = try MarkdownDocument("# 标题\n\n中文 $x$\n$$\ny\n$$\n", lineOffset: 2)
        XCTAssertEqual(doc.math.map { SourceLocation(line: $0.line, column: $0.column) },
                       [SourceLocation(line: 5, column: 5), SourceLocation(line: 6, column: 3)])
    }

    /// Thousands of `$` in one paragraph: the scan stays linear (this input is quadratic for a
    /// naive closer search). Measured by counting the scan's steps (bytes and list entries looked
    /// at), which is exact where timing on a shared machine is not: four times the input must
    /// take about four times the steps (a quadratic scan would take sixteen), and a few steps per byte.
    func testManyDollars() throws {
        for count in [5000, 20000] {
            XCTAssertTrue(try MarkdownDocument(String(repeating: "$1 ", count: count) + "\n").math.isEmpty)
        }
        try assertLinearScan(of: "$1 ")
    }

    /// A run of backslashes is scanned once, not once per backslash (each looking back over those
    /// before it: a line of 40 000 took 32 s in a debug build), and the backslashes still escape
    /// each other in pairs: `\\(` and `\\)` delimit a formula after an odd run only.
    func testBackslashRunsAreLinearAndEscapeInPairs() throws {
        try assertLinearScan(of: "\\")
        for run in 1...5 {
            let slashes = String(repeating: "\\", count: run)
            let math = try MarkdownDocument("a \(slashes)(x\(slashes)) b\n").math
            XCTAssertEqual(math.count, run % 2, "\(run) backslashes before '(' and ')'")
            let display = try MarkdownDocument("a \(slashes)[y\(slashes)] b\n").math
            XCTAssertEqual(display.count, run % 2, "\(run) backslashes before '[' and ']'")
        }
    }

    /// A link destination is never math, with balanced parentheses and escapes as CommonMark
    /// reads them; the parentheses of a line are matched once, not looked ahead from each `](`
    /// (2,048 bytes per `](`: a line of 40 000 took 7 s in a debug build).
    func testLinkDestinationsAreSkippedInLinearTime() throws {
        let cases: [(String, [String])] = [
            ("[x](/$p$) and $y$", ["y"]),
            ("[x](a(b)$c$) and $y$", ["y"]),
            ("[x](a(b $y$ c", ["y"]),
            ("[x](a\\) $p$) and $y$", ["y"]),
            ("[x](a\\($p$) $y$", ["y"]),
            ("[x](a(b)) $y$ (c $z$)", ["y", "z"]),
            ("[x]($p$\n$y$)", ["p", "y"]),
            ("[x](((a)) $p$) [y]($q$) $z$", ["z"]),
        ]
        for (source, formulas) in cases {
            let math = try MarkdownDocument(source + "\n").math
            XCTAssertEqual(math.map(\.tex), formulas, source)
        }
        try assertLinearScan(of: "](")
    }

    func testHeadingIDs() throws {
        let doc = try MarkdownDocument("## Focal loss\n## 交叉熵 (CE)\n## Focal loss\n")
        var slugger = HeadingSlugger()
        let headings = doc.setHeadingIDs(slugger: &slugger)
        XCTAssertEqual(headings.map(\.id), ["focal-loss", "交叉熵-ce", "focal-loss-1"])
        let html = doc.html { _ in "" }
        XCTAssertTrue(html.contains("<h2 id=\"交叉熵-ce\">交叉熵 (CE)</h2>"), html)
    }

    /// Finding the links' destinations in the source is linear in it: a search starts where the
    /// last one on its line ended (each used to count its way from the line's start), and the
    /// searches share a budget (a reference link's URL is not on its line: each searched the
    /// whole long line again). `testLinkLocationsCountScalarsAndMoveOnForARepeatedURL` keeps the
    /// positions exact.
    func testDestinationSearchIsLinear() throws {
        func cost(_ count: Int) throws -> (cost: Int, bytes: Int) {
            let text = String(repeating: "[a] [b](x.md) ", count: count) + "\n\n[a]: http://example.org/\n"
            let doc = try MarkdownDocument(text)
            XCTAssertEqual(doc.links.count, 2 * count)
            return (doc.destinationSearchCost, text.utf8.count)
        }
        let small = try cost(2000), large = try cost(8000)
        XCTAssertLessThanOrEqual(large.cost, 5 * small.cost, "4× the input took \(Double(large.cost) / Double(small.cost))× the bytes")
        XCTAssertLessThanOrEqual(large.cost, 64 * large.bytes + (1 << 20))
    }

    func testLinkLocations() throws {
        let doc = try MarkdownDocument("para\n\nsee [a](x.md) and [b](y.md#z)\n", lineOffset: 4)
        XCTAssertEqual(doc.links.map(\.url), ["x.md", "y.md#z"])
        XCTAssertEqual(doc.links.map(\.location), [SourceLocation(line: 7, column: 9), SourceLocation(line: 7, column: 23)])
    }

    /// Columns count Unicode scalars (the line's bytes are searched), and a destination repeated on
    /// a line is found at each of its places in turn; expected columns from Foundation's search.
    func testLinkLocationsCountScalarsAndMoveOnForARepeatedURL() throws {
        let line = "«é👍🏽» [a](x.md) then [b](x.md), 中文 [c](x.md)"
        let doc = try MarkdownDocument("para\n\n" + line + "\n", lineOffset: 2)
        var columns: [Int] = []
        var rest = line[...]
        while let found = rest.range(of: "x.md") {
            columns.append(line.unicodeScalars.distance(from: line.startIndex, to: found.lowerBound) + 1)
            rest = line[found.upperBound...]
        }
        XCTAssertEqual(columns.count, 3)
        XCTAssertEqual(doc.links.map(\.location), columns.map { SourceLocation(line: 2 + 3, column: $0) })
    }

    /// The formula scan of `unit` repeated on one line 5,000 and 20,000 times, counted in steps
    /// (bytes and list entries looked at), which is exact where timing on a shared machine is
    /// not: four times the input may take at most five times the steps (a quadratic scan takes
    /// sixteen), and at most eight steps a byte.
    private func assertLinearScan(of unit: String, file: StaticString = #filePath, line: UInt = #line) throws {
        func steps(_ count: Int) throws -> (steps: Int, bytes: Int) {
            let text = String(repeating: unit, count: count) + "\n"
            return (try ProtectedSource(source: text, excludedLines: []).scanSteps, text.utf8.count)
        }
        let small = try steps(5000), large = try steps(20000)
        XCTAssertLessThanOrEqual(large.steps, 5 * small.steps,
                                 "'\(unit)': 4× the input took \(Double(large.steps) / Double(small.steps))× the steps", file: file, line: line)
        XCTAssertLessThanOrEqual(large.steps, 8 * large.bytes, "'\(unit)': \(large.steps) steps for \(large.bytes) bytes", file: file, line: line)
    }

}
