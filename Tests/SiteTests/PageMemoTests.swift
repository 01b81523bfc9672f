import Foundation
import XCTest
import Losses
@testable import Site

/// `lossbook build`'s pages kept in the cache folder (``PageMemo``): a build in a new process
/// after an edit renders only the pages whose inputs changed, and writes, byte for byte, the site
/// a fresh `--no-cache` build of the edited content writes; a failed build leaves the site and
/// the memo as they were, and a memo that cannot be read is ignored.
final class PageMemoTests: XCTestCase {
    func testAProseEditRendersOnePageAndWritesWhatAFreshBuildWrites() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        let first = try await SiteBuilder.build(options)
        XCTAssertEqual(first.reusedPages, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.memo(options).path))
        XCTAssertEqual(try Self.memoFiles(options).keys.filter { $0.split(separator: "/").last!.hasPrefix(".") }, [], "no temporary file left")

        try edit(fixture, "zh/focal.md", "焦点损失为", "焦点损失（修订）为")
        let second = try await SiteBuilder.build(options)
        XCTAssertEqual(second.reusedPages, second.pages - 1, "only the edited page is rendered again")
        XCTAssertEqual(second.parses, 1)
        XCTAssertTrue(try fixture.read("zh/focal/index.html").contains("焦点损失（修订）为"))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// With the reference pages too (generated after the notes, each typeset page kept under the
    /// notes that mention its loss): after a prose edit the kept notes and reference pages are
    /// taken from the memo, each as its own page, no draft decoded, and the site is a fresh
    /// build's. A note that comes to mention a loss has that loss's page (its draft alone)
    /// decoded and filled in again.
    func testAProseEditWithReferencePagesWritesWhatAFreshBuildWrites() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
        let options = Self.keeping(fixture.options())
        let first = try await SiteBuilder.build(options)
        XCTAssertGreaterThan(first.pages, 2 * Catalog.ids.count, "a reference page for every loss in both languages, and the notes")
        try edit(fixture, "zh/focal.md", "焦点损失为", "焦点损失（修订）为")
        let second = try await SiteBuilder.build(options)
        XCTAssertEqual(second.reusedPages, second.pages - 1, "the reference pages and the other notes kept")
        XCTAssertEqual(second.parses, 1)
        XCTAssertEqual(second.keptDraftsRead, 0, "every kept page built from its typeset page")
        try await assertSameAsFreshBuild(fixture, options)
        // A link to a loss's page: that page lists the note now, the other kept pages stay as they were.
        XCTAssertFalse(try fixture.read("zh/reference/dice/index.html").contains("焦点损失"))
        try edit(fixture, "zh/focal.md", "焦点损失（修订）为", "焦点损失（见 [Dice](ref:dice)）为")
        let third = try await SiteBuilder.build(options)
        XCTAssertEqual(third.parses, 1)
        XCTAssertEqual(third.keptDraftsRead, 1, "the Chinese Dice page's draft, its mentions filled in again")
        XCTAssertTrue(try fixture.read("zh/reference/dice/index.html").contains("焦点损失"))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// The drafts and typeset pages the memo keeps carry no markdown: a parsed page's body is dropped
    /// (``SourcePage/forgetBody(parsed:)``) before it is kept, so no memo file holds a note's text,
    /// neither after a full build nor after a prose edit; a kept page's small body, still held in
    /// memory, is not written either.
    func testMemoFilesHoldNoNoteBody() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        let marker = "UNIQUEPROSEMARKER"
        try edit(fixture, "zh/focal.md", "焦点损失为", "焦点损失为 **\(marker)0** ")
        try await SiteBuilder.build(options)
        func memoText() throws -> String {
            try Self.memoFiles(options).values.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        }
        // The marker is in the page's HTML (`<strong>`), kept in its memo file; the markdown
        // (`**` around it) is not.
        XCTAssertTrue(try memoText().contains("<strong>\(marker)0</strong>"), "the page is kept")
        XCTAssertFalse(try memoText().contains("**\(marker)0**"), "no memo file holds the note's markdown")
        try edit(fixture, "zh/focal.md", "\(marker)0", "\(marker)1")
        let second = try await SiteBuilder.build(options)
        XCTAssertEqual(second.parses, 1)
        XCTAssertTrue(try memoText().contains("<strong>\(marker)1</strong>"), "the edited page is kept")
        XCTAssertFalse(try memoText().contains("**\(marker)1**"), "no memo file holds the edited note's markdown")
        XCTAssertFalse(try memoText().contains("**\(marker)"), "nor the markdown of the page before the edit")
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A deleted note, a new note, a changed `lossbook.yaml` and a changed template each change
    /// the site's shape: the build after each writes what a fresh build of that content writes.
    func testDeletedAndNewNotesConfigurationAndTemplateChangesGiveAFreshBuildsSite() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let templates = fixture.root.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: SiteFixture.repository.appendingPathComponent("templates"), to: templates)
        var options = Self.keeping(fixture.options())
        options.templatesDirectory = templates
        try await SiteBuilder.build(options)

        try fixture.write("---\ntitle: New page\n---\n\nA new page, $x^2$.\n", to: "content/en/new-page.md")
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read("en/new-page/index.html").contains("A new page"))
        try await assertSameAsFreshBuild(fixture, options)

        try fixture.write("---\ntitle: Gone soon\n---\n\nA page to delete.\n", to: "content/zh/gone.md")
        try await SiteBuilder.build(options)
        try FileManager.default.removeItem(at: fixture.content.appendingPathComponent("zh/gone.md"))
        try await SiteBuilder.build(options)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("zh/gone/index.html").path))
        try await assertSameAsFreshBuild(fixture, options)

        let config = fixture.content.appendingPathComponent("lossbook.yaml")
        let yaml = try String(contentsOf: config, encoding: .utf8)
        let title = try XCTUnwrap(yaml.split(separator: "\n").first { $0.contains("title:") })
        try yaml.replacingOccurrences(of: title, with: title + " (renamed)").write(to: config, atomically: true, encoding: .utf8)
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read("zh/index.html").contains("(renamed)"))
        try await assertSameAsFreshBuild(fixture, options)

        let page = templates.appendingPathComponent("page.mustache")
        let template = try String(contentsOf: page, encoding: .utf8)
        let marker = "<!-- template edited -->"
        try template.replacingOccurrences(of: "</body>", with: marker + "</body>").write(to: page, atomically: true, encoding: .utf8)
        let rebuilt = try await SiteBuilder.build(options)
        XCTAssertEqual(rebuilt.reusedPages, 0, "a template is part of every page's inputs")
        XCTAssertTrue(try fixture.read("en/new-page/index.html").contains(marker))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// The memo folder holds one file per page of the site, as a fresh build's does: a deleted
    /// page's file is removed, and so is a file no page reads (another key, damaged), even by a
    /// prose edit's save, which otherwise leaves the folder unlisted against the pages (``PageMemo/save(_:)``).
    func testTheMemoHoldsTheFilesOfTheSitesPagesAlone() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try fixture.write("---\ntitle: Gone soon\n---\n\nA page to delete.\n", to: "content/zh/gone.md")
        try await SiteBuilder.build(options)
        func names(_ options: BuildOptions) throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: Self.memo(options).path))
        }
        func freshNames() async throws -> Set<String> {
            var fresh = options
            fresh.cacheDirectory = fixture.root.appendingPathComponent("fresh-cache")
            fresh.outputDirectory = fixture.root.appendingPathComponent("fresh-site")
            try? FileManager.default.removeItem(at: fresh.cacheDirectory!)
            try? FileManager.default.removeItem(at: fresh.outputDirectory)
            try await SiteBuilder.build(fresh)
            return try names(fresh)
        }

        try FileManager.default.removeItem(at: fixture.content.appendingPathComponent("zh/gone.md"))
        try await SiteBuilder.build(options)
        var expected = try await freshNames()
        XCTAssertEqual(try names(options), expected, "the deleted page's file is removed")

        let stray = Self.memo(options).appendingPathComponent(PageMemo.fileName("no page has this key"))
        try Data("damaged".utf8).write(to: stray)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        let edited = try await SiteBuilder.build(options)
        XCTAssertEqual(edited.reusedPages, edited.pages - 1)
        expected = try await freshNames()
        XCTAssertEqual(try names(options), expected, "the stray file is removed")
    }

    /// A build that fails writes neither the site nor the memo; the build after the mistake is
    /// fixed still reuses the pages the memo kept.
    func testAFailedBuildLeavesTheSiteAndTheMemoAsTheyWere() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        let site = try fixture.snapshot()
        let memo = try Self.memoFiles(options)
        XCTAssertFalse(memo.isEmpty)

        try edit(fixture, "en/focal.md", "](index.md)", "](index.md#no-such-heading)")
        do {
            try await SiteBuilder.build(options)
            XCTFail("a link to a missing heading must fail the build (at the link check, after every page was rendered)")
        } catch is BuildFailure {}
        XCTAssertEqual(try fixture.snapshot(), site, "site/ is untouched")
        XCTAssertEqual(try Self.memoFiles(options), memo, "the memo is untouched")

        try edit(fixture, "en/focal.md", "](index.md#no-such-heading)", "](index.md)")
        let fixed = try await SiteBuilder.build(options)
        XCTAssertEqual(fixed.reusedPages, fixed.pages, "every page as the memo kept it")
        XCTAssertEqual(try fixture.snapshot(), site)
    }

    /// A page file that cannot be decoded (cut short, garbage) is no error: that page is rendered again.
    func testACorruptMemoIsIgnored() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        let site = try fixture.snapshot()
        let files = try Self.memoFiles(options).keys.sorted().filter { $0 != PageMemo.fileName("note zh/focal.md") }
        XCTAssertGreaterThan(files.count, 2)
        let cut = Self.memo(options).appendingPathComponent(files[0])
        let bytes = try Data(contentsOf: cut)
        try bytes.prefix(bytes.count / 2).write(to: cut)
        try Data("not a memo".utf8).write(to: Self.memo(options).appendingPathComponent(files[1]))
        try edit(fixture, "zh/focal.md", "焦点损失为", "焦点损失（修订）为")
        let rebuilt = try await SiteBuilder.build(options)
        XCTAssertEqual(rebuilt.reusedPages, rebuilt.pages - 3, "the two unreadable pages and the edited one are rendered")
        XCTAssertNotEqual(try fixture.snapshot(), site)
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A page whose HTML is larger than ``PageMemo/largestKeptPage`` is not kept (its file costs
    /// more than it saves); once it is small again it is kept, and other pages are kept throughout.
    func testAVeryLargePageIsNotKept() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        let paragraph = "A long note about losses, written again and again to make one large page.\n\n"
        let body = String(repeating: paragraph, count: PageMemo.largestKeptPage / paragraph.utf8.count + 1)
        try fixture.write("---\ntitle: Big\n---\n\n" + body, to: "content/en/big.md")
        try await SiteBuilder.build(options)
        let big = PageMemo.fileName("note en/big.md")
        XCTAssertNil(try Self.memoFiles(options)[big], "a page this large is not kept")
        XCTAssertNotNil(try Self.memoFiles(options)[PageMemo.fileName("note zh/focal.md")])

        try fixture.write("---\ntitle: Big\n---\n\nSmall now.\n", to: "content/en/big.md")
        try await SiteBuilder.build(options)
        XCTAssertNotNil(try Self.memoFiles(options)[big], "kept once it is small")
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// Each limit is part of what every kept page depends on: raising any one of them alone gives
    /// the memo another identity (a page refused under a limit is made again under a higher one).
    func testEveryLimitIsPartOfTheMemosIdentity() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options()
        let config = try SiteConfig.load(contentDirectory: options.contentDirectory, displayPath: "content")
        let limits: [WritableKeyPath<Limits, Int>] = [\.noteBytes, \.tensorElements, \.blockEvaluations, \.yamlDepth, \.yamlNodes]
        XCTAssertEqual(limits.count, Limits.keys.count, "a limit missing from this test")
        var seen = [PageMemo.identity(options: options, config: config)]
        for limit in limits {
            var raised = config
            raised.limits[keyPath: limit] += 1
            let identity = PageMemo.identity(options: options, config: raised)
            XCTAssertFalse(seen.contains(identity), "\(limit)")
            seen.append(identity)
        }
    }

    /// Pages kept under another identity (here another `--base-url`; also another binary, KaTeX,
    /// macros, limits or folders) are not reused, and the memo is then written under the new one.
    func testPagesOfAnotherIdentityAreNotReused() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = Self.keeping(fixture.options())
        options.baseURL = "https://example.org/a/"
        try await SiteBuilder.build(options)
        options.baseURL = "https://example.org/b/"
        let other = try await SiteBuilder.build(options)
        XCTAssertEqual(other.reusedPages, 0)
        try edit(fixture, "zh/focal.md", "焦点损失为", "焦点损失（修订）为")
        let again = try await SiteBuilder.build(options)
        XCTAssertEqual(again.reusedPages, again.pages - 1, "kept under the new identity")
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// The search index is made from the entries the memo kept: a build in a new process writes
    /// the index a fresh build writes, and a page whose title changed gets a new entry.
    func testTheSearchIndexFromKeptEntriesIsAFreshBuilds() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = Self.keeping(fixture.options())
        options.templatesDirectory = SiteFixture.repository.appendingPathComponent("templates")
        try await SiteBuilder.build(options)
        let kept = try Self.memoFiles(options).values.compactMap { PageMemo.read($0) }
        XCTAssertFalse(kept.isEmpty)
        XCTAssertTrue(kept.allSatisfy { $0.typeset == nil || $0.search != nil }, "every typeset page keeps its search entry")

        try FileManager.default.removeItem(at: fixture.output) // else the build stamp finds nothing to do
        let again = try await SiteBuilder.build(options)
        XCTAssertEqual(again.reusedPages, again.pages)
        try await assertSameAsFreshBuild(fixture, options)

        try edit(fixture, "en/focal.md", "title: Focal loss", "title: Focal loss (retitled)")
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read(SearchIndex.path(language: "en")).contains("Focal loss (retitled)"))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A note kept with its typeset page is built from that page: its draft, still encoded, is
    /// never decoded (here it is another title's, which would show in every page's navigation, and
    /// the site is a fresh build's, with the same counts). So is a generated page's, kept as a
    /// note is (its mentions are filled in again only when the notes mentioning it change): a
    /// damaged one is read as kept, its draft never decoded.
    func testAKeptNoteIsBuiltFromItsTypesetPageWithoutDecodingItsDraft() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        let first = try await SiteBuilder.build(options)
        XCTAssertGreaterThan(first.formulas, 0)
        var notes: [String] = []
        for (name, bytes) in try Self.memoFiles(options) {
            guard var page = PageMemo.read(bytes), page.typeset != nil, var entry = page.entry else { continue }
            var draft = try XCTUnwrap(entry.draft.page)
            draft.title = "A title only the draft has"
            entry.draft = .encoded(ArraySlice(try CompactCoding.encode(draft)))
            page.entry = entry
            try Data(try XCTUnwrap(page.bytes())).write(to: Self.memo(options).appendingPathComponent(name))
            notes.append(page.key)
            // A damaged draft, as a generated page would be kept.
            entry.draft = .encoded([0xFF, 0x00, 0x01])
            page.entry = entry
            page.key = "generated " + page.key.dropFirst(SiteBuilder.sessionKeyOfANote.count)
            try Data(try XCTUnwrap(page.bytes())).write(to: Self.memo(options).appendingPathComponent(PageMemo.fileName(page.key)))
        }
        XCTAssertEqual(notes.count, first.pages)
        let config = try SiteConfig.load(contentDirectory: options.contentDirectory, displayPath: "content")
        let memo = try XCTUnwrap(PageMemo(options: options, config: config))
        let kept = memo.session().pages.kept
        XCTAssertEqual(Set(kept.keys), Set(notes + notes.map { "generated " + $0.dropFirst(SiteBuilder.sessionKeyOfANote.count) }))
        XCTAssertEqual(Set(kept.filter { $0.value.entry != nil }.keys), Set(kept.keys), "every page kept, its draft not decoded")

        try FileManager.default.removeItem(at: fixture.output) // else the build stamp finds nothing to do
        let again = try await SiteBuilder.build(options)
        XCTAssertEqual(again.reusedPages, again.pages)
        XCTAssertEqual(again.keptDraftsRead, 0)
        XCTAssertEqual(again.formulas, first.formulas)
        XCTAssertEqual(again.codeBlocks, first.codeBlocks)
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// Each kind of edit a note can take, one after another, each built in a new process's way
    /// (from the memo, the kept pages' HTML left in their files until read): a word, a title (every
    /// page's navigation, so every page is put into the theme again from its kept HTML), a heading
    /// (its anchor, the table of contents, the search entry, and a kept page's link to the old
    /// anchor, which fails the build as it fails a fresh one), a new link to an anchor, a
    /// translation stamped, its source edited (the translation stale: a notice on a page whose
    /// own inputs did not change), and a number typed in the prose (a warning). After each, the site
    /// and the warnings are a fresh build's.
    func testEachKindOfEditGivesAFreshBuildsSiteAndWarnings() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = Self.keeping(fixture.options())
        options.templatesDirectory = SiteFixture.repository.appendingPathComponent("templates")
        try await SiteBuilder.build(options)

        func rebuilt(_ what: String, reused: Int? = nil, line: UInt = #line) async throws {
            let report = try await SiteBuilder.build(options)
            if let reused { XCTAssertEqual(report.reusedPages, reused, what, line: line) }
            try await assertSameAsFreshBuild(fixture, options, line: line)
            var fresh = options
            fresh.keepsPages = false
            fresh.cacheDirectory = nil
            fresh.outputDirectory = fixture.root.appendingPathComponent("fresh")
            let expected = try await SiteBuilder.build(fresh)
            XCTAssertEqual(report.warnings.map(\.description), expected.warnings.map(\.description), what, line: line)
        }
        let pages = try await SiteBuilder.build(options).pages

        try edit(fixture, "en/focal.md", "it costs", "it always costs")
        try await rebuilt("a word", reused: pages - 1)
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("it always costs"))

        try edit(fixture, "en/focal.md", "title: Focal loss", "title: Focal loss, retitled")
        try await rebuilt("a title")
        XCTAssertTrue(try fixture.read("en/index.html").contains("Focal loss, retitled"), "in the home page's navigation")

        try edit(fixture, "en/focal.md", "## Gradient", "## Gradients")
        do {
            try await SiteBuilder.build(options)
            XCTFail("the home page, kept, links to the heading's old anchor")
        } catch let failure as BuildFailure {
            XCTAssertTrue(failure.diagnostics.contains { $0.path.hasSuffix("en/index.md") && $0.stage == .links }, "\(failure.diagnostics)")
        }
        try edit(fixture, "en/index.md", "focal.md#gradient", "focal.md#gradients")
        try await rebuilt("a heading and the link to it")

        try edit(fixture, "en/index.md", "Welcome.", "Welcome. Start at [the definition](focal.md#definition).")
        try await rebuilt("a link to an anchor")
        // The same link to an id the kept page lacks: the link check still looks at a kept page's
        // ids (left encoded until a link names one, ``RenderedPage/Outline``) and reports it.
        try edit(fixture, "en/index.md", "focal.md#definition", "focal.md#no-such-heading")
        do {
            try await SiteBuilder.build(options)
            XCTFail("the kept focal page has no id 'no-such-heading'")
        } catch let failure as BuildFailure {
            XCTAssertTrue(failure.diagnostics.contains { $0.path.hasSuffix("en/index.md") && $0.message.contains("no id 'no-such-heading'") },
                          "\(failure.diagnostics)")
        }
        try edit(fixture, "en/index.md", "focal.md#no-such-heading", "focal.md#definition")
        try await rebuilt("the link mended")

        // The English page recorded as translated from the Chinese one; the Chinese page's edit then
        // makes it stale (a notice on the English page, whose own inputs did not change).
        try TranslationStatus.stamp(fixture.content.appendingPathComponent("en/focal.md").path, contentDirectory: fixture.content)
        try await rebuilt("a translation stamped")
        try edit(fixture, "zh/focal.md", "## 定义", "## 定义（修订）")
        try await rebuilt("the source of a translation", reused: pages - 1)

        try edit(fixture, "en/focal.md", "it always costs", "its loss is 0.4321 and it always costs")
        try await rebuilt("a number in the prose")
    }

    /// A kept page's HTML is read from its memo file when first asked for: from the file read, or
    /// from one that replaced it holding the same page; a file replaced by another page's (other
    /// inputs) gives no HTML, and names the file in the misses the build checks before writing.
    func testAKeptPagesHTMLIsReadFromItsFileOrMissed() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        let (identity, path) = try Self.focalMemoFile(options)
        let whole = try XCTUnwrap(PageMemo.read(try Data(contentsOf: URL(fileURLWithPath: path))))
        let html = try XCTUnwrap(whole.typeset?.page.html.joined)
        XCTAssertTrue(html.contains("Focal loss is"))

        let misses = KeptHTML.Misses()
        let kept = try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: misses))
        XCTAssertEqual(kept.typeset?.page.html.joined, html, "read from the file")
        XCTAssertNil(PageMemo.read(file: path, identity: identity + "x", misses: misses), "another identity's")

        let replaced = try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: misses))
        try Data(try XCTUnwrap(whole.bytes())).write(to: URL(fileURLWithPath: path + ".new"))
        XCTAssertEqual(rename(path + ".new", path), 0)
        XCTAssertEqual(replaced.typeset?.page.html.joined, html, "the same page, from the file that replaced it")
        XCTAssertEqual(misses.all, [])

        let other = try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: misses))
        var changed = whole
        changed.typeset!.inputs += " changed"
        changed.typeset!.page.html = TypesetHTML("<p>another page</p>")
        try Data(try XCTUnwrap(changed.bytes())).write(to: URL(fileURLWithPath: path + ".new"))
        XCTAssertEqual(rename(path + ".new", path), 0)
        XCTAssertEqual(other.typeset?.page.readableHTML?.joined, nil, "another page's file")
        XCTAssertEqual(misses.all, [path])
    }

    /// A kept page's draft is left in its file after the summary (``PageMemo/KeptBytes``): read when a
    /// build first asks for it, from the file the memo read, or from a file that replaced it holding
    /// the same page; a file of another page gives no draft.
    func testAKeptPagesDraftIsReadFromItsFileWhenAskedFor() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        let (identity, path) = try Self.focalMemoFile(options)
        let whole = try XCTUnwrap(PageMemo.read(try Data(contentsOf: URL(fileURLWithPath: path))))
        let draft = try XCTUnwrap(whole.entry?.draft.page)
        XCTAssertTrue(draft.draft.html.contains("Focal loss is"))
        let summary = try XCTUnwrap(Int(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)).dropFirst(PageMemo.format.utf8.count + 1).prefix(16), as: UTF8.self), radix: 16))
        XCTAssertLessThan(summary, PageMemo.firstRead, "the summary, without the draft, is read in one read")

        let misses = KeptHTML.Misses()
        let kept = try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: misses))
        let entry = try XCTUnwrap(kept.entry)
        guard case .inFile = entry.draft else { return XCTFail("the draft stays in the file until asked for") }
        XCTAssertEqual(entry.draft.page?.draft.html, draft.draft.html, "read from the file")

        let replaced = try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: misses)?.entry)
        try Data(try XCTUnwrap(whole.bytes())).write(to: URL(fileURLWithPath: path + ".new"))
        XCTAssertEqual(rename(path + ".new", path), 0)
        XCTAssertEqual(replaced.draft.page?.draft.html, draft.draft.html, "the same page, from the file that replaced it")

        let other = try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: misses)?.entry)
        var changed = whole
        changed.entry!.inputs += " changed"
        var otherDraft = draft
        otherDraft.draft.html = "<p>another page</p>"
        changed.entry!.draft = .page(otherDraft)
        try Data(try XCTUnwrap(changed.bytes())).write(to: URL(fileURLWithPath: path + ".new"))
        XCTAssertEqual(rename(path + ".new", path), 0)
        XCTAssertNil(other.draft.bytes, "another page's file")
        XCTAssertNil(other.draft.page)
        XCTAssertEqual(PageMemo.read(file: path, identity: identity, misses: misses)?.entry?.draft.page?.draft.html, "<p>another page</p>")
    }

    /// A build reads a kept page's draft entry and typeset page from its file's summary only when a
    /// stage asks for them (``PageMemo/KeptPage``), each on its own: a typeset page that no longer
    /// reads (a warning's stage renamed in place, every length intact) is typeset again, while the
    /// draft entry beside it is still taken; the site is a fresh build's.
    func testAKeptPagesPartsAreReadWhenAskedAndEachOnItsOwn() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        let first = try await SiteBuilder.build(options)
        let (identity, path) = try Self.focalMemoFile(options)
        var page = try XCTUnwrap(PageMemo.read(try Data(contentsOf: URL(fileURLWithPath: path))))
        let misses = KeptHTML.Misses()
        let kept = try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: misses))
        XCTAssertEqual(kept.key, page.key)
        XCTAssertEqual(kept.output, "en/focal/index.html")
        XCTAssertEqual(kept.entryInputs, page.entry?.inputs, "the inputs the build compares, read without the parts")
        XCTAssertEqual(kept.typesetInputs, page.typeset?.inputs)
        XCTAssertEqual(kept.search?.key, page.search?.key)
        XCTAssertEqual(kept.entry?.inputs, page.entry?.inputs)
        XCTAssertEqual(kept.typeset?.page.title, page.typeset?.page.title)
        XCTAssertEqual(kept.typeset?.page.html.joined, page.typeset?.page.html.joined)
        // Its headings and ids, left encoded when the kept page is read, read when asked for.
        XCTAssertFalse(try XCTUnwrap(page.typeset?.page.headings).isEmpty, "the test's premise: a page with headings")
        XCTAssertEqual(kept.typeset?.page.headings, page.typeset?.page.headings)
        XCTAssertEqual(kept.typeset?.page.anchors, page.typeset?.page.anchors)

        page.typeset!.diagnostics.append(Diagnostic("content/en/focal.md", stage: .links, "STAGE-MARK"))
        var bytes = try XCTUnwrap(page.bytes())
        let mark = Array("links".utf8), marked = Array("STAGE-MARK".utf8)
        let at = try XCTUnwrap((0..<bytes.count - marked.count).first { bytes[$0..<$0 + marked.count].elementsEqual(marked) })
        let stage = try XCTUnwrap((0..<at).last { bytes[$0..<$0 + mark.count].elementsEqual(mark) }, "the warning's stage, before its message")
        bytes.replaceSubrange(stage..<stage + mark.count, with: Array("linkz".utf8))
        XCTAssertNil(PageMemo.read(bytes), "a file read whole is refused")
        try await assertTypesetAgain(afterWriting: bytes, to: path, identity: identity, pages: first.pages, fixture, options)
    }

    /// A kept page's headings are walked, not read, when its typeset page is: one whose structure
    /// is damaged (a heading's key) makes the typeset page not read, so it is typeset again, as when
    /// they were read at once; the site is then a fresh build's.
    func testAKeptPageWithADamagedHeadingIsTypesetAgain() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        let built = try await SiteBuilder.build(options)
        let (identity, path) = try Self.focalMemoFile(options)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        func first(_ text: String, after start: Int) -> Int? {
            let needle = Array(text.utf8)
            return (start..<bytes.count - needle.count).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
        }
        let typeset = try XCTUnwrap(first("typeset", after: 0))
        let level = try XCTUnwrap(first("level", after: typeset), "a heading in the typeset page")
        XCTAssertNotNil(try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: KeptHTML.Misses())).typeset, "the test's premise")
        bytes.replaceSubrange(level..<level + 5, with: Array("levex".utf8))
        try await assertTypesetAgain(afterWriting: bytes, to: path, identity: identity, pages: built.pages, fixture, options)
    }

    /// `bytes`, a kept page's memo file damaged inside its typeset page with every length intact,
    /// written at `path`: the file still reads, its draft entry too, its typeset page not; the next
    /// build takes every draft entry, parses nothing, typesets that page again and keeps it again,
    /// and writes a fresh build's site.
    private func assertTypesetAgain(afterWriting bytes: [UInt8], to path: String, identity: String, pages: Int,
                                    _ fixture: SiteFixture, _ options: BuildOptions, line: UInt = #line) async throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let misses = KeptHTML.Misses()
        let damaged = try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: misses), "the lengths still hold", line: line)
        XCTAssertNotNil(damaged.entry, "the draft entry reads", line: line)
        XCTAssertNil(damaged.typeset, "the typeset page does not", line: line)

        try FileManager.default.removeItem(at: fixture.output) // else the build stamp finds nothing to do
        let again = try await SiteBuilder.build(options)
        XCTAssertEqual(again.reusedPages, pages, "every draft entry taken, the damaged page's too", line: line)
        XCTAssertEqual(again.parses, 0, line: line)
        try await assertSameAsFreshBuild(fixture, options, line: line)
        let mended = try XCTUnwrap(PageMemo.read(file: path, identity: identity, misses: misses), line: line)
        XCTAssertNotNil(mended.typeset, "typeset again, and kept again", line: line)
    }

    /// The memo's identity under `options`, and the path of `en/focal.md`'s memo file.
    private static func focalMemoFile(_ options: BuildOptions) throws -> (identity: String, path: String) {
        let config = try SiteConfig.load(contentDirectory: options.contentDirectory, displayPath: "content")
        return (PageMemo.identity(options: options, config: config),
                memo(options).appendingPathComponent(PageMemo.fileName("note en/focal.md")).path)
    }

}

extension PageMemo.Page {
    /// The file's bytes, its pieces (``withFile(_:)``) joined (nil when the page cannot be encoded).
    func bytes() -> [UInt8]? {
        withFile { pieces in pieces.reduce(into: [UInt8]()) { $0.append(contentsOf: $1) } }
    }
}
