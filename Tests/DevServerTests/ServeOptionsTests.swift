@testable import DevServer
import Foundation
import Site
import XCTest
import _TestSupport

final class ServeOptionsTests: XCTestCase {
    func testIntervalsAreFiniteFromAHundredthUpToADay() throws {
        XCTAssertEqual(try WatchInterval(seconds: 0.2).nanoseconds, 200_000_000)
        XCTAssertEqual(try WatchInterval(seconds: 86_400).nanoseconds, 86_400_000_000_000)
        XCTAssertEqual(try WatchInterval(seconds: WatchInterval.minimum).nanoseconds, 10_000_000)
        // 1e-300 s is 0 ns: the watcher would look again at once, for ever, at full CPU.
        for bad in [0, -0.0, -1, .nan, .infinity, -.infinity, 86_401, 1e300, -.leastNonzeroMagnitude, 1e-300, .leastNonzeroMagnitude, 0.009] {
            XCTAssertThrowsError(try WatchInterval(seconds: bad), "\(bad)") { error in
                XCTAssertTrue("\(error)".hasPrefix("--interval must be a positive, finite number"), "\(error)")
            }
        }
    }

    func testHostsAreAddressesAndLoopbackIsKnown() throws {
        XCTAssertTrue(try ServeAddress(host: "127.0.0.1", port: 8000).isLoopback)
        XCTAssertTrue(try ServeAddress(host: "127.1.2.3", port: 8000).isLoopback)
        XCTAssertTrue(try ServeAddress(host: "::1", port: 8000).isLoopback)
        XCTAssertEqual(try ServeAddress(host: "localhost", port: 8000).host, "127.0.0.1")
        XCTAssertFalse(try ServeAddress(host: "0.0.0.0", port: 8000).isLoopback)
        XCTAssertFalse(try ServeAddress(host: "::", port: 8000).isLoopback)
        XCTAssertEqual(try ServeAddress(host: "::1", port: 8000).url(port: 8000), "http://[::1]:8000/")
        for bad in ["", "example.com", "127.0.0.1:80", "256.0.0.1", "localhost."] {
            XCTAssertThrowsError(try ServeAddress(host: bad, port: 1), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("--host must be an IP address or localhost"), "\(error)")
            }
        }
    }

    func testOneLinePerRebuild() {
        let utc = TimeZone(identifier: "UTC")!
        let at = Date(timeIntervalSince1970: 12 * 3600 + 3 * 60 + 4)
        XCTAssertEqual(Rebuild(changed: ["./content/en/x.md"], seconds: 0.2149, finished: at).line(pages: 1, timeZone: utc),
                       "12:03:04 rebuilt 1 page in 0.21 s (content/en/x.md)")
        XCTAssertEqual(Rebuild(changed: ["a", "b", "c"], seconds: 1.5, finished: at).line(pages: 20, timeZone: utc),
                       "12:03:04 rebuilt 20 pages in 1.50 s (a and 2 more)")
        XCTAssertEqual(Rebuild(changed: [], seconds: 2, finished: at).line(pages: 20, timeZone: utc), "12:03:04 built 20 pages in 2.00 s")
        XCTAssertEqual(Rebuild(changed: ["content/en/x.md"], seconds: 0.3, finished: at).failureLine(errors: 2, timeZone: utc),
                       "12:03:04 build failed in 0.30 s: 2 errors (content/en/x.md)")
    }

    func testChangesAreAddedRemovedAndModifiedFiles() {
        let one = FileStamp(size: 1, modified: 1), two = FileStamp(size: 1, modified: 2)
        let before = SourceFingerprint(files: ["a": one, "b": one, "c": one])
        let after = SourceFingerprint(files: ["a": one, "b": two, "d": one])
        XCTAssertEqual(after.changes(since: before), ["b", "c", "d"])
    }

    /// Links are followed as the build follows them: editing the file a linked note points to, or
    /// a file in a linked folder, is a change; the target's folder is watched.
    func testLinkedNotesAndFoldersAreWatchedThroughTheirLinks() throws {
        let root = TemporaryFolder.path("watch-links")
        defer { TemporaryFolder.remove(root) }
        let fm = FileManager.default
        let content = root.appendingPathComponent("content"), elsewhere = root.appendingPathComponent("elsewhere")
        try fm.createDirectory(at: content.appendingPathComponent("en"), withIntermediateDirectories: true)
        try fm.createDirectory(at: elsewhere.appendingPathComponent("shared"), withIntermediateDirectories: true)
        try "a".write(to: elsewhere.appendingPathComponent("note.md"), atomically: false, encoding: .utf8)
        try "b".write(to: elsewhere.appendingPathComponent("shared/b.md"), atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("en/note.md").path, withDestinationPath: elsewhere.appendingPathComponent("note.md").path)
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("en/shared").path, withDestinationPath: elsewhere.appendingPathComponent("shared").path)
        // A link to itself's folder is walked once.
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("en/loop").path, withDestinationPath: content.appendingPathComponent("en").path)
        let before = SourceFingerprint([content.path])
        XCTAssertEqual(before.files.keys.sorted(), ["\(content.path)/en/note.md", "\(content.path)/en/shared/b.md"])
        XCTAssertTrue(before.folders.contains(elsewhere.resolvingSymlinksInPath().path), "\(before.folders)")
        XCTAssertTrue(before.folders.contains("\(content.path)/en/shared"), "\(before.folders)")

        try "a, edited".write(to: elsewhere.appendingPathComponent("note.md"), atomically: false, encoding: .utf8)
        try "b, edited".write(to: elsewhere.appendingPathComponent("shared/b.md"), atomically: false, encoding: .utf8)
        XCTAssertEqual(SourceFingerprint([content.path]).changes(since: before), ["\(content.path)/en/note.md", "\(content.path)/en/shared/b.md"])
    }

    /// A look at the files news named finds what a walk of every file finds: a file written, one
    /// removed, one made, a name news gave that is not there; it declines what a walk must tell (a
    /// folder, a link, a file beside a linked file's target).
    func testALookAtNamedFilesFindsWhatAWalkFinds() throws {
        let root = try TemporaryFolder.make("named-look")
        defer { TemporaryFolder.remove(root) }
        let fm = FileManager.default
        let en = root.appendingPathComponent("en"), sub = en.appendingPathComponent("sub"), elsewhere = root.appendingPathComponent("elsewhere")
        let shared = en.appendingPathComponent("shared")
        for folder in [sub, shared, elsewhere] { try fm.createDirectory(at: folder, withIntermediateDirectories: true) }
        for name in ["en/a.md", "en/b.md", "en/sub/c.md", "en/shared/s.md", "elsewhere/target.md", "elsewhere/other.md"] {
            try "x".write(to: root.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        try fm.createSymbolicLink(atPath: en.appendingPathComponent("linked.md").path, withDestinationPath: elsewhere.appendingPathComponent("target.md").path)
        try fm.createSymbolicLink(atPath: en.appendingPathComponent("alias.md").path, withDestinationPath: shared.appendingPathComponent("s.md").path)
        let roots = [en.path]
        let before = SourceFingerprint(roots)
        try "x, edited".write(to: en.appendingPathComponent("a.md"), atomically: false, encoding: .utf8)
        try fm.removeItem(at: en.appendingPathComponent("b.md"))
        try "new".write(to: sub.appendingPathComponent("d.md"), atomically: false, encoding: .utf8)
        let named: Set = ["\(en.path)/a.md", "\(en.path)/b.md", "\(sub.path)/d.md", "\(en.path)/gone.md"]
        let updated = try XCTUnwrap(before.updating(named))
        let walked = SourceFingerprint(roots)
        XCTAssertEqual(updated, walked)
        XCTAssertEqual(updated.changes(since: before), ["\(en.path)/a.md", "\(en.path)/b.md", "\(sub.path)/d.md"])

        XCTAssertNil(walked.updating([sub.path]), "a folder")
        try fm.removeItem(at: sub)
        XCTAssertNil(walked.updating([sub.path]), "a folder removed")
        try fm.createDirectory(at: en.appendingPathComponent("new"), withIntermediateDirectories: false)
        XCTAssertNil(walked.updating(["\(en.path)/new"]), "a folder made")
        try fm.createSymbolicLink(atPath: en.appendingPathComponent("link.md").path, withDestinationPath: elsewhere.appendingPathComponent("other.md").path)
        XCTAssertNil(walked.updating(["\(en.path)/link.md"]), "a link")
        let target = elsewhere.resolvingSymlinksInPath().appendingPathComponent("target.md").path
        XCTAssertNil(walked.updating([target]), "the target of a linked note, whose change is the link's")
        XCTAssertNil(walked.updating(["\(shared.path)/s.md"]), "a note in a folder that holds a linked note's target, named as walked")
        XCTAssertNil(walked.updating(["\(root.path)/unwalked/x.md"]), "a folder the walk did not name")
    }

    /// A file of an ignored name is no note (an editor's temporary file starts no look), unless a
    /// note is that file under another name: the hidden target of a linked note, another name of
    /// a note's file (a hard link), the missing target of a dangling link once it is made. Each of
    /// these was seen only by the look every two seconds.
    func testNewsOfAnIgnoredNameIsANotesOnlyWhenANoteIsThatFile() throws {
        let root = try TemporaryFolder.make("ignored-names")
        defer { TemporaryFolder.remove(root) }
        let fm = FileManager.default
        let en = root.appendingPathComponent("en"), elsewhere = root.appendingPathComponent("elsewhere"), later = root.appendingPathComponent("later")
        for folder in [en, elsewhere, later] { try fm.createDirectory(at: folder, withIntermediateDirectories: true) }
        for name in ["en/a.md", "en/b.md", "elsewhere/.real.md"] { try "x".write(to: root.appendingPathComponent(name), atomically: false, encoding: .utf8) }
        try fm.createSymbolicLink(atPath: en.appendingPathComponent("linked.md").path, withDestinationPath: elsewhere.appendingPathComponent(".real.md").path)
        try fm.linkItem(at: en.appendingPathComponent("b.md"), to: en.appendingPathComponent(".b.md"))
        try fm.createSymbolicLink(atPath: en.appendingPathComponent("dangling.md").path, withDestinationPath: "../later/.draft.md")
        let walked = SourceFingerprint([en.path])
        let real = elsewhere.resolvingSymlinksInPath(), pending = later.resolvingSymlinksInPath()
        XCTAssertTrue(walked.folders.contains(pending.path), "a dangling link's folder is watched: \(walked.folders)")

        try "temporary".write(to: en.appendingPathComponent(".a.md.swp"), atomically: false, encoding: .utf8)
        XCTAssertEqual(walked.updating(["\(en.path)/.a.md.swp", "\(en.path)/.gone.tmp"]), walked, "an editor's files: no note changed")
        XCTAssertEqual(walked.updating(["\(en.path)/.a.md.swp"])?.changes(since: walked), [])

        try "x, edited".write(to: real.appendingPathComponent(".real.md"), atomically: false, encoding: .utf8)
        XCTAssertNil(walked.updating(["\(real.path)/.real.md"]), "the hidden target of a linked note")
        try "x, edited".write(to: en.appendingPathComponent(".b.md"), atomically: false, encoding: .utf8)
        XCTAssertNil(walked.updating(["\(en.path)/.b.md"]), "another name of a note's file")
        XCTAssertNil(walked.updating(["\(en.path)/b.md"]), "a note's file that has another name")
        try "draft".write(to: pending.appendingPathComponent(".draft.md"), atomically: false, encoding: .utf8)
        XCTAssertNil(walked.updating(["\(pending.path)/.draft.md"]), "the target a dangling link waited for")
        XCTAssertNotEqual(SourceFingerprint([en.path]).changes(since: walked), [], "a walk sees each of them")
    }

    /// inotify's news: a write, a new folder (watched once a look names it), a folder removed and
    /// made again at the same path (watched anew).
    func testChangeNoticesReportWritesAndNewFolders() async throws {
        let root = try TemporaryFolder.make("notices")
        defer { TemporaryFolder.remove(root) }
        let notices = try XCTUnwrap(ChangeNotices())
        XCTAssertTrue(notices.watch([root.path]))
        XCTAssertFalse(notices.watch([root.path]), "a folder already watched")
        let quiet = await notices.wait(0.05)
        XCTAssertFalse(quiet)
        try "x".write(to: root.appendingPathComponent("a.md"), atomically: false, encoding: .utf8)
        let written = await notices.wait(1)
        XCTAssertTrue(written)
        let sub = root.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: false)
        let made = await notices.wait(1)
        XCTAssertTrue(made)
        XCTAssertTrue(notices.watch(SourceFingerprint([root.path]).folders))
        try "y".write(to: sub.appendingPathComponent("b.md"), atomically: false, encoding: .utf8)
        let inside = await notices.wait(1)
        XCTAssertTrue(inside)
        try FileManager.default.removeItem(at: sub)
        let removed = await notices.wait(1)
        XCTAssertTrue(removed)
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: false)
        _ = await notices.wait(1)
        XCTAssertTrue(notices.watch(SourceFingerprint([root.path]).folders), "the folder made again is watched anew")
        XCTAssertFalse(notices.incomplete)
    }

    /// News names the files it is about (a write, a removal, a rename's old and new names, an
    /// ignored name too), and names none when it is about a folder.
    func testChangeNoticesNameTheFilesTheyAreAbout() async throws {
        let root = try TemporaryFolder.make("named-notices")
        defer { TemporaryFolder.remove(root) }
        let notices = try XCTUnwrap(ChangeNotices())
        XCTAssertTrue(notices.watch(SourceFingerprint([root.path]).folders))
        try "x".write(to: root.appendingPathComponent("a.md"), atomically: false, encoding: .utf8)
        try "y".write(to: root.appendingPathComponent(".b.md.tmp"), atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(at: root.appendingPathComponent(".b.md.tmp"), to: root.appendingPathComponent("b.md"))
        let written = await notices.wait(1)
        XCTAssertTrue(written)
        XCTAssertEqual(notices.takeNamed(), ["\(root.path)/a.md", "\(root.path)/.b.md.tmp", "\(root.path)/b.md"])
        XCTAssertEqual(notices.takeNamed(), [], "taken once")
        try FileManager.default.removeItem(at: root.appendingPathComponent("a.md"))
        let removed = await notices.wait(1)
        XCTAssertTrue(removed)
        XCTAssertEqual(notices.takeNamed(), ["\(root.path)/a.md"])
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: false)
        try "z".write(to: root.appendingPathComponent("c.md"), atomically: false, encoding: .utf8)
        let made = await notices.wait(1)
        XCTAssertTrue(made)
        XCTAssertNil(notices.takeNamed(), "news of a folder names no file")
        XCTAssertEqual(notices.takeNamed(), [])
    }

    /// A folder watched under two names (itself and a link to it) shares one inotify descriptor:
    /// its news names no file, so the watcher looks at every file, under both names.
    func testNewsOfAFolderWatchedUnderTwoNamesNamesNoFile() async throws {
        let root = try TemporaryFolder.make("shared-watch")
        defer { TemporaryFolder.remove(root) }
        let real = root.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("alias").path, withDestinationPath: real.path)
        let fingerprint = SourceFingerprint([root.path])
        XCTAssertTrue(fingerprint.folders.contains(real.path) && fingerprint.folders.contains("\(root.path)/alias"), "\(fingerprint.folders)")
        let notices = try XCTUnwrap(ChangeNotices())
        XCTAssertTrue(notices.watch(fingerprint.folders))
        try "x".write(to: real.appendingPathComponent("a.md"), atomically: false, encoding: .utf8)
        let written = await notices.wait(1)
        XCTAssertTrue(written)
        XCTAssertNil(notices.takeNamed())
    }

    /// What the build ignores starts no rebuild: hidden files (an atomic save's temporary file),
    /// editor backups, hidden folders.
    func testIgnoredNamesAreNotWatched() throws {
        let root = TemporaryFolder.path("watch")
        defer { TemporaryFolder.remove(root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("en/.git"), withIntermediateDirectories: true)
        for name in ["en/a.md", "en/.a.md.tmp", "en/a.md~", "en/#a.md#", "en/.git/index"] {
            try "x".write(to: root.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        XCTAssertEqual(Array(SourceFingerprint([root.path]).files.keys), ["\(root.path)/en/a.md"])
    }

    func testPathsResolveInsideTheSiteOnly() throws {
        let root = TemporaryFolder.path("static")
        defer { TemporaryFolder.remove(root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("en/a b"), withIntermediateDirectories: true)
        try "x".write(to: root.appendingPathComponent("en/a b/index.html"), atomically: true, encoding: .utf8)
        let files = StaticFiles(root: root)
        XCTAssertEqual(files.resolve("/en/a%20b/"), .file(root.appendingPathComponent("en/a b/index.html")))
        XCTAssertEqual(files.resolve("/en/a%20b"), .redirect("/en/a%20b/"))
        XCTAssertEqual(files.resolve("/en"), .redirect("/en/"))
        XCTAssertEqual(files.resolve("/en/"), .missing, "a folder without index.html")
        XCTAssertEqual(files.resolve("/../etc/passwd"), .forbidden)
        XCTAssertEqual(files.resolve("/en/%2E%2E/%2E%2E/etc/passwd"), .forbidden)
        // `..` followed by a combining mark after the `/`: cut by characters, one part, not `..`.
        XCTAssertEqual(files.resolve("/..%2F%CC%81x"), .forbidden)
        XCTAssertEqual(files.resolve("/en/../%CC%81x"), .forbidden)
        XCTAssertEqual(files.resolve("/a%00b"), .badRequest)
        XCTAssertEqual(files.resolve("/%zz"), .badRequest)
        XCTAssertEqual(files.resolve("/no-such-file"), .missing)
    }

    func testEscapedErrorsAndEventText() {
        XCTAssertEqual(StatusPage.escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        XCTAssertEqual(ServerEvent.failed(errors: ["a:1:2: error: two\nlines"]).text, "event: failed\ndata: {\"errors\":[\"a:1:2: error: two\\nlines\"]}\n\n")
    }
}
