import XCTest
@testable import Site

/// Note `formula` blocks checked against the library, catalog formulas marked on reference
/// pages, `claims:` on tables, and the formula inventory of `lossbook check --formulas`.
final class FormulaBlockTests: XCTestCase {
    static let meanSquared = #"\mathcal{L} = \frac{1}{n}\sum_{i=1}^{n} (x_i - y_i)^2"#

    func note(_ tex: String) -> String {
        // Fence on line 7; the TeX on line 8.
        "---\ntitle: F\n---\n\n## MSE\n\n```formula\n\(tex)\ncheck: l2\nwhere:\n  x_i: input\n  y_i: target\n  n: size i\n```\n"
    }

    func testCorrectFormulaBuildsWithTheMark() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(note(Self.meanSquared), to: "content/en/f.md")
        try await fixture.build()
        let html = try fixture.read("en/f/index.html")
        XCTAssertTrue(html.contains("formula-checked"), "no checked mark")
        XCTAssertTrue(html.contains("checked against the code"))
        XCTAssertTrue(html.contains("class=\"katex"), "the formula is typeset")
    }

    func testMutatedFormulaFailsAtItsLine() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(note(Self.meanSquared.replacingOccurrences(of: "^2", with: "^3")), to: "content/en/f.md")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)")
        let d = try XCTUnwrap(diagnostics.first)
        XCTAssertTrue(d.path.hasSuffix("content/en/f.md"), d.path)
        XCTAssertEqual(d.line, 8)
        XCTAssertEqual(d.column, 1)
        XCTAssertTrue(d.message.contains("disagrees with 'l2'"), d.message)
        XCTAssertTrue(d.message.contains("Losses computes"), d.message)
        XCTAssertTrue(d.message.contains(": input") && d.message.contains("n: size i"), "names the bindings: \(d.message)")
    }

    func testUnreadableFormulaFailsAtTheCharacter() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        // Second TeX line, column 5: an unknown symbol the bindings do not give.
        try fixture.write(note("\\mathcal{L} = \\frac{1}{n}\n    \\sum_{i=1}^{n} (x_i - q_i)^2"), to: "content/en/f.md")
        let diagnostics = await fixture.failures()
        let d = try XCTUnwrap(diagnostics.first, "must fail")
        XCTAssertEqual(d.line, 9, d.description)
        XCTAssertTrue(d.message.hasPrefix("formula: "), d.description)
    }

    func testMissingCheckAndUnknownLoss() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(note(Self.meanSquared).replacingOccurrences(of: "check: l2", with: "check: l3"), to: "content/en/f.md")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.first?.line, 9, "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.message.contains("unknown loss 'l3'") == true, "\(diagnostics)")
    }

    func testReferencePagesMarkBoundFormulasOnly() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
        try await fixture.build()
        let dice = try fixture.read("en/reference/dice/index.html")
        // Dice: formula 0 bound, formula 1 (squared_pred / jaccard) not.
        XCTAssertEqual(dice.components(separatedBy: "formula-checked").count - 1, 1)
        let zh = try fixture.read("zh/reference/dice/index.html")
        XCTAssertTrue(zh.contains("已与代码核对"))
        let lovasz = try fixture.read("en/reference/lovasz-softmax/index.html")
        XCTAssertFalse(lovasz.contains("formula-checked"))
    }

    /// A reference page shows the "checked against the code" mark under the gradient formulas
    /// `CatalogBindings.gradients` checks (l2's), in every language whose prose has them, and not
    /// under the ones no binding checks (margin-ranking's, stated only where the hinge is active).
    func testReferencePagesMarkCheckedGradientFormulasOnly() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for language in ["zh", "en"] {
            for id in ["l2", "margin-ranking"] {
                let file = "content/\(language)/reference/\(id).md"
                try fixture.write(try String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8), to: file)
            }
        }
        try await fixture.build()
        for language in ["zh", "en"] {
            let l2 = try fixture.read("\(language)/reference/l2/index.html")
            XCTAssertEqual(l2.components(separatedBy: "gradient-checked").count - 1, 1, language)
            XCTAssertTrue(l2.contains(language == "zh" ? "梯度公式" : "this gradient formula"), language)
            let ranking = try fixture.read("\(language)/reference/margin-ranking/index.html")
            XCTAssertFalse(ranking.contains("gradient-checked"), language)
        }
    }

    func testCatalogChecksAreCachedAndFailuresPointAtTheCatalogLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lossbook-formula-checks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("formula-checks.json")
        let first = CatalogFormulaChecks.run(cacheFile: file, fingerprint: "test", macros: [:])
        XCTAssertFalse(first.cached)
        XCTAssertTrue(first.failures.isEmpty, "\(first.failures)")
        let second = CatalogFormulaChecks.run(cacheFile: file, fingerprint: "test", macros: [:])
        XCTAssertTrue(second.cached)
        XCTAssertEqual(second.entries, first.entries)
        XCTAssertFalse(CatalogFormulaChecks.run(cacheFile: file, fingerprint: "other", macros: [:]).cached)

        var failing = first
        let k = try XCTUnwrap(failing.entries.firstIndex { $0.loss == "dice" && $0.index == 0 })
        failing.entries[k].failure = "disagrees"
        let sources = LossSources.compiled("Sources/Losses")
        let d = try XCTUnwrap(failing.diagnostics(sources: sources).first)
        XCTAssertTrue(d.path.hasSuffix("DiceLoss.swift"), d.path)
        let line = sources.files[d.path]!.split(separator: "\n", omittingEmptySubsequences: false)[d.line - 1]
        XCTAssertTrue(line.contains(failing.entries[k].tex), String(line))
        XCTAssertTrue(d.message.hasPrefix("catalog formula 0 of 'dice'"), d.message)
    }

    func table(_ claims: [String]) -> String {
        // Fence on line 5; claims from line 9.
        "---\ntitle: T\n---\n\n```loss-table focal\nvary: {p: [0.1, 0.5, 0.9]}\nseries: {gamma: [0, 1, 2]}\nclaims:\n"
            + claims.map { "  - \($0)\n" }.joined() + "```\n"
    }

    func testTrueClaimsBuild() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(table(["decreasing in gamma", "decreasing in p", "gamma=0 at p=0.5 > gamma=2 at p=0.5",
                                 "gamma=2 < gamma=0 for all p", "gamma=0 at p=0.5 == 0.6931 within 1e-4", "col:1 at row:3 > 0",
                                 "γ=1 at p=0.9 <= γ=0 at p=0.9"]),
                          to: "content/en/t.md")
        try await fixture.build()
    }

    func testFalseClaimsFailAtTheirLines() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(table(["decreasing in gamma", "increasing in gamma", "gamma=2 > gamma=0 for all p", "gamma=7 > 0"]),
                          to: "content/en/t.md")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.map(\.line), [10, 11, 12], "\(diagnostics)")
        XCTAssertTrue(diagnostics[0].message.contains("not increasing in gamma"), diagnostics[0].message)
        XCTAssertTrue(diagnostics[1].message.contains("false at p = 0.1"), diagnostics[1].message)
        XCTAssertTrue(diagnostics[2].message.contains("names no row or column"), diagnostics[2].message)
    }

    func testInventoryListsCatalogAndNoteFormulas() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(note(Self.meanSquared) + "\n$$\nE = mc^2\n$$\n", to: "content/en/f.md")
        let inventory = try await SiteBuilder.formulaInventory(fixture.options(write: false))
        XCTAssertTrue(inventory.diagnostics.isEmpty, "\(inventory.diagnostics)")
        XCTAssertTrue(inventory.catalog.contains { $0.place == "catalog dice #0" && $0.status == .checked })
        XCTAssertTrue(inventory.catalog.contains { $0.place == "catalog dice #1" && $0.status == .unbound })
        let notes = inventory.notes.filter { $0.place.contains("content/en/f.md") }
        XCTAssertEqual(notes.map(\.status), [.checked, .unbound], "\(notes.map(\.place))")
        XCTAssertEqual(notes.first?.place.hasSuffix("f.md:7:1"), true, "\(notes.map(\.place))")
    }
}
