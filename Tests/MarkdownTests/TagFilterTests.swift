import Markdown
import XCTest

/// GitHub's tagfilter applies to an author's raw HTML only; HTML lossbook generates passes as written.
final class TagFilterTests: XCTestCase {
    func testAuthorsRawHTMLIsFilteredAsOnGitHub() throws {
        let html = try MarkdownDocument("<svg><title>x</title><style>a{}</style></svg>\n").html { _ in "" }
        XCTAssertTrue(html.contains("&lt;title>x&lt;/title>&lt;style>"), html)
    }

    func testGeneratedBlocksAreNotFiltered() throws {
        let document = try MarkdownDocument("```plot\n```\n")
        document.replaceCodeBlocks { _ in "<svg><title>Focal loss</title><style>.a{}</style></svg>" }
        XCTAssertEqual(document.html { _ in "" }, "<svg><title>Focal loss</title><style>.a{}</style></svg>\n")
    }

    func testTrustedMarkdownIsNotFiltered() throws {
        let html = try MarkdownDocument("<figure>\n<svg><title>x</title></svg>\n</figure>\n", rawHTML: .trusted).html { _ in "" }
        XCTAssertTrue(html.contains("<title>x</title>"), html)
    }

    func testHeadingsStayHeadings() throws {
        let document = try MarkdownDocument("## A <title>b</title>\n")
        var slugger = HeadingSlugger()
        document.setHeadingIDs(slugger: &slugger)
        XCTAssertEqual(document.html { _ in "" }, "<h2 id=\"a-b\">A &lt;title>b&lt;/title></h2>\n")
    }
}
