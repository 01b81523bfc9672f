import Foundation
import XCTest
@testable import Site

/// The site a build replaces is kept in the cache folder as the next build's staging folder
/// (``SiteWriter``'s spare): the next build writes only the files that differ from it and removes
/// what the new site no longer has. Whatever the spare holds, the site swapped in is, file for
/// file and folder for folder, what a fresh build without a cache writes; and the live site is
/// never written through an inode it shares with the spare.
final class SpareSiteTests: XCTestCase {
    func testTheReplacedSiteBecomesTheNextStagingFolderAndUnchangedFilesShareOneInode() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options()
        let spare = Self.spare(options)
        try await SiteBuilder.build(options)
        XCTAssertFalse(FileManager.default.fileExists(atPath: spare.path), "no site was replaced yet")

        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (first edit)")
        try await SiteBuilder.build(options)
        XCTAssertTrue(FileManager.default.fileExists(atPath: spare.appendingPathComponent(OutputSafety.marker).path),
                      "the replaced site is kept, marker and all")
        try await assertSameAsFreshBuild(fixture, options)

        try edit(fixture, "en/focal.md", "(first edit)", "(second edit)")
        try fixture.write("---\ntitle: New page\n---\n\nA new page.\n", to: "content/en/brand-new.md")
        try await SiteBuilder.build(options)
        try await assertSameAsFreshBuild(fixture, options)
        // The spare is the site before this build: the edited page is its own file there, an
        // unchanged page the site's very inode.
        XCTAssertTrue(try String(contentsOf: spare.appendingPathComponent("en/focal/index.html"), encoding: .utf8).contains("(first edit)"))
        XCTAssertNotEqual(try Self.inode(fixture.output, "en/focal/index.html"), try Self.inode(spare, "en/focal/index.html"))
        XCTAssertEqual(try Self.inode(fixture.output, "zh/focal/index.html"), try Self.inode(spare, "zh/focal/index.html"))

        // A deleted page leaves neither its file nor its folder when the spare takes the build.
        try FileManager.default.removeItem(at: fixture.content.appendingPathComponent("en/brand-new.md"))
        try await SiteBuilder.build(options)
        try edit(fixture, "en/focal.md", "(second edit)", "(third edit)")
        try await SiteBuilder.build(options) // its staging folder, the spare, held brand-new/
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("en/brand-new").path))
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// Files changed, added or turned into folders in the spare (and a folder where the site needs
    /// a file, or a file where it needs a folder) are all put right by the next build.
    func testATamperedSpareGivesAFreshBuildsSite() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options()
        let spare = Self.spare(options)
        try await SiteBuilder.build(options)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        try await SiteBuilder.build(options)
        XCTAssertTrue(FileManager.default.fileExists(atPath: spare.path))

        let fm = FileManager.default
        // Same size, other bytes, own inode (the site's file is not touched); and the same where
        // the live site lost its file, so that only the spare's is there to compare.
        for path in ["zh/index.html", "en/index.html"] {
            let index = spare.appendingPathComponent(path)
            let size = try Data(contentsOf: index).count
            try fm.removeItem(at: index)
            try Data(repeating: UInt8(ascii: "x"), count: size).write(to: index)
        }
        try fm.removeItem(at: fixture.output.appendingPathComponent("en/index.html"))
        try Data("stray".utf8).write(to: spare.appendingPathComponent("en/stray.html"))
        try fm.createDirectory(at: spare.appendingPathComponent("zh/ghost/deeper"), withIntermediateDirectories: true)
        try Data("ghost".utf8).write(to: spare.appendingPathComponent("zh/ghost/deeper/index.html"))
        let page = spare.appendingPathComponent("en/focal/index.html")
        try fm.removeItem(at: page)
        try fm.createDirectory(at: page.appendingPathComponent("inside"), withIntermediateDirectories: true)
        try edit(fixture, "en/focal.md", "(edited)", "(edited once more)") // or the build has nothing to do
        try await SiteBuilder.build(options)
        try await assertSameAsFreshBuild(fixture, options)
        XCTAssertFalse(fm.fileExists(atPath: fixture.output.appendingPathComponent("zh/ghost").path), "an empty folder left")

        // A file where the site needs a folder: the spare is dropped, the site staged afresh.
        try edit(fixture, "en/focal.md", "(edited once more)", "(edited again)")
        let folder = spare.appendingPathComponent("zh/focal")
        try fm.removeItem(at: folder)
        try Data("not a folder".utf8).write(to: folder)
        try await SiteBuilder.build(options)
        try await assertSameAsFreshBuild(fixture, options)
    }

    /// A link where the site needs a folder (a page's folder, a language's), in the spare or in
    /// the site that becomes the spare, is replaced by a folder: nothing is written through it
    /// (outside the site), and no page goes missing with it.
    func testALinkWhereTheSiteNeedsAFolderIsNotWrittenThrough() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options()
        let spare = Self.spare(options)
        let fm = FileManager.default
        let victim = fixture.root.appendingPathComponent("victim"), language = fixture.root.appendingPathComponent("victim-zh")
        try fm.createDirectory(at: victim, withIntermediateDirectories: true)
        try await SiteBuilder.build(options)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        try await SiteBuilder.build(options)
        XCTAssertTrue(fm.fileExists(atPath: spare.path))

        // In the spare: a page's folder and a whole language's folder made links.
        try fm.removeItem(at: spare.appendingPathComponent("en/focal"))
        try fm.createSymbolicLink(at: spare.appendingPathComponent("en/focal"), withDestinationURL: victim)
        try fm.moveItem(at: spare.appendingPathComponent("zh"), to: language)
        try fm.createSymbolicLink(at: spare.appendingPathComponent("zh"), withDestinationURL: language)
        let languageBefore = try SiteFixture.snapshot(of: language)
        try edit(fixture, "en/focal.md", "(edited)", "(edited again)")
        try await SiteBuilder.build(options)
        try await assertSameAsFreshBuild(fixture, options)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: victim.path), [], "nothing written through the page's link")
        XCTAssertEqual(try SiteFixture.snapshot(of: language), languageBefore, "nothing written through the language's link")
        for folder in ["en/focal", "zh", "zh/focal"] {
            var info = stat()
            XCTAssertEqual(lstat(fixture.output.appendingPathComponent(folder).path, &info), 0, folder)
            XCTAssertEqual(info.st_mode & S_IFMT, S_IFDIR, "\(folder) is a folder, not a link")
        }

        // In the site, by hand: two builds later its replaced copy is the staging folder.
        try fm.removeItem(at: fixture.output.appendingPathComponent("en/focal"))
        try fm.createSymbolicLink(at: fixture.output.appendingPathComponent("en/focal"), withDestinationURL: victim)
        for round in 1...2 {
            try edit(fixture, "en/focal.md", round == 1 ? "(edited again)" : "(edited once more)", round == 1 ? "(edited once more)" : "(edited twice more)")
            try await SiteBuilder.build(options)
        }
        try await assertSameAsFreshBuild(fixture, options)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: victim.path), [], "nothing written through the site's link")
    }

    /// The spare's copy of an unchanged file is the live site's inode: a build that changes that
    /// file must replace it in the staging folder, not write into it, or the live site would
    /// change before the swap (and stay changed if the build then fails).
    func testAChangedFileIsNotWrittenThroughTheLiveSitesInode() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options()
        try await SiteBuilder.build(options)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (edited)")
        try await SiteBuilder.build(options)
        let spare = Self.spare(options)
        XCTAssertEqual(try Self.inode(fixture.output, "zh/focal/index.html"), try Self.inode(spare, "zh/focal/index.html"))
        let live = try fixture.read("zh/focal/index.html")

        let writer = try SiteWriter(output: fixture.output, spare: spare)
        XCTAssertTrue(writer.reusesSpare)
        try writer.write(["zh/focal/index.html": "a changed page"])
        XCTAssertEqual(try String(contentsOf: writer.staging.appendingPathComponent("zh/focal/index.html"), encoding: .utf8), "a changed page")
        writer.discard()
        XCTAssertEqual(try fixture.read("zh/focal/index.html"), live)
    }

    // MARK: - Helpers

    /// A build walks the spare while it makes the site (``SpareListing/early(_:)``) and takes that
    /// listing when it claims the same folder, unchanged since.
    func testTheSpareWalkedEarlyIsTakenWhenItIsTheFolderClaimed() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options()
        try await SiteBuilder.build(options)
        try edit(fixture, "en/focal.md", "](index.md)", "](index.md) (first edit)")
        try await SiteBuilder.build(options)
        let spare = Self.spare(options)
        let early = Ahead { SpareListing.early(spare) }
        let walked = try XCTUnwrap(early.value, "the spare, walked")
        XCTAssertEqual(walked.walked.files["en/focal/index.html"].map(UInt.init), try Self.inode(spare, "en/focal/index.html"))
        let writer = try SiteWriter(output: fixture.output, spare: spare, early: early)
        XCTAssertTrue(writer.reusesSpare)
        XCTAssertTrue(writer.listsEarlyWalk)
        writer.discard()

        var builder = SiteBuilder(fixture.options())
        builder.startSpareWalk()
        XCTAssertNotNil(builder.spareWalk, "a build that stages its site walks the spare")
        var checking = fixture.options()
        checking.write = false
        builder = SiteBuilder(checking)
        builder.startSpareWalk()
        XCTAssertNil(builder.spareWalk, "`check` writes nothing")
    }

    /// A spare renamed since it was walked (another build claimed it, and a later one put it back
    /// as its own spare, a file of it replaced meanwhile), or another folder in its place, is
    /// walked again once claimed: the walk's inodes would keep a file the site must not have.
    func testASpareRenamedOrReplacedSinceTheEarlyWalkIsWalkedAgain() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("spare-early-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let output = root.appendingPathComponent("site"), spare = root.appendingPathComponent("spare")
        for folder in [output, spare] {
            try fm.createDirectory(at: folder.appendingPathComponent(OutputSafety.marker), withIntermediateDirectories: true)
            try fm.createDirectory(at: folder.appendingPathComponent("a"), withIntermediateDirectories: true)
        }
        let page = "a/index.html"
        try Data("new".utf8).write(to: output.appendingPathComponent(page))
        XCTAssertEqual(link(output.appendingPathComponent(page).path, spare.appendingPathComponent(page).path), 0)
        let live = try XCTUnwrap(SiteFile.status(output.appendingPathComponent(page).path))
        let file = (device: UInt64(live.st_dev), inode: UInt64(live.st_ino))

        for replaced in [false, true] {
            let early = Ahead { SpareListing.early(spare) }
            XCTAssertEqual(early.value?.walked.files[page], file.inode, "the walk saw the live site's inode")
            usleep(30_000) // past a tick of the file system's coarse clock
            let away = root.appendingPathComponent("away")
            if replaced {
                // Another folder where the spare was (another build's replaced site).
                try fm.moveItem(at: spare, to: away)
                try fm.createDirectory(at: spare.appendingPathComponent("a"), withIntermediateDirectories: true)
                try fm.createDirectory(at: spare.appendingPathComponent(OutputSafety.marker), withIntermediateDirectories: true)
                try Data("stale".utf8).write(to: spare.appendingPathComponent(page))
                // Taken for the claimed folder by its identity alone (its claim renames it): the
                // folder walked, wherever it is now, and no other.
                XCTAssertTrue(try XCTUnwrap(early.value).isCurrent(at: away.path, renamed: true))
                XCTAssertFalse(try XCTUnwrap(early.value).isCurrent(at: spare.path, renamed: true))
            } else {
                // The same folder, renamed away and back, its file replaced meanwhile.
                try fm.moveItem(at: spare, to: away)
                try fm.removeItem(at: away.appendingPathComponent(page))
                try Data("stale".utf8).write(to: away.appendingPathComponent(page))
                try fm.moveItem(at: away, to: spare)
            }
            var writer = try SiteWriter(output: output, spare: spare, early: early)
            XCTAssertTrue(writer.reusesSpare)
            XCTAssertFalse(writer.listsEarlyWalk, replaced ? "another folder" : "renamed since the walk")
            writer.vouched = { $0 == page ? file : nil }
            try writer.keep([page])
            try writer.commit()
            XCTAssertEqual(try String(contentsOf: output.appendingPathComponent(page), encoding: .utf8), "new")
            // The next round's spare: the site just replaced, its page the live one's inode again.
            try? fm.removeItem(at: away)
            XCTAssertEqual(try Self.inode(spare, page), UInt(file.inode))
        }
    }

    private static func spare(_ options: BuildOptions) -> URL {
        options.cacheDirectory!.appendingPathComponent(SiteWriter.spareName)
    }

    private static func inode(_ folder: URL, _ path: String) throws -> UInt {
        let info = try XCTUnwrap(SiteFile.status(folder.appendingPathComponent(path).path), path)
        return UInt(info.st_ino)
    }
}
