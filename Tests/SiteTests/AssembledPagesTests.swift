import Foundation
import XCTest
@testable import Site

/// `build` with its page memo leaves in `site/` the pages that did not change (``AssembledPages``):
/// neither put into the theme again nor written, their files hard-linked from the previous site.
/// A page is made anew when its own inputs, anything its context in the theme shows (a
/// neighbour's title, a language link, a notice), or its file in `site/` changed; whatever is
/// kept, the site is, byte for byte, what a fresh build without a cache writes.
final class AssembledPagesTests: XCTestCase {
    func testAProseEditPutsThatPageAloneIntoTheTheme() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        let first = try await SiteBuilder.build(options)
        XCTAssertEqual(first.keptPages, 0, "nothing to keep before the first site")

        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        let second = try await SiteBuilder.build(options)
        XCTAssertEqual(second.keptPages, second.pages - 1, "every page but the edited one is left in place")
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("(edited)"))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A title shows in its neighbours' previous/next links and in the language's page list:
    /// those pages are made anew, with the new title.
    func testATitleEditRemakesThePagesThatShowIt() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        let source = fixture.content.appendingPathComponent("en/focal.md")
        let text = try String(contentsOf: source, encoding: .utf8)
        let title = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("title:") })
        try text.replacingOccurrences(of: String(title), with: "title: A Renamed Page").write(to: source, atomically: true, encoding: .utf8)
        let report = try await SiteBuilder.build(options)
        XCTAssertLessThan(report.keptPages, report.pages - 1, "its neighbours are made anew")
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A title changes every page's context inputs, but only the pages that show it (its
    /// neighbours, the language's home page with its inline list, the page itself) are put into the
    /// theme again: a page whose own context hashes the same is left in place. So exactly the pages
    /// whose files change are made, and the build after that one, under the new inputs, keeps all.
    func testATitleEditLeavesThePagesThatDoNotShowItInPlace() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        for name in ["a", "b", "c", "d", "e", "f"] {
            try fixture.write("---\ntitle: Page \(name)\nweight: 50\n---\n\nText of \(name).\n", to: "content/en/\(name).md")
        }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        let before = try Self.pageFiles(fixture.output)
        try edit(fixture, "en/c.md", "title: Page c", "title: Page c, renamed")
        let report = try await SiteBuilder.build(options)
        let after = try Self.pageFiles(fixture.output)
        XCTAssertEqual(Set(before.keys), Set(after.keys))
        let changed = before.keys.filter { before[$0] != after[$0] }.sorted()
        XCTAssertTrue(changed.contains("en/b/index.html") && changed.contains("en/d/index.html"), "the neighbours show it: \(changed)")
        XCTAssertFalse(changed.contains("en/f/index.html"), "a page two away does not")
        XCTAssertEqual(report.keptPages, report.pages - changed.count, "made anew: \(changed)")
        try await assertSameAsFreshBuild(fixture, options)

        try edit(fixture, "en/f.md", "Text of f.", "Text of f, edited.")
        let next = try await SiteBuilder.build(options)
        XCTAssertEqual(next.keptPages, next.pages - 1, "every page but the edited one, under the new inputs")
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// Every page file of a site (`index.html` files, the root pages and the 404 page included), by path.
    private static func pageFiles(_ site: URL) throws -> [String: Data] {
        try SiteFixture.snapshot(of: site).filter { $0.key.hasSuffix(".html") }
    }

    /// A page file changed, replaced or removed in `site/` is not the file the record vouches for:
    /// the next build writes it again.
    func testAPageChangedInTheSiteIsWrittenAgain() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        try await SiteBuilder.build(options)

        let changed = fixture.output.appendingPathComponent("zh/focal/index.html")
        let handle = try FileHandle(forWritingTo: changed)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("<!-- changed in place -->".utf8))
        try handle.close()
        let replaced = fixture.output.appendingPathComponent("en/index.html")
        let bytes = try Data(contentsOf: replaced)
        try FileManager.default.removeItem(at: replaced)
        try bytes.write(to: replaced) // the same bytes, another inode: still made anew (it is not read)
        try FileManager.default.removeItem(at: fixture.output.appendingPathComponent("zh/index.html"))

        try edit(fixture, "en/focal.md", "(edited)", "(edited again)") // or the build has nothing to do
        let report = try await SiteBuilder.build(options)
        XCTAssertEqual(report.keptPages, report.pages - 4, "the edited page and the three touched in site/ are made anew")
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// After a prose edit, the record of every page (those left in place keep their last line,
    /// unread from their files) is that of the file the site holds at its path; so the next
    /// edit's build keeps every page but the one edited.
    func testEveryRecordIsThatOfTheFileTheSiteHolds() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        let edited = try await SiteBuilder.build(options)
        XCTAssertEqual(edited.keptPages, edited.pages - 1)

        let file = options.cacheDirectory!.appendingPathComponent(AssembledPages.fileName)
        let bytes = try XCTUnwrap(SiteFile.contents(of: file.path))
        let identity = String(decoding: bytes.split(separator: UInt8(ascii: "\n"))[1], as: UTF8.self)
        let records = try XCTUnwrap(AssembledPages.parse(bytes, identity: identity))
        XCTAssertEqual(records.count, edited.pages + 5, "the pages, both languages' page lists and search indexes, and the sitemap")
        for (path, record) in records {
            let info = try XCTUnwrap(SiteFile.status(fixture.output.appendingPathComponent(path).path), path)
            XCTAssertEqual([record.device, record.inode], [UInt64(info.st_dev), UInt64(info.st_ino)], path)
            XCTAssertEqual([record.size, record.modified],
                           [Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)], path)
        }

        try edit(fixture, "en/focal.md", "(edited)", "(edited again)")
        let again = try await SiteBuilder.build(options)
        XCTAssertEqual(again.keptPages, again.pages - 1)
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A prose edit changes its own language's search index alone: the other language's, both
    /// languages' page lists (``NavigationScript``) and the sitemap are left as the previous site
    /// holds them; one changed in `site/` is made anew.
    func testAProseEditLeavesTheOtherSiteWideFilesInPlace() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        let first = try await SiteBuilder.build(options)
        XCTAssertEqual(first.keptSiteFiles, 0, "nothing to keep before the first site")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("zh/search-index.js").path))

        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        let second = try await SiteBuilder.build(options)
        XCTAssertEqual(second.keptSiteFiles, 4, "both page lists, zh's search index and the sitemap")
        XCTAssertEqual(second.keptPages, second.pages - 1)
        XCTAssertTrue(try fixture.read("en/search-index.js").contains("(edited)"))
        try await assertSameAsFreshBuild(fixture, options)

        let sitemap = fixture.output.appendingPathComponent("sitemap.xml")
        let handle = try FileHandle(forWritingTo: sitemap)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("<!-- changed in place -->".utf8))
        try handle.close()
        try edit(fixture, "en/focal.md", "(edited)", "(edited again)")
        let third = try await SiteBuilder.build(options)
        XCTAssertEqual(third.keptSiteFiles, 3, "both page lists and zh's search index; the sitemap changed in site/ is made anew")
        try await assertSameAsFreshBuild(fixture, options)

        // A new page changes the site's shape, which every page's identity holds: nothing is kept.
        try "---\ntitle: New\n---\n\nA new page.\n".write(to: fixture.content.appendingPathComponent("zh/new-page.md"), atomically: true, encoding: .utf8)
        let fourth = try await SiteBuilder.build(options)
        XCTAssertEqual(fourth.keptSiteFiles, 0)
        XCTAssertTrue(try fixture.read("sitemap.xml").contains("new-page"))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A language's page list (`<lang>/nav.js`) is made anew when a title in it changes or when
    /// the templates that render its items change, and kept after a prose edit; whatever is kept,
    /// the site and its warnings are a fresh build's.
    func testThePageListsAreKeptUntilATitleOrATemplateChanges() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(try fixture.optionsWithOwnTheme())
        try await SiteBuilder.build(options)
        let script = fixture.output.appendingPathComponent("en/nav.js")
        func inode() throws -> UInt64 { UInt64(try XCTUnwrap(SiteFile.status(script.path)).st_ino) }
        let first = try inode()

        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        let kept = try await SiteBuilder.build(options)
        XCTAssertEqual(try inode(), first, "a prose edit leaves the page list in place")
        try await assertSameAsFreshBuild(fixture, options)
        // No item was rendered: the template check still knows an item's names (none is reported unknown).
        var fresh = options
        (fresh.keepsPages, fresh.cacheDirectory) = (false, nil)
        fresh.outputDirectory = fixture.root.appendingPathComponent("fresh")
        let freshWarnings = try await SiteBuilder.build(fresh).warnings.map(\.description)
        XCTAssertEqual(kept.warnings.map(\.description), freshWarnings)

        let source = fixture.content.appendingPathComponent("en/focal.md")
        let text = try String(contentsOf: source, encoding: .utf8)
        let title = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("title:") })
        try text.replacingOccurrences(of: String(title), with: "title: A Renamed Page").write(to: source, atomically: true, encoding: .utf8)
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read("en/nav.js").contains("A Renamed Page"))
        let renamed = try inode()
        XCTAssertNotEqual(renamed, first)
        try await assertSameAsFreshBuild(fixture, options)

        let item = options.templatesDirectory.appendingPathComponent("nav-item.mustache")
        let template = try String(contentsOf: item, encoding: .utf8)
        // `hasChildren` is a name only an item has, shown unguarded: the template check must know it in a
        // build that keeps the lists too (the language's home page shows its list inline).
        try template.replacingOccurrences(of: "{{title}}", with: "{{title}} ·{{hasChildren}}").write(to: item, atomically: true, encoding: .utf8)
        try await SiteBuilder.build(options)
        XCTAssertTrue(try fixture.read("en/nav.js").contains("A Renamed Page ·"), "the changed template renders the items")
        try await assertSameAsFreshBuild(fixture, options)
        let remade = try inode()
        XCTAssertNotEqual(remade, renamed)
        try edit(fixture, "en/focal.md", "(edited)", "(edited again)")
        try await SiteBuilder.build(options)
        XCTAssertEqual(try inode(), remade, "kept again")
        try await assertSameAsFreshBuild(fixture, options)
    }

    func testTheSitemapInputsSeeTheDatesInAnyOrder() {
        let dates = ["/c/en/a.md": "2026-01-02", "/c/en/b.md": "2026-03-04"]
        let print = SiteAssembler.sitemapInputs(contextInputs: 7, lastModified: dates)
        XCTAssertEqual(SiteAssembler.sitemapInputs(contextInputs: 7, lastModified: Dictionary(uniqueKeysWithValues: dates.reversed())), print)
        XCTAssertNotEqual(SiteAssembler.sitemapInputs(contextInputs: 8, lastModified: dates), print)
        XCTAssertNotEqual(SiteAssembler.sitemapInputs(contextInputs: 7, lastModified: [:]), print)
        XCTAssertNotEqual(SiteAssembler.sitemapInputs(contextInputs: 7, lastModified: dates.merging(["/c/en/b.md": "2026-03-05"]) { $1 }), print)
        XCTAssertNotEqual(SiteAssembler.sitemapInputs(contextInputs: 7, lastModified: ["/c/en/a.md": "2026-03-04", "/c/en/b.md": "2026-01-02"]), print,
                          "dates swapped between files")
    }

    func testTheContextFingerprintSeesEveryValueButTheContent() throws {
        let language = Language(code: "en", name: "English", htmlLang: "en", title: "T", description: "")
        let context = PageContext(language: language, root: "../", home: "../index.html", title: "A", description: "",
                                  canonical: "https://x/a/", isHome: false, content: "", toc: [], navHTML: "", languages: [],
                                  strings: [:], notice: nil)
        let print = PageContext.fingerprint(values: context.values, strings: 1)
        var other = context
        other.content = "<p>the page's HTML is its identity's</p>"
        XCTAssertEqual(PageContext.fingerprint(values: other.values, strings: 1), print)
        XCTAssertNotEqual(PageContext.fingerprint(values: context.values, strings: 2), print, "the language's strings")
        for change in [{ (c: inout PageContext) in c.title = "B" }, { $0.notice = "stale" }, { $0.isDraft = true },
                       { $0.previous = PageLink(title: "P", url: "../p/") }, { $0.root = "../../" }, { $0.navScript = "nav.js" },
                       { $0.toc = [TOCEntry(id: "s", text: "S", isSub: false)] }] as [(inout PageContext) -> Void] {
            var changed = context
            change(&changed)
            XCTAssertNotEqual(PageContext.fingerprint(values: changed.values, strings: 1), print)
        }
        // Layout: a title and a description swapping their text is another context.
        var swapped = context
        (swapped.title, swapped.description) = ("", "A")
        XCTAssertNotEqual(PageContext.fingerprint(values: swapped.values, strings: 1), print)
    }

    /// An object's fields are hashed in any order (each alone, their hashes summed: no sort, no
    /// second look-up of each key), and each value stays bound to its key.
    func testAnObjectHashesAlikeInAnyOrderAndEachValueWithItsKey() {
        func hash(_ fields: [String: TemplateValue]) -> UInt64 {
            var hash = ContextHash()
            hash.add(.object(fields))
            return hash.value
        }
        let pairs = (0..<40).map { ("key\($0)", TemplateValue.text("value \($0)")) }
        var few: [String: TemplateValue] = [:]
        for (key, value) in pairs { few[key] = value }
        var roomy: [String: TemplateValue] = [:]
        roomy.reserveCapacity(4096)
        for (key, value) in pairs.reversed() { roomy[key] = value }
        XCTAssertEqual(few, roomy)
        XCTAssertNotEqual(Array(few.keys), Array(roomy.keys), "the two dictionaries are read in different orders")
        XCTAssertEqual(hash(few), hash(roomy))
        var swapped = few
        (swapped["key1"], swapped["key2"]) = (few["key2"], few["key1"])
        XCTAssertNotEqual(hash(swapped), hash(few), "two values swapped between their keys")
        var renamed = few
        renamed["key40"] = renamed.removeValue(forKey: "key39")
        XCTAssertNotEqual(hash(renamed), hash(few), "a key renamed")
        var nested = few
        nested["key0"] = .object(["a": .text("x"), "b": .text("y")])
        var nestedSwapped = few
        nestedSwapped["key0"] = .object(["a": .text("y"), "b": .text("x")])
        XCTAssertNotEqual(hash(nested), hash(nestedSwapped), "values swapped inside a nested object")
        XCTAssertNotEqual(hash(["a": .list([])]), hash(["a": .object([:])]))
    }

    /// A page's identity names its inputs and the templates, not the code that put it into the
    /// theme: a record made under another page memo identity (another binary; here, the same
    /// theme read from another folder, which is in that identity and changes no page) keeps no page.
    func testARecordOfAnotherMemoIdentityKeepsNoPage() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = Self.keeping(fixture.options())
        let first = try await SiteBuilder.build(options)
        options = Self.keeping(try fixture.optionsWithOwnTheme())
        let report = try await SiteBuilder.build(options)
        XCTAssertEqual(report.reusedPages, 0, "the page memo is of the other identity too")
        XCTAssertEqual(report.pages, first.pages)
        XCTAssertGreaterThan(report.pages, 0)
        XCTAssertEqual(report.keptPages, 0, "every page is put into the theme by this build")
        XCTAssertEqual(report.keptSiteFiles, 0)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        let again = try await SiteBuilder.build(options)
        XCTAssertEqual(again.keptPages, again.pages - 1, "its own record keeps pages")
        try await assertSameAsFreshBuild(fixture, options)
    }

    func testTheRecordReadsBackAndADamagedOneIsNone() throws {
        let good = AssembledPages.head(identity: "0123abcd") + "1\t7\t2\t3\t4\t5\t-6\ten/a b/index.html\n"
        let records = try XCTUnwrap(AssembledPages.parse(Array(good.utf8), identity: "0123abcd"))
        XCTAssertEqual(records["en/a b/index.html"],
                       AssembledPages.Record(identity: 1, inputs: 7, context: 2, device: 3, inode: 4, size: 5, modified: -6))
        for damaged in [good.replacingOccurrences(of: "\t5\t", with: "\t5x\t"), good.replacingOccurrences(of: "\t3\t", with: "\t-3\t"),
                        good.replacingOccurrences(of: "\t4\t5", with: "\t45"), "another format\n",
                        good + "99999999999999999999\t1\t1\t1\t1\t1\t1\tx\n"] {
            XCTAssertNotEqual(damaged, good)
            XCTAssertNil(AssembledPages.parse(Array(damaged.utf8), identity: "0123abcd"), damaged)
        }
        XCTAssertNil(AssembledPages.parse(Array(good.utf8), identity: "0123abce"), "another identity's record")
    }

    /// The record file is read in place (``AssembledPages/parseLines(_:identity:)``) as splitting it
    /// into lines and each line into eight tab-separated fields reads it: random files of good
    /// lines, empty lines, lines short of a field, paths holding tabs, signs, stray bytes and
    /// numbers past their type, a last line with or without its newline, each refused or read
    /// alike, and each record's line found where it is (the save copies it from there).
    func testTheRecordReadsAsSplittingItIntoFieldsReadsIt() {
        let identity = "0123abcd"
        func reference(_ bytes: [UInt8]) -> [String: (record: AssembledPages.Record, line: Range<Int>)]? {
            let head = Array(AssembledPages.head(identity: identity).utf8)
            guard bytes.starts(with: head) else { return nil }
            var records: [String: (record: AssembledPages.Record, line: Range<Int>)] = [:]
            for line in bytes[head.count...].split(separator: UInt8(ascii: "\n")) {
                let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 7, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
                guard fields.count == 8, let a = UInt64(fields[0]), let b = UInt64(fields[1]), let c = UInt64(fields[2]),
                      let d = UInt64(fields[3]), let e = UInt64(fields[4]), let f = Int64(fields[5]), let g = Int64(fields[6]),
                      !fields[7].isEmpty, !fields[0].hasPrefix("+"), !fields[1].hasPrefix("+"), !fields[2].hasPrefix("+"),
                      !fields[3].hasPrefix("+"), !fields[4].hasPrefix("+"), !fields[5].hasPrefix("+"), !fields[6].hasPrefix("+") else { return nil }
                records[fields[7]] = (AssembledPages.Record(identity: a, inputs: b, context: c, device: d, inode: e, size: f, modified: g),
                                      line.startIndex..<line.endIndex)
            }
            return records
        }
        var generator = SystemRandomNumberGenerator()
        let numbers = ["0", "7", "-6", "18446744073709551615", "18446744073709551616", "9223372036854775807", "-9223372036854775808",
                       "-9223372036854775809", "", "5x", "+3", "12"]
        let paths = ["en/a b/index.html", "zh/中文/index.html", "en/a\tb/index.html", "", "en/x/index.html"]
        var read = 0, refused = 0
        for _ in 0..<3_000 {
            var text = AssembledPages.head(identity: identity)
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: text += "\n"
                case 1: text += (0..<6).map { _ in "1" }.joined(separator: "\t") + "\n"
                default:
                    let fields = (0..<7).map { _ in Int.random(in: 0..<4, using: &generator) == 0 ? numbers.randomElement(using: &generator)! : String(UInt8.random(in: 0...99, using: &generator)) }
                    text += fields.joined(separator: "\t") + "\t" + paths.randomElement(using: &generator)! + "\n"
                }
            }
            if Bool.random(using: &generator), text.hasSuffix("\n") { text.removeLast() } // the last line unterminated
            let bytes = Array(text.utf8)
            let expected = reference(bytes)
            let parsed = AssembledPages.parseLines(bytes, identity: identity)
            XCTAssertEqual(parsed?.mapValues(\.record), expected?.mapValues(\.record), text.debugDescription)
            XCTAssertEqual(parsed?.mapValues(\.line), expected?.mapValues(\.line), "the lines' places in \(text.debugDescription)")
            if expected == nil { refused += 1 } else { read += 1 }
        }
        XCTAssertGreaterThan(read, 100)
        XCTAssertGreaterThan(refused, 100)
    }
}
