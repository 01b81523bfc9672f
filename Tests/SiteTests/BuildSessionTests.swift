import XCTest
import _TestSupport
@testable import Site

/// `serve`'s session: a rebuild after a prose edit renders that page alone, and writes exactly the
/// site a fresh build writes; a change to the site's shape, or one that breaks a link into the
/// edited page, is seen as a fresh build would see it.
final class BuildSessionTests: XCTestCase {
    /// A session made for one build gets a previous process's pages on a thread of its own
    /// (``BuildSession/init(reading:)``): asking before they are in waits for them, it does not
    /// find nothing.
    func testKeptPagesReadBesideTheBuildAreWaitedFor() {
        let session = BuildSession {
            Thread.sleep(forTimeInterval: 0.3)
            var kept = BuildSession.Kept()
            kept.pages["note en/a.md"] = PageMemo.KeptPage(key: "note en/a.md", entry: BuildSession.Entry(inputs: "i", draft: .encoded([1, 2]), proseWarnings: .none),
                                                            typeset: nil)
            return kept
        }
        XCTAssertNotNil(session.entry("note en/a.md", inputs: "i"), "the kept page, once read")
        XCTAssertNil(session.entry("note en/a.md", inputs: "other"), "a page whose inputs changed is not kept")
        XCTAssertEqual(Set(session.keptAsRead.keys), ["note en/a.md"])
    }

    /// A build's own session keys only what a later build may ask for (its search entries, which
    /// the page memo saves): for anything else no key is made (a 50 MB note's front matter key was
    /// a pass over the whole note), and the value is made each time. `serve`'s session keys
    /// everything and finds a value again under an unchanged key.
    func testABuildsOwnSessionMakesKeysOnlyForWhatALaterBuildAsks() {
        let session: BuildSession? = BuildSession { BuildSession.Kept() }
        var keys = 0, made = 0
        func ask(_ session: BuildSession?, _ name: String) -> Int {
            session.memo(name, key: { keys += 1; return "k" }) { made += 1; return made }
        }
        _ = ask(session, "front matter en/a.md")
        _ = ask(session, "front matter en/a.md")
        XCTAssertEqual(keys, 0, "no key for a value no later build asks for")
        XCTAssertEqual(made, 2)
        _ = ask(session, BuildSession.searchPrefix + "en/a/index.html")
        XCTAssertEqual(keys, 1, "a search entry is keyed: the page memo saves it")
        (keys, made) = (0, 0)
        let serve: BuildSession? = BuildSession()
        XCTAssertEqual(ask(serve, "front matter en/a.md"), 1)
        XCTAssertEqual(ask(serve, "front matter en/a.md"), 1, "kept under its unchanged key")
        XCTAssertEqual(keys, 2)
        XCTAssertEqual(made, 1)
    }

    func testAProseEditRendersOnePageAndWritesWhatAFreshBuildWrites() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = fixture.options()
        options.session = BuildSession()
        let first = try await SiteBuilder.build(options)
        XCTAssertEqual(first.reusedPages, 0)

        let note = fixture.content.appendingPathComponent("zh/focal.md")
        let text = try String(contentsOf: note, encoding: .utf8)
        try text.replacingOccurrences(of: "焦点损失为", with: "焦点损失（修订）为").write(to: note, atomically: true, encoding: .utf8)
        let second = try await SiteBuilder.build(options)
        XCTAssertEqual(second.reusedPages, second.pages - 1, "only the edited page is rendered again")
        XCTAssertEqual(second.parses, 1)
        XCTAssertEqual(first.notesRead, try NoteRecordsTests.notes(in: fixture))
        XCTAssertEqual(second.notesRead, 1, "the other notes are taken from the session's records")
        let incremental = try fixture.snapshot()
        XCTAssertTrue(String(decoding: try XCTUnwrap(incremental["zh/focal/index.html"]), as: UTF8.self).contains("焦点损失（修订）为"))

        var fresh = fixture.options()
        fresh.outputDirectory = fixture.root.appendingPathComponent("fresh")
        fresh.cacheDirectory = nil
        try await SiteBuilder.build(fresh)
        let expected = try SiteFixture.snapshot(of: fresh.outputDirectory)
        assertSameSite(incremental, asFreshBuild: expected)

        // A new page changes the site's shape (links, navigation): every page is rendered again.
        try fixture.write("---\ntitle: 新页\n---\n\n新页。\n", to: "content/zh/new-page.md")
        let third = try await SiteBuilder.build(options)
        XCTAssertEqual(third.reusedPages, 0)
        let added = fixture.output.appendingPathComponent("zh/new-page/index.html")
        XCTAssertTrue(FileManager.default.fileExists(atPath: added.path))

        // Files are written in place after the first build: a page that is gone loses its file,
        // and the site is still the one a fresh build writes.
        try FileManager.default.removeItem(at: fixture.content.appendingPathComponent("zh/new-page.md"))
        try await SiteBuilder.build(options)
        XCTAssertFalse(FileManager.default.fileExists(atPath: added.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: added.deletingLastPathComponent().path), "nor its folder")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("zh/index.html").path))
        let after = try fixture.snapshot()
        assertSameSite(after, asFreshBuild: expected)
    }

    /// A slug edit moves a page without changing any other note: the notes that link to it take the
    /// new address (the site's shape holds every page's output path), in a `serve` session and in a
    /// build that keeps its pages between processes alike, and the site is the one a fresh build writes.
    func testASlugEditReachesThePagesThatLinkToIt() async throws {
        for keepsPages in [false, true] {
            let fixture = try SiteFixture("basic")
            defer { fixture.remove() }
            var options = fixture.options()
            if keepsPages { options.keepsPages = true } else { options.session = BuildSession() }
            try await SiteBuilder.build(options)
            let note = fixture.content.appendingPathComponent("zh/only-zh.md")
            let text = try String(contentsOf: note, encoding: .utf8)
            try text.replacingOccurrences(of: "weight: 30\n", with: "weight: 30\nslug: renamed\n").write(to: note, atomically: true, encoding: .utf8)
            try await SiteBuilder.build(options)
            let incremental = try fixture.snapshot()
            let home = String(decoding: try XCTUnwrap(incremental["zh/index.html"]), as: UTF8.self)
            XCTAssertTrue(home.contains("href=\"renamed/index.html\""), "keepsPages \(keepsPages)")

            var fresh = fixture.options()
            fresh.outputDirectory = fixture.root.appendingPathComponent("fresh")
            fresh.cacheDirectory = nil
            try await SiteBuilder.build(fresh)
            assertSameSite(incremental, asFreshBuild: try SiteFixture.snapshot(of: fresh.outputDirectory))
        }
    }

    /// A `serve` session takes a note from its record only when the content index hashes its
    /// file as before: a note rewritten in place under its old size and modification time is read
    /// again (its status-change time moved), and a change of the limits notes are read with drops
    /// every record. With a cache folder the build stamp's index of the content is used, without
    /// one the session's own.
    func testASessionReadsANoteRewrittenUnderItsOldTimeAndEveryNoteWhenTheLimitsChange() async throws {
        for cache in [true, false] { try await assertSessionReadsChangedNotes(cache: cache) }
    }

    private func assertSessionReadsChangedNotes(cache: Bool) async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = fixture.options(cache: cache)
        options.session = BuildSession()
        try await SiteBuilder.build(options)
        try rewriteUnderItsOldTime(fixture, "zh/focal.md", "焦点损失为", "焦点損失为")
        let rewritten = try await SiteBuilder.build(options)
        XCTAssertEqual(rewritten.notesRead, 1, "cache: \(cache)")
        XCTAssertTrue(try fixture.read("zh/focal/index.html").contains("焦点損失为"))

        let config = fixture.content.appendingPathComponent("lossbook.yaml")
        try (String(contentsOf: config, encoding: .utf8) + "limits:\n  yaml_depth: 40\n").write(to: config, atomically: true, encoding: .utf8)
        let limits = try await SiteBuilder.build(options)
        XCTAssertEqual(limits.notesRead, try NoteRecordsTests.notes(in: fixture), "records made under other limits are not taken (cache: \(cache))")
        let unchanged = try await SiteBuilder.build(options)
        XCTAssertEqual(unchanged.notesRead, 0, "cache: \(cache)")
    }

    /// `serve` writes in place only what changed, but a file of the site that is gone (removed by
    /// hand while the server ran) is written again by the next rebuild, which another note's edit
    /// starts: a page, a generated file (the page list's script) and a copied asset; the site is
    /// then the one a fresh build writes.
    func testARebuildWritesAgainWhatWasRemovedFromTheSite() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = fixture.options()
        options.session = BuildSession()
        try await SiteBuilder.build(options)
        let removed = ["zh/focal/index.html", NavigationScript.path(language: "en"), "assets/katex/katex.min.css"]
        for path in removed {
            let url = fixture.output.appendingPathComponent(path)
            XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "\(path) built")
            try FileManager.default.removeItem(at: url)
        }
        try edit(fixture, "en/focal.md", "Focal loss is", "The focal loss is")
        let rebuilt = try await SiteBuilder.build(options)
        XCTAssertEqual(rebuilt.reusedPages, rebuilt.pages - 1, "one page rendered again")
        for path in removed {
            XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent(path).path), "\(path) written again")
        }
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A `serve` session's options on a copy of the theme that a test may edit, without a cache
    /// folder: no build stamp stops a rebuild first, whatever the session keeps.
    static func servedWithOwnTheme(_ fixture: SiteFixture) throws -> BuildOptions {
        var options = try fixture.optionsWithOwnTheme()
        options.session = BuildSession()
        options.cacheDirectory = nil
        return options
    }

    /// `serve` keeps the theme it loaded while the templates folder's files stay as they are, and
    /// loads it again for an edited template, an edited UI string (also one rewritten in place under
    /// its old size and modification time), and a template swapped for a
    /// link to a copy of it outside the project (the same bytes, another file: refused as a fresh
    /// build refuses it); after each edit, the site is the one a fresh build writes.
    func testATemplateOrStringEditReachesTheRebuild() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = try Self.servedWithOwnTheme(fixture)
        try await SiteBuilder.build(options)
        let templates = options.templatesDirectory

        let page = templates.appendingPathComponent("page.mustache")
        try edit(page, "<a class=\"skip\"", "<!-- kept theme? --><a class=\"skip\"")
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("<!-- kept theme? -->"), "the edited template")
        try await assertSameAsFreshBuild(fixture, options)

        let strings = templates.appendingPathComponent("strings.yaml")
        try edit(strings, "skip: 跳到正文", "skip: 跳到正文内容")
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read("zh/focal/index.html").contains("跳到正文内容"), "the edited string")
        try await assertSameAsFreshBuild(fixture, options)

        // Rewritten in place under its old size and modification time: its bytes tell.
        try rewriteUnderItsOldTime(strings, "跳到正文内容", "跳到正文全文")
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read("zh/focal/index.html").contains("跳到正文全文"), "the string rewritten under its old time")

        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("lossbook-page-\(UUID().uuidString).mustache")
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.copyItem(at: page, to: outside)
        try FileManager.default.removeItem(at: page)
        try FileManager.default.createSymbolicLink(at: page, withDestinationURL: outside)
        do {
            try await SiteBuilder.build(options)
            XCTFail("a template linked from outside the project is refused")
        } catch let failure as BuildFailure {
            XCTAssertTrue(failure.diagnostics.contains { $0.message.contains("symlink leaves the project") }, "\(failure.diagnostics)")
        }
    }

    /// The template check of a `serve` rebuild judges its own pages, as a fresh build does, though
    /// the session keeps the theme: a template naming a table-of-contents field (`{{toc.sub}}`)
    /// passes while a page has a `##` heading, and fails once no page has one.
    func testARebuildsTemplateCheckSeesOnlyItsOwnPages() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = try Self.servedWithOwnTheme(fixture)
        try edit(options.templatesDirectory.appendingPathComponent("page.mustache"), "{{{content}}}", "{{{content}}}<i hidden>{{toc.sub}}</i>")
        try await SiteBuilder.build(options)

        for note in ["en/focal.md", "en/index.md", "zh/focal.md", "zh/index.md", "zh/only-zh.md"] {
            try fixture.write("---\ntitle: \(note)\n---\n\nNo heading.\n", to: "content/" + note)
        }
        var fresh = options
        fresh.session = nil
        fresh.outputDirectory = fixture.root.appendingPathComponent("fresh")
        for (build, name) in [(fresh, "a fresh build"), (options, "the session's rebuild")] {
            do {
                try await SiteBuilder.build(build)
                XCTFail("\(name) passed")
            } catch let failure as BuildFailure {
                XCTAssertTrue(failure.diagnostics.contains { $0.message.contains("unknown variable 'sub'") }, "\(name): \(failure.diagnostics)")
            }
        }
    }

    /// A theme `serve` keeps serves each build with a record of the contexts' keys of its own: the
    /// template check (``TemplateUse``) judges a build by its own pages' contexts, not by an
    /// earlier build's.
    func testAKeptThemeRecordsEachBuildsContextKeysApart() throws {
        let theme = try Theme.load(directory: SiteFixture.repository.appendingPathComponent("templates"), displayRoot: "templates",
                                   languages: ["zh", "en"])
        theme.contextKeys.record(["onlyInTheFirstBuild": .text("x")])
        let again = theme.forAnotherBuild()
        XCTAssertTrue(theme.contextKeys.all.contains("onlyInTheFirstBuild"))
        XCTAssertFalse(again.contextKeys.all.contains("onlyInTheFirstBuild"), "a record of its own")
        XCTAssertEqual(again.contextKeys.isSettled, try Theme.load(directory: SiteFixture.repository.appendingPathComponent("templates"),
                                                                   displayRoot: "templates", languages: ["zh", "en"]).contextKeys.isSettled,
                       "settling on the same names as a freshly loaded theme")
        XCTAssertEqual(again.texts, theme.texts)
        XCTAssertEqual(again.strings, theme.strings)
    }

    /// `serve` rewrites a file when its bytes differ from the text it last wrote: the same string is
    /// the same bytes, canonically equivalent texts are not (é as one scalar or as e and an accent).
    func testTheUpdaterComparesTextsByTheirBytes() {
        let page = String(repeating: "<p>损失 loss</p>\n", count: 1_000)
        XCTAssertTrue(SiteUpdater.sameBytes(page, page))
        XCTAssertTrue(SiteUpdater.sameBytes(page, String(decoding: Array(page.utf8), as: UTF8.self)), "another string, the same bytes")
        XCTAssertFalse(SiteUpdater.sameBytes(page, page + " "))
        XCTAssertFalse(SiteUpdater.sameBytes(page + "\u{E9}", page + "e\u{301}"), "equal as Swift strings, not as bytes")
        XCTAssertTrue(SiteUpdater.sameBytes("", ""))
    }

    /// A session asks `git` for the notes' commit dates once while the repository's HEAD stays,
    /// and once for a folder no repository holds (not at every rebuild); a repository made around
    /// the folder, and each move of its HEAD, is asked again.
    func testGitDatesAreAskedAgainOnlyWhenHEADMoves() throws {
        let folder = try TemporaryFolder.make("git-dates")
        defer { TemporaryFolder.remove(folder) }
        let session = BuildSession()
        var asked = 0
        func dates() { _ = session.gitDates(in: folder) { asked += 1; return [:] } }
        dates(); dates()
        XCTAssertEqual(asked, 1)
        let log = folder.appendingPathComponent(".git/logs/HEAD")
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "one\n".write(to: log, atomically: false, encoding: .utf8)
        dates(); dates()
        XCTAssertEqual(asked, 2, "a repository made around the folder")
        try "one\ntwo\n".write(to: log, atomically: false, encoding: .utf8)
        dates()
        XCTAssertEqual(asked, 3, "its HEAD moved")
    }

    /// A build does not start `git` for a folder no repository holds; it does once a repository
    /// is made around the folder (`git` then says what it knows), and with `GIT_DIR` set it cannot tell.
    func testABuildAsksGitOnlyInsideARepository() throws {
        let folder = try TemporaryFolder.make("git-build")
        defer { TemporaryFolder.remove(folder) }
        final class Asked: @unchecked Sendable {
            private let lock = NSLock()
            private var count = 0
            func add() { lock.withLock { count += 1 } }
            var value: Int { lock.withLock { count } }
        }
        let asked = Asked()
        let find: @Sendable (URL) -> [String: String] = { _ in asked.add(); return ["a": "b"] }
        XCTAssertEqual(GitDates.ahead(folder, find: find).value, [:])
        XCTAssertEqual(asked.value, 0, "outside a repository")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".git"), withIntermediateDirectories: true)
        XCTAssertEqual(GitDates.ahead(folder, find: find).value, ["a": "b"])
        XCTAssertEqual(asked.value, 1, "a repository made around the folder, without commits")
    }

    /// A build with a cache folder keeps the notes' commit dates there: the next build process asks
    /// `git` again only when the HEAD has moved; no dates are not kept (`git` is asked again).
    func testABuildKeepsGitDatesUntilHEADMoves() throws {
        let folder = try TemporaryFolder.make("git-kept")
        let cache = folder.appendingPathComponent("cache")
        defer { TemporaryFolder.remove(folder) }
        final class Answers: @unchecked Sendable {
            private let lock = NSLock()
            private var count = 0
            var dates: [String: String] = ["/notes/a.md": "2026-01-02T03:04:05+00:00"]
            func ask() -> [String: String] { lock.withLock { count += 1; return dates } }
            var asked: Int { lock.withLock { count } }
        }
        let answers = Answers()
        let find: @Sendable (URL) -> [String: String] = { _ in answers.ask() }
        let log = folder.appendingPathComponent(".git/logs/HEAD")
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "one\n".write(to: log, atomically: false, encoding: .utf8)
        let dates = { GitDates.ahead(folder, keptIn: cache, find: find).value }
        XCTAssertEqual(dates(), answers.dates)
        XCTAssertEqual(dates(), answers.dates)
        XCTAssertEqual(answers.asked, 1, "the HEAD stayed")
        try "one\ntwo\n".write(to: log, atomically: false, encoding: .utf8)
        answers.dates = ["/notes/a.md": "2026-02-03T04:05:06+00:00"]
        XCTAssertEqual(dates(), answers.dates)
        XCTAssertEqual(answers.asked, 2, "the HEAD moved")
        XCTAssertEqual(GitDates.ahead(folder, find: find).value, answers.dates)
        XCTAssertEqual(answers.asked, 3, "without a cache folder")

        try "one\ntwo\nthree\n".write(to: log, atomically: false, encoding: .utf8)
        answers.dates = [:]
        XCTAssertEqual(dates(), [:])
        XCTAssertEqual(dates(), [:])
        XCTAssertEqual(answers.asked, 5, "no dates are not kept")
    }

    func testAnEditThatBreaksALinkIntoThePageFailsAsAFreshBuildWould() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = fixture.options()
        options.session = BuildSession()
        try await SiteBuilder.build(options)
        // zh/index.md links to focal.md#梯度: renaming that heading breaks the link from a page that is not edited.
        let note = fixture.content.appendingPathComponent("zh/focal.md")
        try String(contentsOf: note, encoding: .utf8).replacingOccurrences(of: "## 梯度", with: "## 导数")
            .write(to: note, atomically: true, encoding: .utf8)
        do {
            try await SiteBuilder.build(options)
            XCTFail("a link to a heading that is gone must fail the rebuild")
        } catch let failure as BuildFailure {
            XCTAssertTrue(failure.diagnostics.contains { $0.path.hasSuffix("zh/index.md") && $0.message.contains("梯度") },
                          failure.diagnostics.map(\.description).joined(separator: "\n"))
        }
    }

    /// What a session keeps of the whole site (the catalog prose, each page in the theme) is made
    /// again when its input changes: a catalog prose file, another page's title; after these edits the site is still the one a fresh build writes.
    func testEditsToCatalogProseAndAnotherPagesTitleReachTheRebuild() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.copyRepositoryProse()
        try fixture.write("---\ntitle: Plot\n---\n\n```loss-plot focal\nx: {p: [0.1, 0.9]}\n```\n", to: "content/en/plot.md")
        var options = fixture.options()
        options.session = BuildSession()
        try await SiteBuilder.build(options)
        func edit(_ path: String, _ old: String, _ new: String) throws {
            let url = fixture.content.appendingPathComponent(path)
            let text = try String(contentsOf: url, encoding: .utf8)
            XCTAssertTrue(text.contains(old), "\(path) lacks '\(old)'")
            try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
        }

        try edit("en/reference/focal.md", "title: Focal loss", "title: Focal loss (renamed)")
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read("en/plot/index.html").contains("Focal loss (renamed)"), "the catalog prose is read again")

        try edit("zh/focal.md", "title: 焦点损失", "title: 焦点损失（新题）")
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read("zh/index.html").contains("焦点损失（新题）"), "an unedited page shows the new title")

        var fresh = fixture.options()
        fresh.outputDirectory = fixture.root.appendingPathComponent("fresh")
        fresh.cacheDirectory = nil
        try await SiteBuilder.build(fresh)
        let expected = try SiteFixture.snapshot(of: fresh.outputDirectory)
        let incremental = try fixture.snapshot()
        assertSameSite(incremental, asFreshBuild: expected)
    }

    /// Rebuilds whose edits need typesetting (a new formula) send it to the session's running
    /// KaTeX helper instead of starting Node.js again, and still write what a fresh build writes.
    func testRebuildsThatTypesetReuseTheSessionsHelper() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = fixture.options()
        let session = BuildSession()
        options.session = session
        let first = try await SiteBuilder.build(options)
        XCTAssertGreaterThan(first.helperProcesses, 0)
        XCTAssertEqual(session.helpers.started, 1)

        let note = fixture.content.appendingPathComponent("zh/focal.md")
        for formula in ["$q_{17}$", "$r_{29} + 1$"] {
            let text = try String(contentsOf: note, encoding: .utf8)
            try text.replacingOccurrences(of: "焦点损失为", with: "\(formula) 焦点损失为").write(to: note, atomically: true, encoding: .utf8)
            let rebuild = try await SiteBuilder.build(options)
            XCTAssertGreaterThan(rebuild.helperProcesses, 0, "the new formula is typeset")
            XCTAssertEqual(session.helpers.started, 1, "by the helper the first build started")
        }
        let incremental = try fixture.snapshot()
        XCTAssertTrue(String(decoding: try XCTUnwrap(incremental["zh/focal/index.html"]), as: UTF8.self).contains("r_{29}"))

        var fresh = fixture.options()
        fresh.outputDirectory = fixture.root.appendingPathComponent("fresh")
        fresh.cacheDirectory = nil
        try await SiteBuilder.build(fresh)
        let expected = try SiteFixture.snapshot(of: fresh.outputDirectory)
        assertSameSite(incremental, asFreshBuild: expected)
    }

    /// The same files with the same bytes as a fresh build's site.
    private func assertSameSite(_ site: [String: Data], asFreshBuild expected: [String: Data],
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(site.keys), Set(expected.keys), file: file, line: line)
        for (path, bytes) in expected {
            XCTAssertEqual(site[path], bytes, "\(path) differs from a fresh build's", file: file, line: line)
        }
    }

    /// A page's session inputs (``SiteBuilder/inputs(of:shape:)``), hashed part by part, are those
    /// of its line joined first, as the reference below makes them: random front matter (absent,
    /// empty, non-ASCII and `\u{1}` values; weights and line offsets across Int's range), output
    /// paths and shapes. ``hex16(_:)`` is `String(_:radix: 16)` zero-padded, and ``FNV1a64Text``
    /// writes numbers as interpolation does.
    func testThePageInputsAreTheHashOfTheLineTheyStandFor() {
        func reference(_ page: SourcePage, shape: String) -> String {
            let m = page.frontMatter
            let matter = "\(m.title ?? "\u{1}") \(m.description ?? "\u{1}") \(m.weight) \(m.slug ?? "\u{1}") \(m.draft) \(m.sourceHash ?? "\u{1}")"
            let hash = fnv1a64("\(page.bodyLineOffset) \(page.outputPath) \(matter)\n".utf8)
            let hex = String(hash, radix: 16)
            return shape + " " + page.contentHash + " " + String(repeating: "0", count: 16 - hex.count) + hex
        }
        var generator = SystemRandomNumberGenerator()
        let texts: [String?] = [nil, "", "Focal loss", "焦点损失", "\u{1}", "a long description of the page, past any small string"]
        let numbers = [0, 1, -1, 9, 10, 99, 100, -100, 12_345, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var inputs: Set<String> = []
        for _ in 0..<500 {
            var matter = FrontMatter()
            matter.title = texts.randomElement(using: &generator)!
            matter.description = texts.randomElement(using: &generator)!
            matter.weight = Bool.random(using: &generator) ? numbers.randomElement(using: &generator)! : Int.random(in: Int.min...Int.max, using: &generator)
            matter.slug = [nil, "s", "損失"].randomElement(using: &generator)!
            matter.draft = Bool.random(using: &generator)
            matter.sourceHash = texts.randomElement(using: &generator)!
            let page = SourcePage(language: ["en", "zh"].randomElement(using: &generator)!, relativePath: ["a.md", "guide/index.md", "中/b.md"].randomElement(using: &generator)!,
                                  displayPath: "content/x.md", frontMatter: matter, body: "", bodyLineOffset: numbers.randomElement(using: &generator)!,
                                  contentHash: ["", "0123456789abcdef"].randomElement(using: &generator)!)
            let shape = ["", "fedcba9876543210", "形"].randomElement(using: &generator)!
            let made = SiteBuilder.inputs(of: page, shape: shape)
            XCTAssertEqual(made, reference(page, shape: shape))
            inputs.insert(made)
        }
        XCTAssertGreaterThan(inputs.count, 400) // the pages differed, and so did their inputs
        for hash in [0, 1, 0xF, 0x10, 0xABC, UInt64.max, UInt64.max >> 4, 1 << 63] + (0..<200).map({ _ in UInt64.random(in: 0...UInt64.max, using: &generator) }) {
            let hex = String(hash, radix: 16)
            XCTAssertEqual(hex16(hash), String(repeating: "0", count: 16 - hex.count) + hex)
        }
        for number in numbers {
            var text = FNV1a64Text()
            text.add(decimal: number)
            XCTAssertEqual(text.hash, fnv1a64("\(number)".utf8), "\(number)")
        }
    }

    /// A typeset page's inputs are compared with a draft's inputs and the tools' fingerprint in place
    /// (``BuildSession/joins(_:_:_:)``), as joining them with a space and comparing would: every
    /// triple of short, empty, spaced and non-ASCII strings.
    func testTypesetInputsAreComparedAsIfJoined() {
        let parts = ["", " ", "a", "a b", "ab", "b", "焦点", "0123456789abcdef 0123456789abcdef", "x "]
        var joined = 0
        for whole in parts + parts.flatMap({ first in parts.map { first + " " + $0 } }) {
            for first in parts {
                for second in parts {
                    let expected = whole == first + " " + second
                    XCTAssertEqual(BuildSession.joins(whole, first, second), expected, "\(whole.debugDescription) \(first.debugDescription) \(second.debugDescription)")
                    if expected { joined += 1 }
                }
            }
        }
        XCTAssertGreaterThan(joined, parts.count * parts.count)
    }
}
