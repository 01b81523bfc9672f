import Foundation
import XCTest
import _TestSupport
@testable import Site

/// ``Theme/pageFile(_:html:permalinkLabel:)`` writes the page template around a page's HTML in
/// one string; what it writes is what rendering the permalinked page as `content` writes. Every
/// expectation is that plain render's output, never a typed string.
final class PageBodyTests: XCTestCase {
    /// The plain way: the page with its permalinks as `content`, rendered.
    func plain(_ theme: Theme, _ context: PageContext, _ html: String) -> String {
        var context = context
        context.content = Permalinks.add(to: html, label: context.strings["permalink"] ?? "#")
        return theme.render("page", context)
    }

    /// A page body with headings that get permalinks (one in Chinese), one that does not, an
    /// `&` and non-ASCII text; and an empty body.
    static let bodies = [
        "<h2 id=\"a\">A &amp; B</h2>\n<p>x ü</p>\n<h3 id=\"定义\">定义</h3>\n<h1>top</h1>\n<h4 id=\"d\">d</h4><p>end</p>\n",
        "<p>no heading</p>\n",
        "",
    ]

    /// The default theme, for every kind of page the template-compile tests use.
    func testTheDefaultThemeAroundTheBodyIsThePlainRender() throws {
        let folder = SiteFixture.repository.appendingPathComponent("templates")
        let theme = try Theme.load(directory: folder, displayRoot: "templates", languages: ["en", "zh"], builtIn: BuiltInTheme.files)
        for context in TemplateCompileTests.pages {
            for html in Self.bodies {
                XCTAssertEqual(theme.pageFile(context.values, html: TypesetHTML(html), permalinkLabel: context.strings["permalink"] ?? "#").text,
                               plain(theme, context, html), "\(context.title) \(html.debugDescription)")
            }
        }
    }

    /// A template that does not show `{{{content}}}` exactly once is rendered the plain way: an
    /// escaped `{{content}}`, the body twice, a section testing it, no body at all.
    func testATemplateNotShowingTheBodyOnceIsRenderedThePlainWay() throws {
        let pages = [
            "<main>{{content}}</main>",
            "<main>{{{content}}}</main><aside>{{{content}}}</aside>",
            "{{#content}}has a body{{/content}}{{^content}}empty{{/content}}",
            "<title>{{title}}</title>",
            "<main>{{&content}}</main> {{title}}",
        ]
        for text in pages {
            let folder = try TemporaryFolder.make("page-body")
            defer { TemporaryFolder.remove(folder) }
            try text.write(to: folder.appendingPathComponent("page.mustache"), atomically: true, encoding: .utf8)
            let theme = try Theme.load(directory: folder, displayRoot: "templates", languages: ["en", "zh"], builtIn: BuiltInTheme.files)
            let context = TemplateCompileTests.pages[0]
            for html in Self.bodies {
                XCTAssertEqual(theme.pageFile(context.values, html: TypesetHTML(html), permalinkLabel: "#").text, plain(theme, context, html),
                               "\(text) \(html.debugDescription)")
            }
        }
    }
}
