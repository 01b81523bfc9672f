import Foundation
import XCTest

/// `sitemap.xml`'s `<lastmod>` and each language's `feed.xml`, from the notes' last commits.
final class SitemapDatesTests: XCTestCase {
    let fm = FileManager.default

    func git(_ arguments: [String], in directory: URL, date: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"] + arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        if let date { environment["GIT_COMMITTER_DATE"] = date; environment["GIT_AUTHOR_DATE"] = date }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "git \(arguments.joined(separator: " "))")
    }

    /// The basic project in a repository whose one commit, of `content/`, is dated `date`.
    func committedProject(_ prefix: String, date: String) throws -> URL {
        let root = try LossbookProcess.basicProject(prefix)
        try git(["init", "-q"], in: root)
        try git(["add", "content"], in: root)
        try git(["commit", "-q", "-m", "notes"], in: root, date: date)
        return root
    }

    func testLastCommitDatesInSitemapAndFeed() throws {
        let root = try committedProject("dates", date: "2024-01-02T03:04:05+00:00")
        defer { try? fm.removeItem(at: root) }
        let focal = root.appendingPathComponent("content/en/focal.md")
        try (try String(contentsOf: focal, encoding: .utf8)).replacingOccurrences(of: "title: Focal loss", with: "title: Focal loss, revised")
            .write(to: focal, atomically: true, encoding: .utf8)
        try git(["commit", "-q", "-am", "focal"], in: root, date: "2024-03-04T05:06:07+00:00")

        let built = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        let sitemap = try String(contentsOf: root.appendingPathComponent("site/sitemap.xml"), encoding: .utf8)
        XCTAssertTrue(sitemap.contains("<loc>https://example.org/notes/en/focal/</loc>\n    <lastmod>2024-03-04T05:06:07+00:00</lastmod>"), sitemap)
        XCTAssertTrue(sitemap.contains("<loc>https://example.org/notes/zh/focal/</loc>\n    <lastmod>2024-01-02T03:04:05+00:00</lastmod>"), sitemap)

        let feed = try String(contentsOf: root.appendingPathComponent("site/en/feed.xml"), encoding: .utf8)
        XCTAssertTrue(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""), feed)
        XCTAssertTrue(feed.contains("<updated>2024-03-04T05:06:07+00:00</updated>"), feed)
        let first = try XCTUnwrap(feed.range(of: "<entry>")).upperBound
        XCTAssertTrue(feed[first...].hasPrefix("\n    <title>Focal loss, revised</title>"), feed)
        XCTAssertTrue(fm.fileExists(atPath: root.appendingPathComponent("site/zh/feed.xml").path))
    }

    /// A commit with nothing else changed is a build with work to do: the committed note's date
    /// moves in the sitemap and the feed (a build that found its inputs unchanged kept the dates
    /// of the commit before). In a worktree too, whose `.git` is a file naming its folder.
    func testACommitMovesTheDatesOfTheNextBuild() throws {
        let main = try committedProject("commit-dates", date: "2024-01-02T03:04:05+00:00")
        defer { try? fm.removeItem(at: main) }
        let worktree = main.appendingPathComponent("tree")
        try git(["worktree", "add", "-q", "-b", "other", worktree.path], in: main)
        try fm.copyItem(at: main.appendingPathComponent("templates"), to: worktree.appendingPathComponent("templates"))
        for (root, date) in [(main, "2024-03-04T05:06:07+00:00"), (worktree, "2024-05-06T07:08:09+00:00")] {
            let built = try LossbookProcess.run(["build"], directory: root)
            XCTAssertEqual(built.status, 0, built.stderr)
            // The dates are kept in the cache folder for the next build, one file a HEAD.
            let keptDates = { try self.fm.contentsOfDirectory(atPath: root.appendingPathComponent(".cache/lossbook").path).filter { $0.hasPrefix("git-dates-") } }
            XCTAssertEqual(try keptDates().count, 1)
            let focal = root.appendingPathComponent("content/en/focal.md")
            try (try String(contentsOf: focal, encoding: .utf8)).replacingOccurrences(of: "title: Focal loss", with: "title: Focal loss, revised")
                .write(to: focal, atomically: true, encoding: .utf8)
            let edited = try LossbookProcess.run(["build"], directory: root)
            XCTAssertEqual(edited.status, 0, edited.stderr)
            XCTAssertEqual(try keptDates().count, 1, "the HEAD stayed")
            try git(["commit", "-q", "-am", "focal"], in: root, date: date)
            let committed = try LossbookProcess.run(["build"], directory: root)
            XCTAssertEqual(committed.status, 0, committed.stderr)
            XCTAssertEqual(try keptDates().count, 2, "the HEAD moved")
            XCTAssertFalse(committed.stdout.contains("nothing to do"), committed.stdout)
            let sitemap = try String(contentsOf: root.appendingPathComponent("site/sitemap.xml"), encoding: .utf8)
            XCTAssertTrue(sitemap.contains("<loc>https://example.org/notes/en/focal/</loc>\n    <lastmod>\(date)</lastmod>"), "\(root.lastPathComponent): \(sitemap)")
            let feed = try String(contentsOf: root.appendingPathComponent("site/en/feed.xml"), encoding: .utf8)
            XCTAssertTrue(feed.contains("<updated>\(date)</updated>"), feed)
            let again = try LossbookProcess.run(["build"], directory: root)
            XCTAssertTrue(again.stdout.contains("nothing to do"), "no commit since: \(again.stdout)")
        }
    }

    /// Outside a repository: no dates, no feed, the build as before.
    func testNoRepositoryNoDates() throws {
        let root = try LossbookProcess.basicProject("nodates")
        defer { try? fm.removeItem(at: root) }
        let built = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertFalse(try String(contentsOf: root.appendingPathComponent("site/sitemap.xml"), encoding: .utf8).contains("<lastmod>"))
        XCTAssertFalse(fm.fileExists(atPath: root.appendingPathComponent("site/en/feed.xml").path))
    }
}
