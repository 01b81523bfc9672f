import XCTest
@testable import Site

/// Issue 11 ("nothing the user owns is ever deleted"): lossbook prunes its cache folder, so
/// `--cache-dir` may name only a folder that is, or will be, a lossbook cache (``CacheSafety``).
final class CacheSafetyTests: XCTestCase {
    let fm = FileManager.default

    func cache(_ path: String) -> (SiteFixture) -> BuildOptions {
        { fixture in
            var options = fixture.options()
            options.cacheDirectory = fixture.root.appendingPathComponent(path)
            return options
        }
    }

    /// `--cache-dir content/en` deleted the notes under `content/en/pages/` and `content/en/render/`.
    func testRefusesTheProjectsFoldersTheirParentsAndInsides() async throws {
        let edit: (SiteFixture) throws -> Void = { fixture in
            try fixture.write("---\ntitle: Mine\n---\nmine\n", to: "content/en/pages/mine.md")
            try fixture.write("mine", to: "content/en/render/notes.txt")
        }
        let cases = [(".", "in the project folder"), ("content", "in the content folder"), ("content/en", "inside the content folder"),
                     ("site", "in the output folder"), ("site/cache", "inside the output folder"), ("..", "this folder contains the project folder"),
                     // Not hidden: its first byte is a combining mark's (by characters, `/` and
                     // the mark were one, and the rest `.x` a hidden name).
                     ("content/\u{301}.x", "inside the content folder")]
        for (path, says) in cases {
            try await SiteFixture.expectFailure(edit, options: cache(path)) {
                XCTAssertEqual($0.count, 1, path)
                XCTAssertEqual($0.first?.stage, .preflight, path)
                XCTAssertTrue($0.first?.message.hasPrefix("refusing to keep the cache") == true && $0.first?.message.contains(says) == true,
                              "\(path): \($0.first?.message ?? "")")
            }
        }
        // The templates folder (the repository's: refused before anything is touched).
        try await SiteFixture.expectFailure(options: { fixture in
            var options = fixture.options()
            options.cacheDirectory = options.templatesDirectory
            return options
        }) { XCTAssertTrue($0.first?.message.contains("in the templates folder") == true, $0.first?.message ?? "") }
    }

    func testRefusesAFolderThatIsNotALossbookCache() async throws {
        // A folder of the user's, and one holding only folders a cache would have (any project may).
        for (file, foreign) in [("notes/todo.txt", "todo.txt"), ("notes/pages/mine.md", "pages")] {
            try await SiteFixture.expectFailure({ try $0.write("mine", to: file) }, options: cache("notes")) {
                XCTAssertEqual($0.count, 1)
                XCTAssertTrue($0.first?.message.contains("not a lossbook cache") == true && $0.first?.message.contains("'\(foreign)'") == true,
                              $0.first?.message ?? "")
            }
        }
    }

    func testACacheIsTaggedAndAnEarlierOneWithoutTheTagIsAccepted() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        let cache = try XCTUnwrap(fixture.options().cacheDirectory)
        let tag = cache.appendingPathComponent(CacheSafety.tagName)
        let text = try String(contentsOf: tag, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("Signature: 8a477f597d28d172789f06886806bc55\n"), text) // the convention's signature
        XCTAssertTrue(CacheSafety.isTagged(cache.path))
        try fm.removeItem(at: tag) // as a lossbook from before the tag left it
        // With a temporary file a killed build left beside its cache files (``SiteFile/temporaryPath(for:)``),
        // which the build removes, and one of a build still running (process 1's), which it leaves.
        let (killed, running) = (cache.appendingPathComponent(".build-stamp.lossbook-4194999"), cache.appendingPathComponent(".page-summaries.lossbook-1"))
        for file in [killed, running] { try Data("cut".utf8).write(to: file) }
        try fixture.write("# Notes\n\nA page the build makes and saves.\n", to: "content/en/notes.md")
        try await fixture.build()
        XCTAssertFalse(fm.fileExists(atPath: killed.path), "a killed build's temporary file is removed")
        XCTAssertTrue(fm.fileExists(atPath: running.path), "a running build's is left")
        XCTAssertTrue(CacheSafety.isTagged(cache.path))
        // A new folder, an empty one and a hidden one in `content/` (a build run from there) are fine, and tagged.
        for path in ["new/cache", "empty", "content/.cache/lossbook"] {
            var options = fixture.options()
            options.cacheDirectory = fixture.root.appendingPathComponent(path)
            if path == "empty" { try fm.createDirectory(at: options.cacheDirectory!, withIntermediateDirectories: true) }
            try await SiteBuilder.build(options)
            XCTAssertTrue(CacheSafety.isTagged(options.cacheDirectory!.path), path)
        }
    }

    /// Even in a cache folder, the pruners remove only what they name (a hash), not a file put there.
    func testPruningRemovesOnlyWhatTheCachesName() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = fixture.options()
        options.keepsPages = true
        try await SiteBuilder.build(options)
        let cache = try XCTUnwrap(options.cacheDirectory)
        let typeset = "render/" + (try XCTUnwrap(fm.contentsOfDirectory(atPath: cache.appendingPathComponent("render").path).first))
        let codeCache = typeset + "/" + RenderHelper.codeCacheName
        XCTAssertTrue(fm.fileExists(atPath: cache.appendingPathComponent(codeCache).path))
        let stale = ["pages/0123456789abcdef", "pages/.0123456789abcdef.lossbook-4194999", "render/0123456789abcdef/00.bin",
                     "\(typeset)/.\(RenderHelper.codeCacheName).lossbook-4194999"]
        // A running process's temporary file (process 1's: another build renewing its file) is left to it.
        let foreign = ["pages/notes.txt", "render/notes.txt", "pages/.0123456789abcdee.lossbook-1",
                       "\(typeset)/.\(RenderHelper.codeCacheName).lossbook-1"]
        for path in stale + foreign { try fixture.write("x", to: ".cache/" + path) }
        try fm.removeItem(at: cache.appendingPathComponent("build-stamp")) // so the build is not skipped as unchanged
        try await SiteBuilder.build(options)
        try fm.removeItem(at: cache.appendingPathComponent("build-stamp"))
        try await SiteBuilder.build(fixture.options()) // no kept pages: the render cache is pruned
        for path in stale { XCTAssertFalse(fm.fileExists(atPath: cache.appendingPathComponent(path).path), path) }
        for path in foreign + [codeCache] { XCTAssertTrue(fm.fileExists(atPath: cache.appendingPathComponent(path).path), path) }
        XCTAssertTrue(isHashName("0123456789abcdef") && isHashName(".0123456789abcdef.lossbook-12"))
        XCTAssertFalse(isHashName("0123456789abcdeg") || isHashName("0123456789ABCDEF") || isHashName("notes.txt") || isHashName(".x.lossbook-1"))
    }
}
