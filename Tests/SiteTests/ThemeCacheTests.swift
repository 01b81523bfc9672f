import Foundation
import XCTest
import _TestSupport
@testable import Site

/// The theme a build loaded is kept in the cache folder and read back by the next build with the
/// same templates folder, languages, limits and binary (``SiteBuilder/loadTheme(_:_:cache:inputs:)``):
/// the site and the warnings are then a fresh build's, and any change to the folder loads it again.
final class ThemeCacheTests: XCTestCase {
    /// Builds again after removing the site (else the build stamp finds nothing to do).
    private func rebuild(_ fixture: SiteFixture, _ options: BuildOptions) async throws -> BuildReport {
        try FileManager.default.removeItem(at: fixture.output)
        return try await SiteBuilder.build(options)
    }

    func testAKeptThemeBuildsWhatALoadedOneBuilds() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = try fixture.optionsWithOwnTheme()
        let templates = options.templatesDirectory
        // A UI string the theme's English lacks, and one no language has: warnings, to be printed by every build.
        try edit(templates.appendingPathComponent("strings.yaml"), "  permalink: Link to this section\n", "")
        try edit(templates.appendingPathComponent("page.mustache"), "</body>", "{{strings.copy-all}}</body>")
        let first = try await SiteBuilder.build(options)
        XCTAssertFalse(first.themeFromCache)
        XCTAssertTrue(first.warnings.contains { $0.message.contains("'permalink'") }, "\(first.warnings)")
        XCTAssertTrue(first.warnings.contains { $0.message == "UI string 'copy-all' is missing for language 'en'" }, "\(first.warnings)")

        let second = try await rebuild(fixture, options)
        XCTAssertTrue(second.themeFromCache)
        XCTAssertEqual(second.warnings.map(\.description), first.warnings.map(\.description))
        try await assertSameAsFreshBuild(fixture, options)

        // A template edited: loaded again (the page shows it), then kept in its new form.
        try edit(templates.appendingPathComponent("page.mustache"), "</body>", "<!-- edited theme --></body>")
        let third = try await SiteBuilder.build(options)
        XCTAssertFalse(third.themeFromCache)
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("<!-- edited theme -->"))
        let fourth = try await rebuild(fixture, options)
        XCTAssertTrue(fourth.themeFromCache)
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("<!-- edited theme -->"))
        try await assertSameAsFreshBuild(fixture, options)

        // The limits changed (they bound `strings.yaml`): loaded again.
        let config = fixture.content.appendingPathComponent("lossbook.yaml")
        try edit(config, "reference_pages: false", "reference_pages: false\nlimits: {yaml_depth: 40}")
        let fifth = try await SiteBuilder.build(options)
        XCTAssertFalse(fifth.themeFromCache, "the limits are the theme's too")
        // A build run from another folder names the templates folder otherwise in its messages: loaded again.
        let here = FileManager.default.currentDirectoryPath
        defer { FileManager.default.changeCurrentDirectoryPath(here) }
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(fixture.root.path))
        let sixth = try await rebuild(fixture, options)
        XCTAssertFalse(sixth.themeFromCache)
        XCTAssertTrue(sixth.warnings.contains { $0.path == "templates/strings.yaml" && $0.message.contains("'permalink'") },
                      "\(sixth.warnings)")
    }

    /// The kept theme's file reads back with ``Theme/Stored/init(compact:)`` as `Decodable` reads
    /// it: every template's text and operations, every string, the flags, the warnings.
    func testAKeptThemeReadsAsDecodableReadsIt() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = try fixture.optionsWithOwnTheme()
        try edit(options.templatesDirectory.appendingPathComponent("strings.yaml"), "  permalink: Link to this section\n", "")
        try edit(options.templatesDirectory.appendingPathComponent("page.mustache"), "</body>", "{{strings.copy-all}}</body>")
        try await SiteBuilder.build(options)
        let cache = try XCTUnwrap(options.cacheDirectory)
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix(SiteBuilder.themeFile + "-") }
        XCTAssertEqual(names.count, 1)
        let bytes = try [UInt8](Data(contentsOf: cache.appendingPathComponent(names[0])))
        struct Kept: Codable { var key: String; var value: Theme.Stored }
        let decoded = try CompactCoding.decode(Kept.self, from: bytes).value
        let read = try CompactCoding.encode(decoded).withUnsafeBytes { raw -> Theme.Stored in
            var reader = CompactReader(raw)
            let read = try Theme.Stored(compact: &reader)
            XCTAssertTrue(reader.isAtEnd)
            return read
        }
        XCTAssertEqual(read.texts, decoded.texts)
        XCTAssertEqual(read.compiled, decoded.compiled)
        XCTAssertGreaterThan(read.compiled.values.reduce(0) { $0 + $1.count }, 10)
        XCTAssertEqual(read.strings, decoded.strings)
        XCTAssertEqual(read.usesSearch, decoded.usesSearch)
        XCTAssertEqual(read.usesNavigationScript, decoded.usesNavigationScript)
        XCTAssertEqual(read.warnings.map(\.description), decoded.warnings.map(\.description))
        XCTAssertFalse(read.warnings.isEmpty)
        XCTAssertEqual(read.missingStrings.map(\.description), decoded.missingStrings.map(\.description))
        XCTAssertFalse(read.missingStrings.isEmpty)
        XCTAssertEqual(read.displayRoot, decoded.displayRoot)
        XCTAssertEqual(read.lookedUpNames, decoded.lookedUpNames)
    }

    /// A kept theme's files are still checked for links leaving the project at every build: a
    /// link added inside a linked assets folder changes no stamp the theme is kept under.
    func testAKeptThemesAssetsAreCheckedForLinksLeavingTheProject() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = try fixture.optionsWithOwnTheme()
        let fm = FileManager.default
        let vendor = fixture.root.appendingPathComponent("vendor")
        try fm.createDirectory(at: vendor, withIntermediateDirectories: true)
        try Data("body { }".utf8).write(to: vendor.appendingPathComponent("extra.css"))
        try fm.createSymbolicLink(at: options.templatesDirectory.appendingPathComponent("assets/vendor"), withDestinationURL: vendor)
        try await SiteBuilder.build(options)
        let kept = try await rebuild(fixture, options)
        XCTAssertTrue(kept.themeFromCache)
        // The same theme kept under a key that the link below does not change, whatever the
        // folder's stamps see: the kept theme is still checked.
        let config = try SiteConfig.load(contentDirectory: fixture.content, displayPath: "content")
        let cache = fixture.root.appendingPathComponent(".cache-fixed-key")
        let load = { try SiteBuilder.loadTheme(options.templatesDirectory, config, cache: cache, inputs: { "unchanged" }) }
        XCTAssertFalse(try load().fromCache)
        XCTAssertTrue(try load().fromCache)

        let outside = TemporaryFolder.path("outside-theme")
        defer { TemporaryFolder.remove(outside) }
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        try fm.createSymbolicLink(at: vendor.appendingPathComponent("secret.txt"), withDestinationURL: outside.appendingPathComponent("secret.txt"))
        XCTAssertThrowsError(try load()) { error in
            XCTAssertTrue((error as? BuildFailure)?.diagnostics.contains { $0.message.contains("symlink leaves the project") } == true, "\(error)")
        }
        try fm.removeItem(at: fixture.output)
        do {
            try await SiteBuilder.build(options)
            XCTFail("an asset linked from outside the project is refused")
        } catch let failure as BuildFailure {
            XCTAssertTrue(failure.diagnostics.contains { $0.message.contains("symlink leaves the project") }, "\(failure.diagnostics)")
        }
        XCTAssertFalse(fm.fileExists(atPath: fixture.output.appendingPathComponent("assets/vendor/secret.txt").path))
    }

    /// A kept theme that does not read (a file cut short) is loaded again, and the site is whole.
    func testADamagedKeptThemeIsLoadedAgain() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options()
        try await SiteBuilder.build(options)
        let cache = try XCTUnwrap(options.cacheDirectory)
        let kept = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("theme-") }
        XCTAssertEqual(kept.count, 1)
        for name in kept {
            let file = cache.appendingPathComponent(name)
            let bytes = try Data(contentsOf: file)
            try bytes.prefix(bytes.count / 2).write(to: file)
        }
        let again = try await rebuild(fixture, options)
        XCTAssertFalse(again.themeFromCache)
        try await assertSameAsFreshBuild(fixture, options)
        let third = try await rebuild(fixture, options)
        XCTAssertTrue(third.themeFromCache)
    }

    /// `--no-cache` keeps no theme.
    func testABuildWithoutACacheFolderLoadsItsTheme() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = fixture.options(cache: false)
        try await SiteBuilder.build(options)
        let again = try await rebuild(fixture, options)
        XCTAssertFalse(again.themeFromCache)
    }
}
