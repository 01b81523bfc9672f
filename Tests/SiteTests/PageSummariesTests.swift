import Foundation
import XCTest
@testable import Site

/// ``PageMemo/Summaries``: a build takes its kept pages from the summaries file only where a record
/// describes the very file it is for, settled (not racily clean); everything else is read from the
/// page's own file, and the site is a fresh build's whatever the summaries file holds.
final class PageSummariesTests: XCTestCase {
    /// Built, built again after an edit (every record racy: made right after its file was
    /// written), then settled: the third build takes every page it keeps from the summaries, and a
    /// prose edit appends a record or two instead of writing the file anew.
    func testSettledRecordsAreTakenAndAnEditAppends() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        // Past the margin (``InputIndex/fineRacyMargin``) after the files were written: the next
        // build's records of them may be taken.
        usleep(60_000)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (one)")
        let second = try await SiteBuilder.build(options)
        XCTAssertEqual(second.keptPagesFromSummaries, 0, "the first build wrote every page's file, and recorded none")
        try edit(fixture, "en/focal.md", "(one)", "(two)")
        let third = try await SiteBuilder.build(options)
        XCTAssertGreaterThan(third.keptPagesFromSummaries, 0)
        XCTAssertEqual(third.keptPagesFromSummaries, third.reusedPages, "every kept page from the summaries")
        // The second build recorded every page it kept (it wrote the file anew). A kept page's file
        // touched since its record: read from itself, and its record appended.
        let path = Self.summaries(options)
        let before = try XCTUnwrap(SiteFile.status(path))
        let touched = options.cacheDirectory!.appendingPathComponent(PageMemo.folderName).appendingPathComponent(PageMemo.fileName("note zh/focal.md"))
        // Modified "in ten seconds" (a clock ahead of this one): its record, made now, is racy.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 10)], ofItemAtPath: touched.path)
        try edit(fixture, "en/focal.md", "(two)", "(three)")
        let fourth = try await SiteBuilder.build(options)
        XCTAssertEqual(fourth.keptPagesFromSummaries, fourth.reusedPages - 1, "the touched file read from itself")
        let after = try XCTUnwrap(SiteFile.status(path))
        XCTAssertGreaterThan(after.st_size, before.st_size, "its record appended")
        XCTAssertEqual(after.st_ino, before.st_ino, "appended to, not written anew")
        XCTAssertLessThan(after.st_size - before.st_size, before.st_size / 2)
        try await assertSameAsFreshBuild(fixture, options)

        // Its record is racy: the file rewritten in place, its size and modification time as
        // recorded, is still read from itself (its summary no longer reads).
        let recorded = try XCTUnwrap(SiteFile.status(touched.path))
        var bytes = try Data(contentsOf: touched)
        let mark = Array("format".utf8) // the summary's first key
        let at = try XCTUnwrap((0..<bytes.count - mark.count).first { bytes[$0..<$0 + mark.count].elementsEqual(mark) })
        bytes[at] = UInt8(ascii: "F")
        let handle = try FileHandle(forWritingTo: touched)
        try handle.write(contentsOf: bytes)
        try handle.close()
        var times = [recorded.st_atim, recorded.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, touched.path, &times, 0), 0)
        try edit(fixture, "en/focal.md", "(three)", "(four)")
        let fifth = try await SiteBuilder.build(options)
        XCTAssertEqual(fifth.reusedPages, fifth.pages - 2, "the racily recorded file read from itself, and its page made again")
        XCTAssertEqual(fifth.keptPagesFromSummaries, fifth.reusedPages)
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A memo file changed after its record was made is read from itself; the summaries cut short,
    /// damaged or of another identity are ignored. The site is a fresh build's each time.
    func testChangedFilesAndDamagedSummariesAreReadFromTheFiles() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        var round = 0
        func settle() async throws {
            round += 1
            usleep(60_000)
            try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (settle \(round))")
            try await SiteBuilder.build(options)
            try edit(fixture, "en/focal.md", " (settle \(round))", "")
            let settled = try await SiteBuilder.build(options)
            XCTAssertGreaterThan(settled.keptPagesFromSummaries, 0)
        }
        func rebuild() async throws -> BuildReport {
            round += 1
            try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edit \(round))")
            let report = try await SiteBuilder.build(options)
            try await assertSameAsFreshBuild(fixture, options)
            try edit(fixture, "en/focal.md", " (edit \(round))", "")
            return report
        }

        // A page's file rewritten in place (its lengths kept, one byte of its summary changed).
        try await settle()
        let memo = options.cacheDirectory!.appendingPathComponent(PageMemo.folderName)
        let name = PageMemo.fileName("note zh/focal.md")
        var bytes = try Data(contentsOf: memo.appendingPathComponent(name))
        let mark = Array("prose-numbers".utf8)
        if let at = (0..<bytes.count - mark.count).first(where: { bytes[$0..<$0 + mark.count].elementsEqual(mark) }) {
            bytes[at] = UInt8(ascii: "P")
        }
        try bytes.write(to: memo.appendingPathComponent(name))
        let changed = try await rebuild()
        XCTAssertEqual(changed.keptPagesFromSummaries, changed.reusedPages - 1, "the changed file read from itself")

        // The summaries cut inside a record: the records before the cut are taken.
        try await settle()
        let path = Self.summaries(options)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let first = PageMemo.Summaries.head(identity: try Self.identity(options)).count
        let prefix = (0..<8).reduce(0) { $0 | Int(whole[first + 16 + 8 * 5 + $1]) << (8 * $1) }
        try whole.prefix(first + PageMemo.Summaries.recordHead + prefix + 10).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(PageMemo.Summaries.read(path, identity: try Self.identity(options))?.records.count, 1, "the record before the cut")
        let cut = try await rebuild()
        XCTAssertLessThan(cut.keptPagesFromSummaries, cut.reusedPages)

        // A record whose lengths do not add up: the file is refused whole.
        try await settle()
        var damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        damaged[first + 16 + 8 * 5] ^= 0x40 // the first record's prefix length
        try damaged.write(to: URL(fileURLWithPath: path))
        let refused = try await rebuild()
        XCTAssertEqual(refused.keptPagesFromSummaries, 0)

        // Another identity's summaries.
        try await settle()
        var other = try Data(contentsOf: URL(fileURLWithPath: path))
        let line = Array(PageMemo.Summaries.format.utf8).count + 1
        other[line] = other[line] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        try other.write(to: URL(fileURLWithPath: path))
        let foreign = try await rebuild()
        XCTAssertEqual(foreign.keptPagesFromSummaries, 0)
    }

    /// Read back, a file written whole and then appended to holds each name's last record, and
    /// counts the bytes of the records replaced (what decides when it is written anew, compacted).
    func testALaterRecordOfANameReplacesTheEarlierOne() throws {
        typealias Summaries = PageMemo.Summaries
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("summaries-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(Summaries.fileName).path
        // A record of `prefix` bytes (at least a memo file's head), each byte `fill`.
        func record(_ key: String, prefix: Int, fill: UInt8) -> (name: String, record: Summaries.Record, bytes: [UInt8]) {
            let bytes = [UInt8](repeating: fill, count: prefix)
            return (PageMemo.fileName(key), Summaries.Record(device: 1, inode: UInt64(fill), size: Int64(prefix + 10), modified: 5,
                                                              prefix: prefix, draft: 4, html: 6, checked: 9), bytes)
        }
        let minimum = PageMemo.headLength
        let first = [record("note en/a.md", prefix: minimum + 7, fill: 1), record("note en/b.md", prefix: minimum + 30, fill: 2),
                     record("note zh/c.md", prefix: minimum, fill: 3)]
        first.flatMap(\.bytes).withUnsafeBytes { all in
            var offset = 0
            Summaries.write(first.map { page in
                defer { offset += page.bytes.count }
                return (page.name, page.record, UnsafeRawBufferPointer(rebasing: all[offset..<offset + page.bytes.count]))
            }, identity: "one", to: path)
        }
        // Appended: a later record of `a`, then of `c` twice, and a new name.
        let later = [record("note en/a.md", prefix: minimum + 90, fill: 4), record("note zh/c.md", prefix: minimum + 1, fill: 5),
                     record("note zh/c.md", prefix: minimum + 2, fill: 6), record("note en/d.md", prefix: minimum + 3, fill: 7)]
        XCTAssertTrue(Summaries.append(later.map { ($0.name, $0.record, PageMemo.SummaryBytes($0.bytes)) }, to: path))
        let pack = try XCTUnwrap(Summaries.read(path, identity: "one"))
        XCTAssertEqual(Set(pack.records.keys), Set((first + later).map(\.name)))
        for (name, fill) in [("note en/a.md", UInt8(4)), ("note en/b.md", 2), ("note zh/c.md", 6), ("note en/d.md", 7)] {
            let found = try XCTUnwrap(pack.records[PageMemo.fileName(name)], name)
            XCTAssertEqual(found.record.inode, UInt64(fill), name)
            XCTAssertEqual(Array(pack.file.bytes[found.bytes]), [UInt8](repeating: fill, count: found.record.prefix), name)
        }
        let replaced = [first[0], first[2], later[1]].reduce(0) { $0 + Summaries.recordHead + $1.record.prefix }
        XCTAssertEqual(pack.replaced, replaced)
        let all = (first + later).reduce(0) { $0 + Summaries.recordHead + $1.record.prefix }
        XCTAssertEqual(pack.liveBytes, all - replaced)
        XCTAssertNil(Summaries.read(path, identity: "two"), "another identity's")
    }

    private static func summaries(_ options: BuildOptions) -> String {
        PageMemo.Summaries.path(cache: options.cacheDirectory!)
    }

    private static func identity(_ options: BuildOptions) throws -> String {
        let config = try SiteConfig.load(contentDirectory: options.contentDirectory, displayPath: "content")
        return PageMemo.identity(options: options, config: config)
    }
}
