import Foundation
import XCTest
@testable import Site

/// What the tests of rebuilds (``PageMemoTests``, ``SpareSiteTests``, ``AssembledPagesTests``,
/// ``NoteRecordsTests``, ``BuildSessionTests``) share: builds that keep their pages, editing a note in place, and
/// comparing the site with a fresh build's.
extension XCTestCase {
    /// `options` with the page memo kept between builds, as `lossbook build` keeps it.
    static func keeping(_ options: BuildOptions) -> BuildOptions {
        var options = options
        options.keepsPages = true
        return options
    }

    /// The page memo's folder of a build with `options` (``PageMemo``).
    static func memo(_ options: BuildOptions) -> URL {
        options.cacheDirectory!.appendingPathComponent(PageMemo.folderName)
    }

    /// Every file of the memo folder, by its path in the folder, with its bytes.
    static func memoFiles(_ options: BuildOptions) throws -> [String: Data] {
        try SiteFixture.snapshot(of: memo(options))
    }

    /// Replaces `old` by `new` in the note at `path` under the fixture's content folder.
    func edit(_ fixture: SiteFixture, _ path: String, _ old: String, _ new: String,
              file: StaticString = #filePath, line: UInt = #line) throws {
        try edit(fixture.content.appendingPathComponent(path), old, new, file: file, line: line)
    }

    /// Replaces `old` by `new` in the file at `url` (a note, a template), written anew.
    func edit(_ url: URL, _ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "\(url.lastPathComponent) lacks '\(old)'", file: file, line: line)
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    /// Replaces `old` by `new` (as many bytes) in the note at `path` in place: the same inode, the
    /// same size, its modification time set back to what it was. Only its status-change time moves.
    func rewriteUnderItsOldTime(_ fixture: SiteFixture, _ path: String, _ old: String, _ new: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        try rewriteUnderItsOldTime(fixture.content.appendingPathComponent(path), old, new, file: file, line: line)
    }

    /// ``rewriteUnderItsOldTime(_:_:_:_:file:line:)`` for the file at `url` (a note, a template):
    /// its size, inode and modification time, to the nanosecond, are those it had.
    func rewriteUnderItsOldTime(_ url: URL, _ old: String, _ new: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        var before = stat()
        XCTAssertEqual(stat(url.path, &before), 0, file: file, line: line)
        let text = try String(contentsOf: url, encoding: .utf8)
        let rewritten = text.replacingOccurrences(of: old, with: new)
        XCTAssertNotEqual(rewritten, text, "\(url.lastPathComponent) lacks '\(old)'", file: file, line: line)
        XCTAssertEqual(rewritten.utf8.count, text.utf8.count, "the same size", file: file, line: line)
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data(rewritten.utf8))
        try handle.close()
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, [before.st_atim, before.st_mtim], 0), 0, file: file, line: line)
        var after = stat()
        XCTAssertEqual(stat(url.path, &after), 0, file: file, line: line)
        XCTAssertEqual([after.st_size, after.st_mtim.tv_sec, after.st_mtim.tv_nsec, Int(after.st_ino)],
                       [before.st_size, before.st_mtim.tv_sec, before.st_mtim.tv_nsec, Int(before.st_ino)],
                       "the same size, modification time and file", file: file, line: line)
    }

    /// The site in `fixture.output` has the files, bytes and folders of a fresh build's, without
    /// any cache, of the same content and templates.
    func assertSameAsFreshBuild(_ fixture: SiteFixture, _ options: BuildOptions,
                                file: StaticString = #filePath, line: UInt = #line) async throws {
        var fresh = options
        fresh.keepsPages = false
        fresh.cacheDirectory = nil
        fresh.outputDirectory = fixture.root.appendingPathComponent("fresh")
        try? FileManager.default.removeItem(at: fresh.outputDirectory)
        try await SiteBuilder.build(fresh)
        let expected = try SiteFixture.snapshot(of: fresh.outputDirectory)
        let site = try fixture.snapshot()
        XCTAssertEqual(Set(site.keys), Set(expected.keys), file: file, line: line)
        for (path, bytes) in expected where site[path] != bytes {
            XCTFail("\(path) differs from a fresh build's", file: file, line: line)
        }
        XCTAssertEqual(Self.folders(fixture.output), Self.folders(fresh.outputDirectory), "folders", file: file, line: line)
    }

    private static func folders(_ root: URL) -> Set<String> {
        let base = root.resolvingSymlinksInPath().path
        var folders: Set<String> = []
        for path in (FileManager.default.enumerator(atPath: base)?.allObjects as? [String]) ?? [] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory), isDirectory.boolValue { folders.insert(path) }
        }
        return folders
    }
}
