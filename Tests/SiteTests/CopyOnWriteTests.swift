import Foundation
import XCTest
@testable import Site

/// ``SourcePage`` and ``RenderedPage`` keep their fields in one storage shared by copies until a
/// copy changes a field: they must still behave as values (a change to a copy never shows in
/// another), and a page's derived paths follow its own changes.
final class CopyOnWriteTests: XCTestCase {
    func testSourcePageCopiesAreIndependentValues() {
        let original = SourcePage(language: "en", relativePath: "guide/index.md", displayPath: "content/en/guide/index.md",
                                  frontMatter: FrontMatter(), body: "# Guide\n", bodyLineOffset: 0, contentHash: "0")
        var copy = original
        copy.body = ""
        copy.relativePath = "other.md"
        var matter = FrontMatter()
        matter.slug = "renamed"
        copy.frontMatter = matter
        XCTAssertEqual(original.body, "# Guide\n")
        XCTAssertEqual(original.relativePath, "guide/index.md")
        XCTAssertNil(original.frontMatter.slug)
        XCTAssertEqual(original.outputPath, "en/guide/index.html")
        XCTAssertEqual(copy.key, "other")
        XCTAssertEqual(copy.outputPath, "en/renamed/index.html", "a copy's derived paths follow its own slug")

        var parsed = original, kept = original
        parsed.forgetBody(parsed: true)
        kept.forgetBody(parsed: false)
        XCTAssertEqual(parsed.body, "")
        XCTAssertEqual(kept.body, "# Guide\n", "a kept page's small body stays")
        XCTAssertEqual(original.body, "# Guide\n")
        var big = SourcePage(language: "en", relativePath: "big.md", displayPath: "content/en/big.md", frontMatter: FrontMatter(),
                             body: String(repeating: "a", count: SourcePage.forgottenBodySize), bodyLineOffset: 0, contentHash: "0")
        big.forgetBody(parsed: false)
        XCTAssertEqual(big.body, "", "a big body is dropped even from a kept page")
    }

    func testRenderedPageCopiesAreIndependentValues() {
        let source = SourcePage(language: "en", relativePath: "a.md", displayPath: "content/en/a.md", frontMatter: FrontMatter(),
                                body: "", bodyLineOffset: 0, contentHash: "0")
        let original = RenderedPage(source: source, title: "A", html: TypesetHTML("<p>a</p>"), headings: [], anchors: ["x"], anchorChecks: [])
        var copy = original
        copy.title = "B"
        copy.html = TypesetHTML("<p>b</p>")
        copy.anchors.insert("y")
        copy.mentions = ["dice"]
        copy.identity = "changed"
        copy.source.relativePath = "b.md"
        XCTAssertEqual(original.title, "A")
        XCTAssertEqual(original.html.joined, "<p>a</p>")
        XCTAssertEqual(original.anchors, ["x"])
        XCTAssertEqual(original.mentions, [])
        XCTAssertNil(original.identity)
        XCTAssertEqual(original.source.outputPath, "en/a/index.html")
        XCTAssertEqual(copy.source.outputPath, "en/b/index.html")
        XCTAssertEqual(copy.html.joined, "<p>b</p>")
        XCTAssertEqual(copy.anchors, ["x", "y"])
    }

    /// A page's session key (``SiteBuilder/sessionKey(_:)``), made with its paths, follows each
    /// field it is made of: language, relative path, and whether the page is generated.
    func testTheSessionKeyFollowsTheFieldsItIsMadeOf() {
        func reference(_ page: SourcePage) -> String { "\(page.generated ? "generated " : "note ")\(page.language)/\(page.relativePath)" }
        var page = SourcePage(language: "en", relativePath: "guide/index.md", displayPath: "content/en/guide/index.md",
                              frontMatter: FrontMatter(), body: "", bodyLineOffset: 0, contentHash: "")
        XCTAssertEqual(SiteBuilder.sessionKey(page), "note en/guide/index.md")
        let copy = page
        page.language = "zh"
        XCTAssertEqual(SiteBuilder.sessionKey(page), reference(page))
        page.relativePath = "其他.md"
        XCTAssertEqual(SiteBuilder.sessionKey(page), reference(page))
        let shared = page // storage shared until one of them changes
        page.generated = true
        XCTAssertEqual(SiteBuilder.sessionKey(page), "generated zh/其他.md")
        XCTAssertEqual(SiteBuilder.sessionKey(shared), "note zh/其他.md", "a copy's key is its own")
        XCTAssertFalse(shared.generated)
        page.frontMatter.slug = "s"
        XCTAssertEqual(SiteBuilder.sessionKey(page), reference(page))
        XCTAssertEqual(SiteBuilder.sessionKey(copy), "note en/guide/index.md")
    }
}
