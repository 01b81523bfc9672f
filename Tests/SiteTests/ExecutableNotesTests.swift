import XCTest
import Losses
@testable import Site

/// Executable blocks: values computed by `Losses`, verified against `LossReference`, doctests
/// with `--fix`, errors with positions, and the generated reference pages.
final class ExecutableNotesTests: XCTestCase {
    /// The library's focal loss at p_t (two-class logits [0, logit p]), computed here directly.
    func focal(_ p: Double, gamma: Double) throws -> Double {
        let loss = try Catalog.make("focal", ["gamma": .number(gamma)])
        let input = try Tensor(shape: [1, 2], data: [0, Float(log(p / (1 - p)))])
        return Double(try loss.evaluate(input, target: try Tensor(shape: [1], data: [1]), gradient: false).value.data[0])
    }

    func note(expected: [[Double]]?) -> String {
        var text = "---\ntitle: Focal\n---\n\n## Table\n\n```loss-table focal\nvary: {p: [0.1, 0.5, 0.9]}\nseries: {gamma: [0, 2]}\n"
        if let expected {
            text += "expected:\n" + expected.map { "  - [" + $0.map { DirectiveExpander.format($0, digits: 4) }.joined(separator: ", ") + "]\n" }.joined()
        }
        return text + "```\n"
    }

    func testTableShowsTheLibrarysValuesVerified() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(note(expected: nil), to: "content/en/executed.md")
        try await fixture.build()
        let html = try fixture.read("en/executed/index.html")
        for p in [0.1, 0.5, 0.9] {
            for gamma in [0.0, 2.0] {
                let shown = DirectiveExpander.display(try focal(p, gamma: gamma), digits: 4)
                XCTAssertTrue(html.contains("<td align=\"right\">\(shown)</td>"), "focal(p=\(p), γ=\(gamma)) = \(shown) not in the table")
            }
        }
        XCTAssertTrue(html.contains("class=\"verified\""))
    }

    func testDoctestFailsWithPositionThenFixRewritesOnlyTheNumbers() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let right = try [0.1, 0.5, 0.9].map { p in try [0.0, 2.0].map { try focal(p, gamma: $0) } }
        var wrong = right
        wrong[1][1] += 0.5
        let original = note(expected: wrong)
        try fixture.write(original, to: "content/en/executed.md")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.count, 1)
        let wrongLine = original.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(DirectiveExpander.format(wrong[1][1], digits: 4)) }! + 1
        XCTAssertEqual(diagnostics.first?.line, wrongLine)
        XCTAssertTrue(diagnostics.first?.message.hasPrefix("expected \(DirectiveExpander.format(wrong[1][1], digits: 4)) but the library computes") == true,
                      diagnostics.first?.message ?? "")

        let report = try await DoctestFixRun(options: fixture.options()).run()
        XCTAssertEqual(report.fixed.count, 1)
        let fixed = try String(contentsOf: fixture.content.appendingPathComponent("en/executed.md"), encoding: .utf8)
        XCTAssertEqual(fixed, note(expected: right), "only the wrong number changed")
        try await fixture.build()
    }

    /// `--fix` on a note with CRLF line endings and a byte order mark failed ("line 12 is not in
    /// the file"); it keeps both, and a note that is a link keeps its link and its target's permissions.
    func testFixKeepsLineEndingsByteOrderMarkLinkAndPermissions() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let right = try [0.1, 0.5, 0.9].map { p in try [0.0, 2.0].map { try focal(p, gamma: $0) } }
        var wrong = right
        wrong[1][1] += 0.5
        wrong[2][0] += 0.25
        func windows(_ text: String) -> String { "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n") }
        try fixture.write(windows(note(expected: wrong)), to: "shared/executed.md")
        let target = fixture.root.appendingPathComponent("shared/executed.md").path
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target)
        let link = fixture.content.appendingPathComponent("en/executed.md").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "../../shared/executed.md")

        let report = try await DoctestFixRun(options: fixture.options()).run()
        XCTAssertEqual(report.fixed.count, 2)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "../../shared/executed.md", "still a link")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), Data(windows(note(expected: right)).utf8), "only the wrong numbers changed")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? NSNumber)?.intValue, 0o640)
        try await fixture.build()
    }

    func testMalformedDirectivesPointAtTheirLine() async throws {
        let cases: [(block: String, line: Int, message: String)] = [
            ("```loss-table focla\nvary: {p: [0.5]}\n```", 5, "unknown loss 'focla'"),
            ("```loss-table focal\nvary: {p: [0.5]}\nparams: {gama: 2}\n```", 7, "has no parameter 'gama'"),
            ("```loss-table focal\nvary: {p: [0.5]}\nparams: {gamma: -1}\n```", 7, "out of range"),
            // At the '{' left open, not where the block ends.
            ("```loss-table focal\nvary: {p: [0.5]\n```", 6, "invalid YAML"),
            ("```loss-table focal\nvray: {p: [0.5]}\n```", 6, "unknown key 'vray'"),
            ("```loss-table focal\nvary: {r: [0.5]}\n```", 6, "'r' cannot vary the input of 'focal'"),
            ("```loss-table focal\nvary: {p: [1.5]}\n```", 6, "must lie strictly between 0 and 1"),
            ("```loss-table l1\ncases:\n  - input: [1, 2]\n    target: [1, 2, 3]\n```", 8, "shape mismatch"),
            ("```loss-table focal\nvary: {p: [0.5]}\nexpected:\n  - [1, 2]\n```", 8, "'expected' must have 1 row(s)"),
            ("```loss-plot focal\nx: {p: [0.9, 0.1]}\n```", 6, "from < to"),
        ]
        for (block, line, message) in cases {
            let fixture = try SiteFixture("basic")
            defer { fixture.remove() }
            try fixture.write("---\ntitle: x\n---\n\n" + block + "\n", to: "content/en/x.md")
            let diagnostics = await fixture.failures()
            XCTAssertEqual(diagnostics.count, 1, "\(block): \(diagnostics)")
            XCTAssertEqual(diagnostics.first?.path.hasSuffix("content/en/x.md"), true, block)
            XCTAssertEqual(diagnostics.first?.line, line, "\(block): \(diagnostics.first?.description ?? "")")
            XCTAssertTrue(diagnostics.first?.message.contains(message) == true, "\(block): \(diagnostics.first?.message ?? "")")
        }
    }

    /// Issue 11.6: an error about what a block feeds a loss is at the key or row that says it
    /// (`line:column` in the note), not at the block's fence (5:1 in every note here).
    func testCaseAndMaskErrorsPointAtTheirKeyOrRow() async throws {
        let cases: [(block: String, position: [Int], message: String)] = [
            // The target that does not fit the input: its key.
            ("```loss-table cross-entropy\ncases:\n  - label: bad\n    input: [[4.0, -1.0, 0.5]]\n    target: [0, 1]\n```",
             [9, 5], "shape mismatch: target [2] does not fit input [1, 3]"),
            // A case's own parameter: its name in the case's `params`.
            ("```loss-table focal\ncases:\n  - input: [[0.0, 1.0]]\n    target: [1]\n    params: {gamma: -1}\n```",
             [9, 14], "parameter 'gamma' of loss 'focal'"),
            // A list parameter that does not fit the input: the parameter, not the target.
            ("```loss-table focal\ncases:\n  - input: [[0.0, 1.0]]\n    target: [1]\n    params: {alpha: [0.25, 0.5, 0.75]}\n```",
             [9, 14], "alpha has 3 values"),
            // A parameter varied across columns: its name in `series`.
            ("```loss-table focal\nvary: {p: [0.5]}\nseries: {gamma: [-1]}\n```", [7, 10], "parameter 'gamma' of loss 'focal'"),
            // A varied value whose central differences step out of the variable's range: the variable.
            ("```loss-grad focal\nvary: {p: [0.9999995]}\n```", [6, 8], "p_t = 1.0000005 must lie strictly between 0 and 1"),
            // A ragged mask row: the row, at its first cell, with both lengths.
            ("```loss-table dice\nseries: {r: [0.5]}\nmask:\n  target: |\n    0 1\n    1 1 1\n  prediction: |\n    0 1\n    1 1\n```",
             [10, 5], "row 2 of 'target' has 3 numbers, not 2 like the first row"),
            // A word that is not a number: the word.
            ("```distance-map\nmask: |\n  0 1\n  1 x\n```", [8, 5], "'mask' holds 'x', not a number"),
            // A grid written as a quoted string has no row lines to point at: the string.
            ("```distance-map\nmask: \"0 1\\n1 1 1\"\n```", [6, 7], "row 2 of 'mask' has 3 numbers, not 2 like the first row"),
            // A prediction of another size than the target: the prediction's grid.
            ("```loss-table dice\nmask:\n  target: |\n    0 1\n    1 1\n  prediction: |\n    0.5 0.5 0.5\n    0.5 0.5 0.5\n```",
             [10, 15], "prediction and 'target' must have the same size"),
        ]
        for (block, position, message) in cases {
            let fixture = try SiteFixture("basic")
            defer { fixture.remove() }
            try fixture.write("---\ntitle: x\n---\n\n" + block + "\n", to: "content/en/x.md")
            let diagnostics = await fixture.failures()
            XCTAssertEqual(diagnostics.count, 1, "\(block): \(diagnostics)")
            XCTAssertEqual(diagnostics.first.map { [$0.line, $0.column] }, position, "\(block): \(diagnostics.first?.description ?? "")")
            XCTAssertTrue(diagnostics.first?.message.contains(message) == true, "\(block): \(diagnostics.first?.message ?? "")")
        }
    }

    func testUnknownReferenceLink() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write("---\ntitle: x\nweight: 5\n---\n\n[f](ref:focla)\n", to: "content/en/x.md")
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.map(\.line), [6])
        XCTAssertEqual(diagnostics.first?.hint, "did you mean 'ref:focal'?")
    }

    func testReferencePagesForEveryLossInBothLanguages() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
        try fixture.write(note(expected: nil) + "\nSee [focal](ref:focal).\n", to: "content/en/executed.md")
        var options = fixture.options()
        options.lossSources = SiteFixture.repository.appendingPathComponent("Sources/Losses")
        options.referenceSources = SiteFixture.repository.appendingPathComponent("Sources/LossReference")
        _ = try await SiteBuilder.build(options)
        for language in ["zh", "en"] {
            let index = try fixture.read("\(language)/reference/index.html")
            for id in Catalog.ids {
                XCTAssertTrue(index.contains("href=\"\(id)/index.html\""), "\(language) index lists \(id)")
                let page = try fixture.read("\(language)/reference/\(id)/index.html")
                XCTAssertTrue(page.contains("class=\"verified\""), "\(language)/\(id): verified table")
                XCTAssertTrue(page.contains("<svg"), "\(language)/\(id): plot")
                XCTAssertTrue(page.contains("class=\"code-source\""), "\(language)/\(id): implementation excerpt")
                XCTAssertTrue(page.contains("class=\"katex-display\""), "\(language)/\(id): formula")
            }
        }
        // The note that uses focal is listed on focal's page, and its ref: link points there.
        XCTAssertTrue(try fixture.read("en/reference/focal/index.html").contains("href=\"../../executed/index.html\""))
        XCTAssertTrue(try fixture.read("en/executed/index.html").contains("href=\"../reference/focal/index.html\""))
    }
}
