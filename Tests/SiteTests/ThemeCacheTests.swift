import Foundation
import XCTest
@testable import Site

/// The theme a build loaded is kept in the cache folder and read back by the next build with the
/// same templates folder, languages, limits and binary (``SiteBuilder/loadTheme(_:_:cache:)``):
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
        // A UI string the theme's English lacks: a warning, to be printed by every build.
        try edit(templates.appendingPathComponent("strings.yaml"), "  permalink: Link to this section\n", "")
        let first = try await SiteBuilder.build(options)
        XCTAssertFalse(first.themeFromCache)
        XCTAssertTrue(first.warnings.contains { $0.message.contains("'permalink'") }, "\(first.warnings)")

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

        // The languages changed: loaded again.
        let config = fixture.content.appendingPathComponent("lossbook.yaml")
        try edit(config, "reference_pages: false", "reference_pages: false\nlimits: {yaml_depth: 40}")
        let fifth = try await SiteBuilder.build(options)
        XCTAssertFalse(fifth.themeFromCache, "the limits are the theme's too")
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
