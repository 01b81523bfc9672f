import XCTest
import _TestSupport
@testable import Site

/// ``FolderRemoval``: a replaced site removed from several threads, wholly, links not followed.
final class FolderRemovalTests: XCTestCase {
    let fm = FileManager.default

    func testRemovesEverythingAndLeavesLinkTargetsAlone() throws {
        let base = TemporaryFolder.path("removal")
        defer { TemporaryFolder.remove(base) }
        let site = base.appendingPathComponent("site"), outside = base.appendingPathComponent("outside")
        var files = ["404.html", "assets/katex/fonts/a.woff2", "assets/site.css"]
        files += (1...20).flatMap { ["en/p\($0)/index.html", "zh/p\($0)/index.html"] }
        for path in files + ["kept.txt"] {
            let url = (path == "kept.txt" ? outside : site).appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try SiteFile.write(Data(path.utf8), to: url.path)
        }
        // Links at both levels the work is split at: removing them must not empty their target.
        try fm.createSymbolicLink(at: site.appendingPathComponent("linked"), withDestinationURL: outside)
        try fm.createSymbolicLink(at: site.appendingPathComponent("en/linked"), withDestinationURL: outside)
        // And deeper, inside a folder that is emptied entry by entry.
        try fm.createSymbolicLink(at: site.appendingPathComponent("assets/katex/fonts/linked"), withDestinationURL: outside)
        try fm.createSymbolicLink(at: site.appendingPathComponent("assets/katex/dangling"), withDestinationURL: base.appendingPathComponent("nowhere"))
        XCTAssertEqual(FolderRemoval.workUnits(in: site).count, 1 + 2 + 40 + 2, "404.html, assets' katex/ and site.css, the pages' folders, both links")

        FolderRemoval.remove(site)
        XCTAssertFalse(fm.fileExists(atPath: site.path))
        XCTAssertEqual(try String(contentsOf: outside.appendingPathComponent("kept.txt"), encoding: .utf8), "kept.txt")
        FolderRemoval.remove(site) // gone already: nothing to do, no crash

        // A file and a link given as the tree: removed themselves, the link's target kept.
        let file = base.appendingPathComponent("file.txt"), link = base.appendingPathComponent("link")
        try SiteFile.write(Data("x".utf8), to: file.path)
        try fm.createSymbolicLink(at: link, withDestinationURL: outside)
        FolderRemoval.removeTree(link.path)
        FolderRemoval.removeTree(file.path)
        XCTAssertFalse(fm.fileExists(atPath: file.path))
        XCTAssertNil(SiteFile.status(link.path))
        XCTAssertTrue(fm.fileExists(atPath: outside.appendingPathComponent("kept.txt").path))
    }
}
