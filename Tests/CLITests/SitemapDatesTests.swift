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

    func testLastCommitDatesInSitemapAndFeed() throws {
        let root = try LossbookProcess.basicProject("dates")
        defer { try? fm.removeItem(at: root) }
        try git(["init", "-q"], in: root)
        try git(["add", "content"], in: root)
        try git(["commit", "-q", "-m", "notes"], in: root, date: "2024-01-02T03:04:05+00:00")
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
