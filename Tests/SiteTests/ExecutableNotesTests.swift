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

    func testMalformedDirectivesPointAtTheirLine() async throws {
        let cases: [(block: String, line: Int, message: String)] = [
            ("```loss-table focla\nvary: {p: [0.5]}\n```", 5, "unknown loss 'focla'"),
            ("```loss-table focal\nvary: {p: [0.5]}\nparams: {gama: 2}\n```", 7, "has no parameter 'gama'"),
            ("```loss-table focal\nvary: {p: [0.5]}\nparams: {gamma: -1}\n```", 7, "out of range"),
            ("```loss-table focal\nvary: {p: [0.5]\n```", 7, "invalid YAML"),
            ("```loss-table focal\nvray: {p: [0.5]}\n```", 6, "unknown key 'vray'"),
            ("```loss-table focal\nvary: {r: [0.5]}\n```", 6, "'r' cannot vary the input of 'focal'"),
            ("```loss-table focal\nvary: {p: [1.5]}\n```", 6, "must lie strictly between 0 and 1"),
            ("```loss-table l1\ncases:\n  - input: [1, 2]\n    target: [1, 2, 3]\n```", 5, "shape mismatch"),
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
