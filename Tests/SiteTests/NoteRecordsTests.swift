import Foundation
import XCTest
@testable import Site

/// `build` with its page memo and build stamp reads only the notes whose bytes changed
/// (``NoteRecords``): the others are taken from what discovery made of them last time, their
/// bodies read only if a page must be parsed again. Whatever is taken, the site is, byte for byte,
/// what a fresh build without a cache writes.
final class NoteRecordsTests: XCTestCase {
    func testAProseEditReadsThatNoteAlone() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        let first = try await SiteBuilder.build(options)
        XCTAssertEqual(first.notesRead, try Self.notes(in: fixture), "no records before the first build: every note is read")

        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        let second = try await SiteBuilder.build(options)
        XCTAssertEqual(second.notesRead, 1, "the edited note alone is read")
        XCTAssertEqual(second.parses, 1)
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("(edited)"))
        try await assertSameAsFreshBuild(fixture, options)

        // The edited note was written a moment ago (its index entry is racy): its record holds the
        // hash of the bytes read, so the next edit of another note reads that note alone.
        try edit(fixture, "zh/focal.md", "焦点损失为", "焦点损失（改）为")
        let third = try await SiteBuilder.build(options)
        XCTAssertEqual(third.notesRead, 1)
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A note whose bytes change while its size and modification time stay those recorded is read
    /// again: its status-change time moved, so the build stamp's index hashes it again.
    func testANoteChangedUnderItsOldTimeIsReadAgain() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        try rewriteUnderItsOldTime(fixture, "en/focal.md", "Focal loss is", "Focal LOSS is")
        let report = try await SiteBuilder.build(options)
        XCTAssertEqual(report.notesRead, 1)
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("Focal LOSS is"))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A new note changes every page's inputs (the site's shape): each page is parsed again, the
    /// notes taken from their records read then, and the site is a fresh build's.
    func testPagesParsedAgainReadTheirNotes() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        try fixture.write("---\ntitle: Added\n---\n\nA new note, [home](index.md).\n", to: "content/en/added.md")
        let report = try await SiteBuilder.build(options)
        XCTAssertEqual(report.notesRead, 1, "the new note alone is read by discovery")
        XCTAssertEqual(report.parses, report.pages, "every page is parsed: the others' bodies were read for it")
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("Focal loss is"))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A draft taken from its record stays out of the site; published, it comes in.
    func testADraftTakenFromItsRecordStaysOut() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try fixture.write("---\ntitle: Unfinished\ndraft: true\n---\n\nNot yet.\n", to: "content/en/unfinished.md")
        try await SiteBuilder.build(options)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        let report = try await SiteBuilder.build(options)
        XCTAssertEqual(report.notesRead, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("en/unfinished/index.html").path))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A records file that does not read, or of another identity, is no records: every note is read.
    func testRecordsThatDoNotHoldAreNotUsed() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        let file = options.cacheDirectory!.appendingPathComponent(NoteRecords.fileName)
        let bytes = try Data(contentsOf: file)
        XCTAssertEqual(NoteRecords.parse([UInt8](bytes), identity: "another").count, 0, "another identity's records")
        XCTAssertEqual(NoteRecords.parse([UInt8](bytes), identity: Self.identity(of: bytes)).count, try Self.notes(in: fixture))
        XCTAssertEqual(NoteRecords.parse([UInt8](bytes.dropLast(3)), identity: Self.identity(of: bytes)).count, try Self.notes(in: fixture) - 1,
                       "a record cut short ends the file there; those before it hold")

        var damaged = [UInt8](bytes)
        damaged[damaged.count / 2] ^= 0xFF
        try Data(damaged.prefix(damaged.count / 2 + 1)).write(to: file)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        let report = try await SiteBuilder.build(options)
        XCTAssertGreaterThan(report.notesRead, 1, "the notes past the damage are read")
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A note taken from its record whose body then changed is refused when it must be parsed,
    /// rather than built from a body its record does not describe.
    func testABodyChangedAfterItsRecordIsRefused() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let note = fixture.content.appendingPathComponent("en/focal.md")
        let text = try String(contentsOf: note, encoding: .utf8)
        let split = try FrontMatter.read(text, path: "content/en/focal.md")
        var page = SourcePage(language: "en", relativePath: "focal.md", displayPath: "content/en/focal.md", frontMatter: split.frontMatter,
                              body: "", bodyLineOffset: split.bodyLineOffset, contentHash: fnv1a64Hex(split.body.utf8))
        page.leaveBodyUnread(in: note.path)
        var read = page
        try read.readBody(limits: Limits())
        XCTAssertEqual(read.body, split.body)
        XCTAssertFalse(read.bodyUnread)
        XCTAssertTrue(page.bodyUnread, "a copy's storage is its own")

        try (text + "\nMore.\n").write(to: note, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try page.readBody(limits: Limits())) { error in
            XCTAssertTrue("\(error)".contains("changed while this build was running"), "\(error)")
        }
    }

    /// The fixture's notes: its `.md` files under the language folders.
    static func notes(in fixture: SiteFixture) throws -> Int {
        try ["en", "zh"].reduce(0) { count, language in
            count + (try FileManager.default.subpathsOfDirectory(atPath: fixture.content.appendingPathComponent(language).path))
                .filter { $0.hasSuffix(".md") }.count
        }
    }

    private static func identity(of bytes: Data) -> String {
        String(decoding: bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 2)[1], as: UTF8.self)
    }
}
