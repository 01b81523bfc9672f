import XCTest
import _TestSupport
import Losses
@testable import Site

/// Catalog prose (`content/<lang>/reference/`): loaded and checked, missing text a warning that
/// names the file to write, unknown entries positioned errors, any number of languages without a
/// Swift change, tracked as translations, and never a reason to re-run an executed block.
final class CatalogProseTests: XCTestCase {
    /// A scratch content folder with the repository's prose for `languages` and the given config.
    func scratch(languages: [String] = ["zh", "en"], proseFor: [String] = ["zh", "en"]) throws -> URL {
        let root = TemporaryFolder.path("prose")
        let content = root.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        var config = "languages:\n"
        for code in languages { config += "  - code: \(code)\n    name: \(code.uppercased())\n    title: Test \(code)\n" }
        try config.write(to: content.appendingPathComponent("lossbook.yaml"), atomically: true, encoding: .utf8)
        try SiteFixture.copyRepositoryProse(to: content, languages: proseFor)
        return content
    }

    func load(_ content: URL, languages: [String] = ["zh", "en"]) throws -> CatalogProse {
        try CatalogProse.load(contentDirectory: content, displayRoot: "content", languages: languages)
    }

    func errors(_ content: URL) -> [Diagnostic] {
        do {
            _ = try load(content)
            return []
        } catch let failure as BuildFailure {
            return failure.diagnostics
        } catch {
            return [Diagnostic("?", stage: .execute, "\(error)")]
        }
    }

    func write(_ text: String, _ path: String, in content: URL) throws {
        try text.write(to: content.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    func testTheRepositorysProseIsCompleteInEveryLanguage() throws {
        let prose = try load(SiteFixture.repository.appendingPathComponent("content"))
        XCTAssertEqual(prose.warnings.map(\.description), [])
        func hasChinese(_ s: String) -> Bool { s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
        func assertComplete(_ item: CatalogProse.Item, _ id: String) {
            let zh = prose.text(item, of: id, in: "zh"), en = prose.text(item, of: id, in: "en")
            XCTAssertFalse(zh.isFallback || en.isFallback, "\(id) \(item)")
            XCTAssertTrue(hasChinese(zh.text), "\(id) \(item): zh has no Chinese text")
            XCTAssertFalse(en.text.trimmingCharacters(in: .whitespaces).isEmpty, "\(id) \(item): empty en")
            XCTAssertFalse(en.text.contains("\\\\"), "\(id) \(item): LaTeX is written with single backslashes")
        }
        for d in Catalog.descriptors {
            for item in [CatalogProse.Item.title, .input, .gradient, .notes] { assertComplete(item, d.id) }
            for p in d.parameters { assertComplete(.parameter(p.name), d.id) }
            for peer in d.peers { assertComplete(.peer(library: peer.library, call: peer.call), d.id) }
        }
        for category in LossCategory.allCases {
            XCTAssertTrue(hasChinese(prose.category(category, in: "zh").text), category.rawValue)
            XCTAssertFalse(prose.category(category, in: "en").isFallback, category.rawValue)
        }
        XCTAssertEqual(prose.text(.title, of: "dice", in: "en").text, "Dice loss")
        XCTAssertTrue(prose.text(.gradient, of: "dice", in: "en").text.hasPrefix("With $I = \\sum_i p_i g_i$"))
    }

    func testMissingFileAndEntryWarnNamingTheFileAndFallBack() throws {
        let content = try scratch()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        try FileManager.default.removeItem(at: content.appendingPathComponent("en/reference/dice.md"))
        let focal = try String(contentsOf: content.appendingPathComponent("en/reference/focal.md"), encoding: .utf8)
        let withoutGamma = focal.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("  gamma:") }
        XCTAssertEqual(withoutGamma.count + 1, focal.split(separator: "\n", omittingEmptySubsequences: false).count)
        try write(withoutGamma.joined(separator: "\n"), "en/reference/focal.md", in: content)

        let prose = try load(content)
        XCTAssertEqual(prose.warnings.map(\.description).sorted(), [
            "content/en/reference/dice.md:1:1: warning: no en text for loss 'dice' (hint: write content/en/reference/dice.md (translate content/zh/reference/dice.md); until then the page shows the zh text)",
            "content/en/reference/focal.md:1:1: warning: no parameter 'gamma' for loss 'focal' (hint: add it to content/en/reference/focal.md or content/en/reference/_catalog.md; until then the page shows the zh text)",
        ])
        XCTAssertEqual(prose.text(.title, of: "dice", in: "en"), CatalogProse.Text(text: "Dice 损失", isFallback: true))
        XCTAssertTrue(prose.text(.parameter("gamma"), of: "focal", in: "en").isFallback)
        XCTAssertFalse(prose.text(.parameter("alpha"), of: "focal", in: "en").isFallback)
    }

    func testUnknownParameterIsAPositionedErrorWithAHint() throws {
        let content = try scratch()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        try write("---\ntitle: Focal loss\nparameters:\n  gama: focusing parameter\n---\n\n## input\n\nx\n", "en/reference/focal.md", in: content)
        XCTAssertEqual(errors(content).map(\.description),
                       ["content/en/reference/focal.md:4:3: error: loss 'focal' has no parameter 'gama' (hint: did you mean 'gamma'?)"])
    }

    func testUnknownLossPeerSectionAndSharedEntriesAreErrors() throws {
        let content = try scratch()
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        try write("---\ntitle: x\n---\n", "en/reference/dicee.md", in: content)
        try write("---\ntitle: L1\npeers:\n  - library: pytorch\n    call: torch.nn.L1Los(reduction=r)\n    note: same\n---\n", "en/reference/l1.md", in: content)
        try write("---\ntitle: L2\n---\n\n## gradeint\n\nx\n", "en/reference/l2.md", in: content)
        try write("---\ncategories:\n  regresion: Regression\nparameters:\n  reduction: how\n---\n", "en/reference/_catalog.md", in: content)
        XCTAssertEqual(errors(content).map(\.description), [
            "content/en/reference/_catalog.md:3:3: error: no category 'regresion' (hint: did you mean 'regression'?)",
            "content/en/reference/dicee.md:1:1: error: no loss 'dicee' in the catalog (hint: did you mean dice.md?)",
            "content/en/reference/l1.md:5:11: error: loss 'l1' has no peer 'pytorch' 'torch.nn.L1Los(reduction=r)' (hint: did you mean 'torch.nn.L1Loss(reduction=r)'?)",
            "content/en/reference/l2.md:5:4: error: unknown section '## gradeint' (hint: did you mean '## gradient'?)",
        ])
    }

    func testProseFilesAreTrackedAsTranslationsAndNeverPublished() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.copyRepositoryProse()
        var status = try TranslationStatus.load(contentDirectory: fixture.content)
        XCTAssertEqual(status.entries.first { $0.path == "reference/dice.md" }?.state, .current)
        XCTAssertEqual(status.entries.first { $0.path == "reference/_catalog.md" }?.state, .current)

        // A change to the source makes the translation stale, and stamping makes it current again.
        let source = fixture.content.appendingPathComponent("zh/reference/dice.md")
        try (try String(contentsOf: source, encoding: .utf8) + "\n新增的一句。\n").write(to: source, atomically: true, encoding: .utf8)
        status = try TranslationStatus.load(contentDirectory: fixture.content)
        guard case .stale? = status.entries.first(where: { $0.path == "reference/dice.md" })?.state else {
            return XCTFail("en/reference/dice.md should be stale")
        }
        let report = try await fixture.build()
        XCTAssertTrue(report.warnings.contains { $0.path.hasSuffix("/en/reference/dice.md") && $0.message.hasPrefix("translation is older") })
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("en/reference").path),
                       "prose files are not pages (and reference pages are off in this fixture)")
        try TranslationStatus.stamp(fixture.content.appendingPathComponent("en/reference/dice.md").path, contentDirectory: fixture.content)
        status = try TranslationStatus.load(contentDirectory: fixture.content)
        XCTAssertEqual(status.entries.first { $0.path == "reference/dice.md" }?.state, .current)
    }

    /// Descriptions, gradients and notes are in no execution-cache key; a loss's name is in the key
    /// of the blocks that name the loss (they may label a series or a column with it).
    func testEditingProseReRunsNoExecutedBlock() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.copyRepositoryProse()
        try fixture.write("---\ntitle: Plot\n---\n\n```loss-plot focal\nx: {p: [0.1, 0.9]}\n```\n\n```loss-table focal\nvary: {p: [0.5]}\n```\n",
                          to: "content/en/plot.md")
        var first = fixture.options()
        first.lossSources = SiteFixture.repository.appendingPathComponent("Sources/Losses")
        first.referenceSources = SiteFixture.repository.appendingPathComponent("Sources/LossReference")
        let cold = try await SiteBuilder.build(first)
        XCTAssertGreaterThan(cold.executedBlocks, 0)
        XCTAssertTrue(try fixture.read("en/plot/index.html").contains("Focal loss"))

        let path = fixture.content.appendingPathComponent("en/reference/focal.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        try text.replacingOccurrences(of: "## gradient\n\n", with: "## gradient\n\nEdited. ").write(to: path, atomically: true, encoding: .utf8)
        let edited = try await SiteBuilder.build(first)
        XCTAssertEqual(edited.executedBlocks, 0)

        try text.replacingOccurrences(of: "title: Focal loss", with: "title: Focal loss (renamed)").write(to: path, atomically: true, encoding: .utf8)
        let renamed = try await SiteBuilder.build(first)
        XCTAssertEqual(renamed.executedBlocks, 2, "the blocks that name the renamed loss")
        XCTAssertTrue(try fixture.read("en/plot/index.html").contains("Focal loss (renamed)"))
    }

    /// A mistake in the prose does not hide the notes' mistakes: the run reports both, and links to
    /// the reference pages it could not make are not called broken. Mended, the site builds.
    func testAMistakeInTheProseIsReportedWithTheNotesMistakes() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.copyRepositoryProse()
        try edit(fixture, "lossbook.yaml", "reference_pages: false", "reference_pages: true")
        let prose = fixture.content.appendingPathComponent("en/reference/focal.md")
        let text = try String(contentsOf: prose, encoding: .utf8)
        XCTAssertTrue(text.contains("\nparameters:\n"))
        try text.replacingOccurrences(of: "\nparameters:\n", with: "\nparameters:\n  gama: focusing parameter\n")
            .write(to: prose, atomically: true, encoding: .utf8)
        try fixture.write("---\ntitle: Links\n---\n\nSee [Dice](ref:dice#formula), [its page](reference/dice.md#parameters) "
                          + "and [the index](reference/index.md).\n\nA broken formula $\\frac{1}{$ here.\n", to: "content/en/links.md")
        let failures = await fixture.failures()
        XCTAssertTrue(failures.contains { $0.path.hasSuffix("content/en/reference/focal.md") && $0.message.contains("no parameter 'gama'") },
                      "\(failures.map(\.description))")
        XCTAssertTrue(failures.contains { $0.path.hasSuffix("content/en/links.md") && $0.message.contains("KaTeX parse error") },
                      "\(failures.map(\.description))")
        XCTAssertEqual(failures.filter { $0.stage == .links }.map(\.description), [])
        XCTAssertEqual(failures.count, 2, "\(failures.map(\.description))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.output.path), "nothing written")

        try text.write(to: prose, atomically: true, encoding: .utf8)
        try fixture.write("---\ntitle: Links\n---\n\nSee [Dice](ref:dice), [its page](reference/dice.md) and [the index](reference/index.md).\n",
                          to: "content/en/links.md")
        let report = try await fixture.build()
        XCTAssertGreaterThan(report.pages, 40)
        XCTAssertTrue(try fixture.read("en/links/index.html").contains("reference/dice/"))
    }

    /// A third language needs text files and UI strings only: its reference pages build, showing
    /// the source language's text under a notice, and every missing file is named.
    func testAThirdLanguageBuildsWithFallbackNotices() async throws {
        let content = try scratch(languages: ["zh", "en", "fr"])
        let root = content.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: root) }
        for code in ["zh", "en", "fr"] {
            try FileManager.default.createDirectory(at: content.appendingPathComponent(code), withIntermediateDirectories: true)
            try write("---\ntitle: Home \(code)\n---\n\nHello.\n", "\(code)/index.md", in: content)
        }
        // fr: one loss translated, with one parameter still missing.
        try FileManager.default.createDirectory(at: content.appendingPathComponent("fr/reference"), withIntermediateDirectories: true)
        try write("---\ntitle: Perte L1\n---\n\n## input\n\nEntrée.\n\n## gradient\n\nGradient.\n\n## notes\n\nNotes.\n", "fr/reference/l1.md", in: content)

        let templates = root.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: SiteFixture.repository.appendingPathComponent("templates"), to: templates)
        let strings = try String(contentsOf: templates.appendingPathComponent("strings.yaml"), encoding: .utf8)
        let english = try XCTUnwrap(strings.range(of: "\nen:\n"))
        let fr = "\nfr:\n" + strings[english.upperBound...].replacingOccurrences(of: "Part of this page", with: "Une partie de cette page")
        try (strings + fr).write(to: templates.appendingPathComponent("strings.yaml"), atomically: true, encoding: .utf8)

        var options = BuildOptions(contentDirectory: content, templatesDirectory: templates,
                                   outputDirectory: root.appendingPathComponent("site"), cacheDirectory: nil)
        options.lossSources = SiteFixture.repository.appendingPathComponent("Sources/Losses")
        options.referenceSources = SiteFixture.repository.appendingPathComponent("Sources/LossReference")
        let report = try await SiteBuilder.build(options)

        let warned = Set(report.warnings.filter { $0.stage == .reference }.map { String($0.path.dropFirst(root.path.count + 1)) })
        XCTAssertTrue(warned.contains("content/fr/reference/dice.md"))
        XCTAssertTrue(warned.contains("content/fr/reference/_catalog.md"))
        XCTAssertTrue(warned.contains("content/fr/reference/l1.md"), "l1 lacks the reduction description in fr")
        XCTAssertFalse(warned.contains { $0.contains("/zh/") || $0.contains("/en/") })

        func read(_ path: String) throws -> String {
            try String(contentsOf: root.appendingPathComponent("site/\(path)"), encoding: .utf8)
        }
        let dice = try read("fr/reference/dice/index.html")
        XCTAssertTrue(dice.contains("<p class=\"notice\" role=\"note\">Une partie de cette page"), "fallback notice")
        XCTAssertTrue(dice.contains("Dice 损失"), "the zh name stands in")
        let l1 = try read("fr/reference/l1/index.html")
        XCTAssertTrue(l1.contains("Perte L1") && l1.contains("Entrée."))
        XCTAssertTrue(l1.contains("<p class=\"notice\" role=\"note\">"), "the reduction description falls back")
        XCTAssertFalse(try read("en/reference/dice/index.html").contains("<p class=\"notice\" role=\"note\">"))
        XCTAssertTrue(try read("fr/reference/index.html").contains("href=\"dice/index.html\""))
    }

    /// The prose's own trimming gives what Foundation's `trimmingCharacters(in: .whitespaces)` gives.
    func testTrimmingSpacesIsFoundationsWhitespaceTrimming() {
        let pieces = ["", " ", "\t", "\u{3000}", "\u{00A0}", "\u{2009}", "\n", "\r", "a", "é", "e\u{301}", "中文", "## x", "\u{200B}", "\u{FEFF}", "\u{301}"]
        var compared = 0
        for a in pieces { for b in pieces { for c in pieces {
            let text = a + b + c
            let line = Substring("x\u{0}" + text + "\u{0}y").dropFirst(2).dropLast(2) // a slice of a longer text (NUL, a control, breaks characters on both sides)
            XCTAssertEqual(String(CatalogProse.trimmingSpaces(line)), text.trimmingCharacters(in: .whitespaces), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            compared += 1
        } } }
        XCTAssertEqual(compared, pieces.count * pieces.count * pieces.count)
    }
}
