import XCTest
import _TestSupport
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
        XCTAssertFalse(d.message.contains("["), "the probe's tensors are not on the line: \(d.message)")
        XCTAssertTrue(d.details.contains { $0.hasPrefix("probe ") && $0.contains("input = [") }, "\(d.details)")
        XCTAssertTrue(d.details.contains { $0.hasPrefix("bound: ") && $0.contains("input") && $0.contains("size i") }, "names the bindings: \(d.details)")
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

    func testMissingCheckHasAHint() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(note(Self.meanSquared).replacingOccurrences(of: "check: l2\n", with: ""), to: "content/en/f.md")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.message.contains("needs 'check: <loss id>'") == true, "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.hint?.contains("check: focal") == true, "\(diagnostics)")
    }

    func testReferencePagesMarkBoundFormulasOnly() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
        try await fixture.build()
        let iou = try fixture.read("en/reference/iou/index.html")
        // IoU: formula 0 and formula 1 (its relation to Dice on hard masks) bound.
        XCTAssertEqual(iou.components(separatedBy: "formula-checked").count - 1, 2)
        // Asymmetric: formula 0 and formula 1 (its Tversky form) bound.
        let asymmetric = try fixture.read("en/reference/asymmetric/index.html")
        XCTAssertEqual(asymmetric.components(separatedBy: "formula-checked").count - 1, 2)
        let zh = try fixture.read("zh/reference/iou/index.html")
        XCTAssertTrue(zh.contains("已与代码核对"))
        // Lovász-Softmax: its three formulas bound (`CatalogBindings.lovasz`); perceptual's first
        // only (its second a legend, `notation`: no mark); CTC's three (the sum over alignments,
        // the forward recursion, the reduction: `CatalogBindings+Alignments`).
        let lovasz = try fixture.read("en/reference/lovasz-softmax/index.html")
        XCTAssertEqual(lovasz.components(separatedBy: "formula-checked").count - 1, 3)
        let perceptual = try fixture.read("en/reference/perceptual/index.html")
        XCTAssertEqual(perceptual.components(separatedBy: "formula-checked").count - 1, 1)
        let ctc = try fixture.read("en/reference/ctc/index.html")
        XCTAssertEqual(ctc.components(separatedBy: "formula-checked").count - 1, 3)
    }

    /// A reference page shows the "checked against the code" mark under the gradient formulas
    /// `CatalogBindings.gradients` checks (l2's), in every language whose prose has them, and not
    /// under one no binding checks (a formula added to l2's prose here); margin-ranking's, stated
    /// only where the hinge is active, are checked there (`GradientBinding.holds`) and marked.
    func testReferencePagesMarkCheckedGradientFormulasOnly() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for language in ["zh", "en"] {
            for id in ["l2", "margin-ranking", "lovasz-hinge", "lovasz-softmax", "ctc"] {
                let file = "content/\(language)/reference/\(id).md"
                var prose = try String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8)
                // A gradient formula no binding checks (every one of the catalog's is bound): shown, not marked.
                if id == "l2" { prose = prose.replacingOccurrences(of: "\n## notes", with: "\n$\\partial \\ell/\\partial y = 5(y - x)$\n\n## notes") }
                try fixture.write(prose, to: file)
            }
        }
        try await fixture.build()
        for language in ["zh", "en"] {
            let l2 = try fixture.read("\(language)/reference/l2/index.html")
            XCTAssertTrue(l2.contains("5(y - x)"), language)
            XCTAssertEqual(l2.components(separatedBy: "gradient-checked").count - 1, 1, language)
            XCTAssertTrue(l2.contains(language == "zh" ? "梯度公式" : "this gradient formula"), language)
            // margin-ranking's gradients hold where the margin is not met (bound with holds:); lovasz-hinge's
            // is bound, lovasz-softmax's ∂m_i/∂p_i is a bound partial; ctc's (∂L/∂x through γ, the
            // alignments' posterior) is bound too.
            let ranking = try fixture.read("\(language)/reference/margin-ranking/index.html")
            XCTAssertTrue(ranking.contains("gradient-checked"), language)
            let hinge = try fixture.read("\(language)/reference/lovasz-hinge/index.html")
            XCTAssertTrue(hinge.contains("gradient-checked"), language)
            let softmax = try fixture.read("\(language)/reference/lovasz-softmax/index.html")
            XCTAssertTrue(softmax.contains("gradient-checked"), language)
            let ctc = try fixture.read("\(language)/reference/ctc/index.html")
            XCTAssertTrue(ctc.contains("gradient-checked"), language)
        }
    }

    func testCatalogChecksAreCachedAndFailuresPointAtTheCatalogLine() throws {
        let folder = TemporaryFolder.path("formula-checks")
        defer { TemporaryFolder.remove(folder) }
        let file = folder.appendingPathComponent("formula-checks.json")
        let first = CatalogFormulaChecks.run(cacheFile: file, fingerprint: "test", macros: [:])
        XCTAssertFalse(first.cached)
        XCTAssertTrue(first.failures.isEmpty, "\(first.failures)")
        let second = CatalogFormulaChecks.run(cacheFile: file, fingerprint: "test", macros: [:])
        XCTAssertTrue(second.cached)
        XCTAssertEqual(second.entries, first.entries)
        XCTAssertFalse(CatalogFormulaChecks.run(cacheFile: file, fingerprint: "other", macros: [:]).cached)
        // Another binary's run does not evict this one's (two binaries used in turn each skip the check).
        XCTAssertTrue(CatalogFormulaChecks.run(cacheFile: file, fingerprint: "test", macros: [:]).cached)
        XCTAssertTrue(CatalogFormulaChecks.run(cacheFile: file, fingerprint: "other", macros: [:]).cached)

        var failing = first
        let k = try XCTUnwrap(failing.entries.firstIndex { $0.loss == "dice" && $0.index == 0 })
        failing.entries[k].failure = "disagrees"
        let sources = LossSources.compiled("Sources/Losses")
        let d = try XCTUnwrap(failing.diagnostics(sources: sources).first)
        XCTAssertTrue(d.path.hasSuffix("DiceLoss.swift"), d.path)
        let line = sources.files[d.path]!.split(separator: "\n", omittingEmptySubsequences: false)[d.line - 1]
        XCTAssertTrue(line.contains(failing.entries[k].tex), String(line))
        XCTAssertTrue(d.message.hasPrefix("catalog formula 0 of 'dice'"), d.message)

        // A formula whose text two losses share (tversky's TP, FP, FN, in focal-tversky's descriptor
        // too) is placed in its own loss's file.
        var shared = first
        let t = try XCTUnwrap(shared.entries.firstIndex { $0.loss == "tversky" && $0.index == 1 })
        shared.entries[t].failure = "disagrees"
        let e = try XCTUnwrap(shared.diagnostics(sources: sources).first)
        XCTAssertTrue(e.path.hasSuffix("/TverskyLoss.swift"), e.path)
    }

    /// A passing run of the prose's gradient checks is kept under what the prose was read from (in a
    /// build, ``SiteBuilder/DiscoveredSite/proseKey``: every byte of its files): the same key reads it
    /// back, another checks again. Without one, each file is read again for the key, so a line added
    /// above a section (which moves the places the entries give) checks again too.
    func testProseGradientChecksAreKeptUnderWhatTheProseWasReadFrom() throws {
        let folder = TemporaryFolder.path("gradient-checks")
        defer { TemporaryFolder.remove(folder) }
        let content = folder.appendingPathComponent("content")
        try SiteFixture.copyRepositoryProse(to: content, languages: ["en"])
        // One loss's prose (the others fall back to the binary's, which is not checked here): each run checks that one.
        let reference = content.appendingPathComponent("en/reference")
        for name in try FileManager.default.contentsOfDirectory(atPath: reference.path) where name != "l2.md" {
            try FileManager.default.removeItem(at: reference.appendingPathComponent(name))
        }
        let prose = try CatalogProse.load(contentDirectory: content, displayRoot: "content", languages: ["en"])
        let file = folder.appendingPathComponent("gradient-checks")
        let run = { (key: String) in
            CatalogGradientChecks.run(prose: prose, contentDirectory: content, macros: [:], cacheFile: file, fingerprint: "test", proseKey: key)
        }
        let first = run("prose A")
        XCTAssertFalse(first.cached)
        XCTAssertTrue(first.failures.isEmpty, "\(first.failures)")
        XCTAssertTrue(first.entries.contains { $0.loss == "l2" && $0.bound && $0.checked > 0 }, "\(first.entries)")
        let second = run("prose A")
        XCTAssertTrue(second.cached)
        XCTAssertEqual(second.entries, first.entries)
        XCTAssertFalse(run("prose B").cached)

        XCTAssertFalse(run("").cached)
        XCTAssertTrue(run("").cached)
        let l2 = content.appendingPathComponent("en/reference/l2.md")
        let text = try String(contentsOf: l2, encoding: .utf8)
        try text.replacingOccurrences(of: "\n## gradient\n", with: "\nA line above.\n\n## gradient\n").write(to: l2, atomically: true, encoding: .utf8)
        let moved = run("")
        XCTAssertFalse(moved.cached)
        XCTAssertEqual(moved.entries.map(\.tex), first.entries.map(\.tex))
        XCTAssertNotEqual(moved.entries.map(\.line), first.entries.map(\.line))
    }

    /// The binary's own checks keep their passing runs per user (``SiteBuilder/binaryChecksFolder(_:)``),
    /// not in the project's cache folder: a project whose cache is deleted does not verify the same
    /// binary again; `--no-cache` keeps nothing; an unusable per-user folder falls back to the project's.
    func testTheBinarysChecksAreKeptPerUserNotInTheProjectCache() async throws {
        let fixture = try SiteFixture("basic")
        let checks = TemporaryFolder.path("binary-checks")
        defer { fixture.remove(); TemporaryFolder.remove(checks); unsetenv("LOSSBOOK_CHECKS") }
        setenv("LOSSBOOK_CHECKS", checks.path, 1)
        let options = fixture.options()
        XCTAssertEqual(SiteBuilder.binaryChecksFolder(options)?.path, checks.path)
        try await SiteBuilder.build(options)
        let kept = { (folder: URL) in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("formula-checks-") } }
        XCTAssertEqual(kept(checks).count, 1)
        let cache = options.cacheDirectory!
        XCTAssertEqual(kept(cache), [])

        XCTAssertNil(SiteBuilder.binaryChecksFolder(fixture.options(cache: false)), "--no-cache keeps nothing")
        let file = checks.appendingPathComponent("a-file")
        try Data().write(to: file)
        setenv("LOSSBOOK_CHECKS", file.path, 1)
        XCTAssertEqual(SiteBuilder.binaryChecksFolder(options)?.path, cache.path, "a per-user folder that cannot be made")
        unsetenv("LOSSBOOK_CHECKS")
        let home = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0).appendingPathComponent("lossbook/checks") }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache/lossbook/checks")
        XCTAssertEqual(SiteBuilder.binaryChecksFolder(options)?.standardizedFileURL.path, home.standardizedFileURL.path)
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
        XCTAssertTrue(inventory.catalog.contains { $0.place == "catalog iou #1" && $0.status == .checked })
        XCTAssertTrue(inventory.catalog.contains { $0.place == "catalog asymmetric #1" && $0.status == .checked })
        XCTAssertTrue(inventory.catalog.contains { $0.place == "catalog ssim #0" && $0.status == .checked })
        XCTAssertTrue(inventory.catalog.contains { $0.place == "catalog ctc #0" && $0.status == .checked })
        // Every catalog formula is bound, checked or marked (issue 16's goal for the catalog).
        XCTAssertEqual(inventory.catalog.filter { $0.place.hasPrefix("catalog ") && $0.status == .unbound }.map(\.place), [])
        XCTAssertTrue(inventory.catalog.contains { $0.place == "catalog perceptual #1" && $0.status == .notation })
        XCTAssertTrue(inventory.catalog.contains { $0.place == "catalog masked-dice #1" && $0.status == .notation })
        let notes = inventory.notes.filter { $0.place.contains("content/en/f.md") }
        XCTAssertEqual(notes.map(\.status), [.checked, .unbound], "\(notes.map(\.place))")
        XCTAssertEqual(notes.first?.place.hasSuffix("f.md:7:1"), true, "\(notes.map(\.place))")
    }

    /// A `formula` block with `notation:` or `paper:` and a reason is shown without the mark and
    /// listed under its kind with the reason; without a reason the build fails at that line.
    func testNotationBlocksAreListedNotChecked() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let page = "---\ntitle: F\n---\n\n## Notes\n\n```formula\nE = mc^2\nnotation: physics, not a loss\n```\n\n"
            + "```formula\nL = 1 - D\npaper: the paper's form\n```\n"
        try fixture.write(page, to: "content/en/f.md")
        let inventory = try await SiteBuilder.formulaInventory(fixture.options(write: false))
        XCTAssertTrue(inventory.diagnostics.isEmpty, "\(inventory.diagnostics)")
        let notes = inventory.notes.filter { $0.place.contains("content/en/f.md") }
        XCTAssertEqual(notes.map(\.status), [.notation, .paper], "\(notes.map(\.place))")
        XCTAssertEqual(notes.first?.detail, "notation: physics, not a loss")
        XCTAssertTrue(inventory.lines.last?.contains("1 notation, 1 paper forms") == true, inventory.lines.last ?? "")
        try await fixture.build()
        let html = try fixture.read("en/f/index.html")
        XCTAssertTrue(html.contains("class=\"katex"), "the formula is typeset")
        XCTAssertFalse(html.contains("formula-checked"), "no checked mark")
        XCTAssertFalse(html.contains("physics, not a loss"), "the reason is for the inventory, not the reader")

        try fixture.write(page.replacingOccurrences(of: "notation: physics, not a loss", with: "notation:"), to: "content/en/f.md")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.map(\.line), [9], "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.message.contains("needs a reason") == true, "\(diagnostics)")
    }

    // MARK: - The notes' own notation (Ma et al.'s s_i^c, g_i^c) and gradient formulas

    /// Cross entropy in Ma et al.'s notation, then its gradient with respect to the logits; the
    /// value formula's TeX is on line 6, the gradient's on line 18.
    static func maNotation(gradient: String = #"\frac{\partial L_{CE}}{\partial z_i^j} = \frac{1}{N}\left(s_i^j - g_i^j\right)"#,
                           value: String = #"L_{CE} = -\frac{1}{N}\sum_{i=1}^{N}\sum_{c=1}^{C} g_i^c \log s_i^c = -\frac{1}{N}\sum_{i=1}^{N} \log p_{t,i}"#) -> String {
        """
        ---
        title: CE
        ---

        ```formula
        \(value)
        check: cross-entropy
        where:
          s_i^c: probability
          g_i^c: target one-hot
          y_i: target index
          p_{t,i}: = s_i^{y_i}
          N: size i
          C: size c
        ```

        ```formula
        \(gradient)
        check: cross-entropy
        gradient: i, j=c
        where:
          s_i^c: probability
          g_i^c: target one-hot
          N: size i
        ```

        """
    }

    func testNotesNotationBindsValueAndGradient() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(Self.maNotation(), to: "content/en/ce.md")
        try await fixture.build()
        let html = try fixture.read("en/ce/index.html")
        XCTAssertTrue(html.contains("equals the analytic gradient of cross-entropy"), "the gradient's mark")
        XCTAssertTrue(html.contains("equals cross-entropy of Losses"), "the value's mark")
        XCTAssertEqual(html.components(separatedBy: "class=\"katex-display").count - 1, 2, "both formulas typeset as display maths")
    }

    func testMutatedNotationFormulasFailAtTheirLines() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        // The gradient without its 1/N; the value with the true-class probability of the wrong sample.
        try fixture.write(Self.maNotation(gradient: #"\frac{\partial L_{CE}}{\partial z_i^j} = s_i^j - g_i^j"#), to: "content/en/ce.md")
        var diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.map(\.line), [18], "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.message.contains("the gradient formula disagrees with 'cross-entropy'") == true, "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.message.contains("gradient element (i=") == true, "names the element: \(diagnostics)")

        // The index superscript beside a power: (s_i^c)^2 squares the probability, and the log doubles.
        try fixture.write(Self.maNotation(value: #"L_{CE} = -\frac{1}{N}\sum_{i=1}^{N}\sum_{c=1}^{C} g_i^c \log (s_i^c)^2 = -\frac{1}{N}\sum_{i=1}^{N} \log p_{t,i}"#),
                          to: "content/en/ce.md")
        diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.map(\.line), [6], "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.message.contains("the formula disagrees with 'cross-entropy'") == true, "\(diagnostics)")
    }

    // MARK: - Claims on plots: series of one block compared across losses

    static func plot(_ claims: [String], target: String = "0 1 1 0") -> String {
        "---\ntitle: P\n---\n\n```loss-plot\nlosses: [generalized-dice, penalty-generalized-dice]\nmask:\n  target: |\n    \(target)\n"
            + "x: {s: [0, 1]}\npoints: 11\nclaims:\n" + claims.map { "  - \($0)\n" }.joined() + "```\n"
    }

    func testPlotClaimsCompareSeries() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write(Self.plot(["penalty-generalized-dice <= generalized-dice for all s",
                                     "penalty-generalized-dice at s=0.5 < generalized-dice at s=0.5", "decreasing in s"]),
                          to: "content/en/p.md")
        try await fixture.build()
        // Claims on line 12 onwards.
        try fixture.write(Self.plot(["penalty-generalized-dice >= generalized-dice for all s", "increasing in s",
                                     "generalized-dice at s=0.3 > 1"]),
                          to: "content/en/p.md")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.map(\.line), [13, 14, 15], "\(diagnostics)")
        guard diagnostics.count == 3 else { return }
        // Already at s = 0, where the smoothing leaves penalty GD a hair below GD.
        XCTAssertTrue(diagnostics[0].message.contains("false at s = 0:"), diagnostics[0].message)
    }

    /// A claim that holds for one example input fails at its own line once the input changes.
    func testClaimFailsWhenTheExampleInputChanges() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        func table(outlier: String) -> String {
            "---\ntitle: T\n---\n\n```loss-table l2\ncases:\n  - label: small\n    input: [0.2, -0.1]\n    target: [0, 0]\n"
                + "  - label: outlier\n    input: [0.2, \(outlier)]\n    target: [0, 0]\nclaims:\n  - outlier > small\n  - small > 0\n```\n"
        }
        try fixture.write(table(outlier: "4.0"), to: "content/en/t.md")
        try await fixture.build()
        try fixture.write(table(outlier: "0.05"), to: "content/en/t.md")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.map(\.line), [14], "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.message.contains("claim 'outlier > small': false") == true, "\(diagnostics)")
    }

    /// One table, two predictions of one target: claims compare them across the columns, and
    /// fail at their line once a prediction changes.
    func testClaimsAcrossPredictions() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        func table(_ b: String) -> String {
            "---\ntitle: T\n---\n\n```loss-table\nlosses: [dice, iou]\nparams: {include_background: false}\nmask:\n  target: |\n    0 1 1 0\n"
                + "  predictions:\n    A: |\n      0.1 0.9 0.9 0.1\n    B: |\n      \(b)\nclaims:\n  - dice(A) < dice(B)\n  - iou(A) < iou(B)\n```\n"
        }
        // The rows link to the losses' reference pages.
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
        try fixture.write(table("0.4 0.6 0.6 0.4"), to: "content/en/t.md")
        try await fixture.build()
        let html = try fixture.read("en/t/index.html")
        XCTAssertTrue(html.contains("<th") && html.contains(">A<") && html.contains(">B<"), "the predictions head the columns")
        try fixture.write(table("0.1 0.9 0.9 0.1"), to: "content/en/t.md")
        let diagnostics = await fixture.failures()
        XCTAssertEqual(diagnostics.map(\.line), [17, 18], "\(diagnostics)")
        XCTAssertTrue(diagnostics.first?.message.contains("claim 'dice(A) < dice(B)': false") == true, "\(diagnostics)")
    }
}
