import Foundation
import Markdown
import XCTest
@testable import Site

/// ``CompactWriter``: the page memo's types written by hand are the very bytes their `Encodable`
/// conformances give through ``CompactCoding/encode(_:)``, which ``CompactReader`` and
/// ``CompactCoding/decode(_:from:at:)`` read back. A field added to one of these types and not
/// written by hand fails here first.
final class CompactWriterTests: XCTestCase {
    /// Every page of a real build's memo, and each page's draft, as both encoders write them.
    func testABuildsMemoPagesAndDraftsAreWrittenAsEncodableWritesThem() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try await SiteBuilder.build(options)
        let folder = options.cacheDirectory!.appendingPathComponent(PageMemo.folderName)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        var pages = 0, drafts = 0
        for file in files {
            let page = try XCTUnwrap(PageMemo.read(try Data(contentsOf: folder.appendingPathComponent(file))), file)
            XCTAssertEqual(page.compactBytes(), try CompactCoding.encode(page), page.key)
            pages += 1
            if let draft = page.entry?.draft.page {
                XCTAssertEqual(draft.compactBytes(), try CompactCoding.encode(draft), page.key)
                drafts += 1
            }
        }
        XCTAssertGreaterThan(pages, 4)
        XCTAssertGreaterThan(drafts, 4)
    }

    /// What a small site may not show: every optional field present and absent, every case of the
    /// enums, sets of several elements, text that is not ASCII.
    func testEveryFieldAndCaseIsWrittenAsEncodableWritesIt() throws {
        var matter = FrontMatter()
        matter.title = "焦点损失"
        matter.description = "a description"
        matter.weight = -3
        matter.slug = "focal"
        matter.draft = true
        matter.sourceHash = "0123abcd"
        matter.slugLine = 4
        let source = SourcePage(language: "zh", relativePath: "losses/focal.md", displayPath: "content/zh/losses/focal.md",
                                frontMatter: matter, body: "# 焦点\n", bodyLineOffset: 7, contentHash: "feed", generated: true,
                                frontMatterFailed: true)
        let bare = SourcePage(language: "en", relativePath: "a.md", displayPath: "content/en/a.md", frontMatter: FrontMatter(),
                              body: "", bodyLineOffset: 0, contentHash: "")
        var warning = Diagnostic("content/zh/losses/focal.md", line: 3, column: 9, stage: .proseNumbers, "number '0.5' typed", hint: "compute it")
        warning.isWarning = true
        warning.details = ["one", "二"]
        let plain = Diagnostic("content/en/a.md", stage: .links, "broken")
        let location = SourceLocation(line: 12, column: 2)
        let heading = Heading(level: 2, text: "Gradient ∂L/∂p", id: "gradient-l-p", location: location)
        let check = AnchorCheck(page: "en/b/index.html", fragment: "eq-2", url: "../b/#eq-2", location: location)
        let fix = FixEdit(path: "content/en/a.md", line: 5, column: 11, old: "0.1", new: "0.125")
        let requests: [RenderRequest] = [.math(tex: "\\frac{a}{b}", display: true), .code(language: "python", code: "x = 1\n")]

        var draft = Draft()
        draft.html = "<p>\u{E002}0\u{E003} and \u{E002}1\u{E003}</p>"
        draft.pending = [
            .math(display: false, span: MathSpan(kind: .inline, tex: "p_t", line: 3, column: 4)),
            .math(display: true, span: MathSpan(kind: .display, tex: "\\sum_i", line: 5, column: 1)),
            .code(language: "python", code: "import torch\n", request: .code(language: "python", code: "import torch\n")),
            .code(language: "", code: "plain\n", request: nil),
            .html("<table>\u{E002}2\u{E003}</table>"),
        ]
        draft.headings = [heading, heading]
        draft.mentions = ["focal", "dice", "tversky"]
        draft.fixes = [fix]
        draft.diagnostics = [warning, plain]
        let drafts = [
            SiteBuilder.DraftPage(source: source, title: "焦点损失", draft: draft, anchorChecks: [check, check], inputs: "a b c"),
            SiteBuilder.DraftPage(source: bare, title: "", draft: Draft(), anchorChecks: [], inputs: nil),
        ]
        for page in drafts { XCTAssertEqual(page.compactBytes(), try CompactCoding.encode(page)) }

        let rendered = RenderedPage(source: source, title: "焦点损失", html: TypesetHTML("<p>typeset</p>"), headings: [heading],
                                    anchors: ["gradient-l-p", "eq-1", "eq-2", "top"], anchorChecks: [check], mentions: ["focal", "dice"],
                                    fixes: [fix], identity: "identity")
        let typeset = BuildSession.Typeset(inputs: "inputs", page: rendered, diagnostics: [warning], requests: requests)
        let search = BuildSession.SearchEntry(key: "search key", json: Array("[\"焦点\"]".utf8))
        var full = PageMemo.Page(identity: "identity", key: "note zh/losses/focal.md")
        full.output = "zh/losses/focal/index.html"
        var withoutDetails = warning
        withoutDetails.details = [] // a page's prose warnings with details are not kept (below)
        full.entry = BuildSession.Entry(inputs: "entry inputs", draft: .page(drafts[0]), proseWarnings: PageWarnings([withoutDetails, plain]))
        full.typeset = typeset
        full.search = search
        var encoded = full
        encoded.entry!.draft = .encoded(ArraySlice(try XCTUnwrap(drafts[0].compactBytes())))
        let empty = PageMemo.Page(identity: "", key: "")
        var bareTypeset = full
        bareTypeset.entry = nil
        bareTypeset.search = nil
        bareTypeset.typeset = BuildSession.Typeset(inputs: "", page: RenderedPage(source: bare, title: "", html: TypesetHTML(), headings: [],
                                                                                  anchors: [], anchorChecks: [], mentions: [], fixes: [], identity: nil),
                                                   diagnostics: [], requests: [])
        for page in [full, encoded, empty, bareTypeset] {
            XCTAssertEqual(page.compactBytes(), try CompactCoding.encode(page), page.key)
        }
        // And a memo file made with them reads back.
        let read = try XCTUnwrap(PageMemo.read(try XCTUnwrap(full.bytes())))
        XCTAssertEqual(read.output, full.output)
        XCTAssertEqual(read.entry?.draft.page?.draft.html, draft.html)
        XCTAssertEqual(read.typeset?.page.html.joined, "<p>typeset</p>")
        XCTAssertEqual(read.typeset?.page.anchors, rendered.anchors)
        XCTAssertEqual(read.search?.json, search.json)
    }

    /// A page whose prose warnings have details (which their kept lines leave out, ``PageWarnings``)
    /// makes no page, as its `Encodable` form throws: it is made again, details and all.
    func testAPageWhoseWarningsHaveDetailsHasNoBytes() throws {
        var warning = Diagnostic("content/en/a.md", line: 2, column: 3, stage: .proseNumbers, "number '0.5' typed", hint: "compute it")
        warning.details = ["probe"]
        var page = PageMemo.Page(identity: "identity", key: "note en/a.md")
        page.entry = BuildSession.Entry(inputs: "", draft: .encoded([1]), proseWarnings: PageWarnings([warning]))
        XCTAssertThrowsError(try CompactCoding.encode(page))
        XCTAssertNil(page.compactBytes())
        warning.details = []
        page.entry!.proseWarnings = PageWarnings([warning])
        XCTAssertEqual(page.compactBytes(), try CompactCoding.encode(page))
        XCTAssertNotNil(page.compactBytes())
    }

    /// A kept draft that cannot be read back makes no page (as its `Encodable` form throws).
    func testAPageWhoseDraftCannotBeReadBackHasNoBytes() throws {
        let place = KeptHTML.Place(path: "/nonexistent/memo", offset: 0, count: 10, device: 0, inode: 0, size: 10, modified: 0)
        var page = PageMemo.Page(identity: "identity", key: "note en/a.md")
        page.entry = BuildSession.Entry(inputs: "", draft: .inFile(PageMemo.KeptBytes(place) { _ in nil }), proseWarnings: .none)
        XCTAssertThrowsError(try CompactCoding.encode(page))
        XCTAssertNil(page.compactBytes())
    }
}
