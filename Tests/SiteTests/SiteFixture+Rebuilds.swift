import Foundation
import XCTest
@testable import Site

/// What the tests of rebuilds (``PageMemoTests``, ``SpareSiteTests``, ``AssembledPagesTests``,
/// ``NoteRecordsTests``) share: builds that keep their pages, editing a note in place, and
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
