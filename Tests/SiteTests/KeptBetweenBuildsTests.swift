import Foundation
import XCTest
import _TestSupport
import Losses
@testable import Site

/// What a `build` keeps in the cache folder for the next build process (``KeptBetweenBuilds``):
/// the catalog prose and the reference pages, read back while what they are made from is
/// unchanged, made again when any of it changes, and never a different site from a fresh build's.
final class KeptBetweenBuildsTests: XCTestCase {
    private struct Value: Encodable, Equatable {
        var text: String
        var numbers: [Int]

        init(text: String, numbers: [Int]) {
            self.text = text
            self.numbers = numbers
        }

        init(compact reader: inout CompactReader) throws {
            self = try reader.keyed { reader in
                try reader.key("text"); let text = try reader.string()
                try reader.key("numbers"); let numbers = try reader.array { try $0.int() }
                return Value(text: text, numbers: numbers)
            }
        }
    }

    private func value(_ name: String, _ key: String, in cache: URL?, _ make: () throws -> Value) throws -> (value: Value, kept: Bool) {
        try KeptBetweenBuilds.value(name, key: key, cache: cache, store: { $0 }, read: { try Value(compact: &$0) }, make)
    }

    private func runs(_ name: String, in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(name + "-") }.sorted()
    }

    func testAValueIsReadBackUnderItsKeyAndMadeAgainOtherwise() throws {
        let cache = TemporaryFolder.path("kept")
        defer { try? FileManager.default.removeItem(at: cache) }
        var made = 0
        func value(_ key: String, _ text: String = "made") throws -> (value: Value, kept: Bool) {
            try self.value("thing", key, in: cache) {
                made += 1
                return Value(text: text + " ü", numbers: [made, -2])
            }
        }
        let first = try value("one")
        XCTAssertFalse(first.kept)
        XCTAssertEqual(made, 1)
        let again = try value("one", "not made")
        XCTAssertTrue(again.kept)
        XCTAssertEqual(again.value, first.value, "as it was made, not made again")
        XCTAssertEqual(made, 1)

        // Another key: made, and kept beside the first.
        XCTAssertFalse(try value("two").kept)
        XCTAssertEqual(made, 2)
        XCTAssertEqual(runs("thing", in: cache).count, 2)
        XCTAssertTrue(try value("one").kept)
        XCTAssertTrue(try value("two").kept)

        // A damaged file is made again, and written over.
        for name in runs("thing", in: cache) { try Data("not a value".utf8).write(to: cache.appendingPathComponent(name)) }
        XCTAssertFalse(try value("one").kept)
        XCTAssertEqual(made, 3)
        XCTAssertTrue(try value("one").kept)
        // So is a file with bytes after the value (two writers' bytes, a file cut and joined).
        for name in runs("thing", in: cache) {
            let handle = try FileHandle(forWritingTo: cache.appendingPathComponent(name))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data([0]))
            try handle.close()
        }
        XCTAssertFalse(try value("one").kept)
        XCTAssertEqual(made, 4)
        XCTAssertTrue(try value("one").kept)

        // A failure keeps nothing: the next call makes it.
        struct Failed: Error {}
        XCTAssertThrowsError(try self.value("failing", "k", in: cache) { throw Failed() })
        XCTAssertEqual(runs("failing", in: cache), [])

        // Without a cache folder, made every time.
        let none = try self.value("thing", "one", in: nil) { Value(text: "fresh", numbers: []) }
        XCTAssertFalse(none.kept)
        XCTAssertEqual(none.value.text, "fresh")

        // No more than ``PassingRunCache/keptRuns`` keys.
        for index in 0..<(PassingRunCache.keptRuns + 3) { _ = try value("key \(index)") }
        XCTAssertEqual(runs("thing", in: cache).count, PassingRunCache.keptRuns)
    }

    /// The prose as it is kept reads back as it was read: every text of every loss, parameter, peer,
    /// section and category in every language (with the fallbacks), the names, the files as pages,
    /// the warnings; a language without some files (warnings, fallbacks) included.
    func testKeptProseReadsBackAsRead() throws {
        let content = TemporaryFolder.path("prose").appendingPathComponent("content")
        defer { try? FileManager.default.removeItem(at: content.deletingLastPathComponent()) }
        try SiteFixture.copyRepositoryProse(to: content)
        try FileManager.default.removeItem(at: content.appendingPathComponent("en/reference/focal.md"))
        try FileManager.default.removeItem(at: content.appendingPathComponent("en/reference/_catalog.md"))
        let read = try CatalogProse.load(contentDirectory: content, displayRoot: "content", languages: ["zh", "en"])
        XCTAssertFalse(read.warnings.isEmpty)
        let bytes = try CompactCoding.encode(read.stored)
        let kept = try bytes.withUnsafeBytes { raw -> CatalogProse in
            var reader = CompactReader(raw)
            let prose = try CatalogProse(compact: &reader)
            XCTAssertEqual(reader.offset, raw.count)
            return prose
        }
        XCTAssertEqual(kept.languages, read.languages)
        XCTAssertEqual(kept.displayRoot, read.displayRoot)
        XCTAssertEqual(kept.warnings.map(\.description), read.warnings.map(\.description))
        XCTAssertEqual(kept.pages.map { "\($0.language) \($0.relativePath) \($0.displayPath) \($0.contentHash) \($0.frontMatter.sourceHash ?? "-")" },
                       read.pages.map { "\($0.language) \($0.relativePath) \($0.displayPath) \($0.contentHash) \($0.frontMatter.sourceHash ?? "-")" })
        var compared = 0
        for language in ["zh", "en", "fr"] {
            XCTAssertEqual(kept.names(in: language), read.names(in: language))
            for category in LossCategory.allCases { XCTAssertEqual(kept.category(category, in: language), read.category(category, in: language)) }
            for descriptor in Catalog.descriptors {
                var items: [CatalogProse.Item] = [.title, .input, .gradient, .notes, .example]
                items += descriptor.parameters.map { .parameter($0.name) } + [.parameter("not-a-parameter")]
                items += descriptor.peers.map { .peer(library: $0.library, call: $0.call) }
                for item in items {
                    XCTAssertEqual(kept.text(item, of: descriptor.id, in: language), read.text(item, of: descriptor.id, in: language),
                                   "\(language) \(descriptor.id) \(item)")
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 500)
        XCTAssertEqual(kept.stored.texts, read.stored.texts)
    }

    /// The "basic" fixture with this repository's catalog prose as its own, and reference pages.
    private func fixtureWithProse() throws -> SiteFixture {
        let fixture = try SiteFixture("basic")
        try fixture.copyRepositoryProse()
        try edit(fixture, "lossbook.yaml", "reference_pages: false", "reference_pages: true")
        return fixture
    }

    /// A site with reference pages and catalog prose of its own, built as `lossbook build` builds:
    /// a note edited reads both back; the prose or the theme's strings edited make them again,
    /// and the page shows the edit; the site is a fresh build's (compared once: a fresh build runs
    /// every reference page's blocks again).
    func testKeptProseAndReferencePagesBuildWhatMadeOnesBuild() async throws {
        let fixture = try fixtureWithProse()
        defer { fixture.remove() }
        let options = Self.keeping(try fixture.optionsWithOwnTheme())
        let first = try await SiteBuilder.build(options)
        XCTAssertFalse(first.proseFromCache)
        XCTAssertFalse(first.referencePagesFromCache)
        XCTAssertGreaterThan(first.pages, 40, "the reference pages are built")
        var edits = 0
        func noteEdited() async throws -> BuildReport {
            edits += 1
            try edit(fixture, "en/focal.md", "it costs", "edit \(edits); it costs")
            return try await SiteBuilder.build(options)
        }

        let kept = try await noteEdited()
        XCTAssertTrue(kept.proseFromCache)
        XCTAssertTrue(kept.referencePagesFromCache)
        XCTAssertEqual(kept.pages, first.pages)
        XCTAssertEqual(kept.warnings.map(\.description), first.warnings.map(\.description), "the prose's warnings are kept too")

        // The prose edited: read and made again, and shown; then kept in its new form.
        try edit(fixture, "en/reference/focal.md", "## gradient\n\n", "## gradient\n\nAn edited gradient section. ")
        let proseEdited = try await SiteBuilder.build(options)
        XCTAssertFalse(proseEdited.proseFromCache)
        XCTAssertFalse(proseEdited.referencePagesFromCache)
        XCTAssertTrue(try fixture.read("en/reference/focal/index.html").contains("An edited gradient section."))
        let afterProse = try await noteEdited()
        XCTAssertTrue(afterProse.proseFromCache)
        XCTAssertTrue(afterProse.referencePagesFromCache)
        XCTAssertTrue(try fixture.read("en/reference/focal/index.html").contains("An edited gradient section."))

        // A string of the theme edited: the pages made again from the kept prose.
        try edit(options.templatesDirectory.appendingPathComponent("strings.yaml"), "ref_formula: Formula", "ref_formula: The formula")
        let stringEdited = try await SiteBuilder.build(options)
        XCTAssertTrue(stringEdited.proseFromCache)
        XCTAssertFalse(stringEdited.referencePagesFromCache)
        XCTAssertTrue(try fixture.read("en/reference/focal/index.html").contains("The formula"))

        // A prose file removed: read again (its warning names the file to write).
        try FileManager.default.removeItem(at: fixture.content.appendingPathComponent("en/reference/focal.md"))
        let removed = try await SiteBuilder.build(options)
        XCTAssertFalse(removed.proseFromCache)
        XCTAssertTrue(removed.warnings.contains { $0.path.hasSuffix("en/reference/focal.md") && $0.message.contains("no en text for loss 'focal'") },
                      "\(removed.warnings.map(\.description))")
        let last = try await noteEdited()
        XCTAssertTrue(last.proseFromCache)
        XCTAssertTrue(last.referencePagesFromCache)
        XCTAssertEqual(last.warnings.map(\.description), removed.warnings.map(\.description))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A mistake in the prose is reported by every build until it is mended: nothing was kept.
    func testProseThatFailsIsReportedByEveryBuild() async throws {
        let fixture = try fixtureWithProse()
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try fixture.write("---\ntitle: Nothing\n---\n", to: "content/en/reference/not-a-loss.md")
        for _ in 0..<2 {
            do {
                try await SiteBuilder.build(options)
                XCTFail("a prose file of no loss fails the build")
            } catch let failure as BuildFailure {
                XCTAssertTrue(failure.diagnostics.contains { $0.message.contains("no loss 'not-a-loss'") }, "\(failure.diagnostics)")
            }
        }
        try FileManager.default.removeItem(at: fixture.content.appendingPathComponent("en/reference/not-a-loss.md"))
        let mended = try await SiteBuilder.build(options)
        XCTAssertFalse(mended.proseFromCache)
        let unchanged = try await SiteBuilder.build(options)
        XCTAssertTrue(unchanged.upToDate)
    }
}
