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

    /// Replaces `old` by `new` in the note at `path` under the fixture's content folder.
    func edit(_ fixture: SiteFixture, _ path: String, _ old: String, _ new: String,
              file: StaticString = #filePath, line: UInt = #line) throws {
        let url = fixture.content.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "\(path) lacks '\(old)'", file: file, line: line)
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    /// Replaces `old` by `new` (as many bytes) in the note at `path` in place: the same inode, the
    /// same size, its modification time set back to what it was. Only its status-change time moves.
    func rewriteUnderItsOldTime(_ fixture: SiteFixture, _ path: String, _ old: String, _ new: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let note = fixture.content.appendingPathComponent(path)
        let modified = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: note.path)[.modificationDate] as? Date)
        let text = try String(contentsOf: note, encoding: .utf8)
        let rewritten = text.replacingOccurrences(of: old, with: new)
        XCTAssertNotEqual(rewritten, text, "\(path) lacks '\(old)'", file: file, line: line)
        XCTAssertEqual(rewritten.utf8.count, text.utf8.count, "the same size", file: file, line: line)
        let handle = try FileHandle(forWritingTo: note)
        try handle.write(contentsOf: Data(rewritten.utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: note.path)
        let now = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: note.path)[.modificationDate] as? Date)
        XCTAssertEqual(now.timeIntervalSince(modified), 0, accuracy: 1e-3, "the modification time set back", file: file, line: line)
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
