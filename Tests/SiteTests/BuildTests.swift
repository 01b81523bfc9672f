import XCTest
@testable import Site

final class BuildTests: XCTestCase {
    func testBuildsTheExpectedTree() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        let expected = try String(contentsOf: fixture.root.appendingPathComponent("expected-files.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let files = try fixture.snapshot().keys.filter { !$0.hasPrefix("assets/katex/fonts/") }.sorted()
        XCTAssertEqual(files, expected.sorted(), "missing or extra files in site/")
        XCTAssertFalse(try fixture.snapshot().keys.filter { $0.hasPrefix("assets/katex/fonts/") }.isEmpty, "KaTeX fonts not copied")
    }

    /// A note saved with another Markdown extension (`.MD`, `.markdown`) is copied as a file, not
    /// built: one warning at the file says so and names the fix; a `.txt` or an image gets none.
    func testNotesWithAnotherMarkdownExtensionAreNamed() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        for name in ["upper.MD", "long.markdown", "plain.txt"] {
            try fixture.write("---\ntitle: X\n---\n\nText.\n", to: "content/en/\(name)")
        }
        let report = try await fixture.build()
        let named = report.warnings.filter { $0.message.contains("not built as a page") }
        XCTAssertEqual(named.map { $0.description.replacingOccurrences(of: fixture.root.path + "/", with: "") }.sorted(), [
            "content/en/long.markdown:1:1: warning: 'long.markdown' is copied into the site as a file, not built as a page: only names ending in '.md' are notes (hint: rename it to 'long.md' to make it a page)",
            "content/en/upper.MD:1:1: warning: 'upper.MD' is copied into the site as a file, not built as a page: only names ending in '.md' are notes (hint: rename it to 'upper.md' to make it a page)",
        ])
    }

    /// A page whose front matter says `draft: true` is left out of a normal build, and built under
    /// a banner with `--drafts` (options.drafts); a draft build never passes for the normal one.
    func testDraftsAreLeftOutUnlessAskedForAndThenMarked() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write("---\ntitle: 未完成\ndraft: true\n---\n\n正文。\n", to: "content/zh/unfinished.md")
        try await fixture.build()
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("zh/unfinished/index.html").path))
        XCTAssertFalse(try fixture.read("zh/focal/index.html").contains("notice draft"))

        var options = fixture.options()
        options.drafts = true
        let report = try await SiteBuilder.build(options)
        XCTAssertFalse(report.upToDate, "a build with drafts is not the normal build's unchanged site")
        let draft = try fixture.read("zh/unfinished/index.html")
        XCTAssertTrue(draft.contains("<p class=\"notice draft\" role=\"note\">"), draft)
        XCTAssertFalse(try fixture.read("zh/focal/index.html").contains("notice draft"), "only the draft has the banner")
    }

    /// A build with warnings keeps its stamp: the next build of the same inputs stops after `load`
    /// and reports the same warnings again; `--strict` still fails on them.
    func testAnUnchangedSiteWithWarningsIsSkippedAndRepeatsThem() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write("---\ntitle: Typed\n---\n\nThe loss here is 0.4321 and no block computes it.\n", to: "content/en/typed.md")
        let first = try await fixture.build()
        XCTAssertFalse(first.upToDate)
        XCTAssertTrue(first.warnings.contains { $0.path.hasSuffix("en/typed.md") && $0.message.contains("0.4321") }, "\(first.warnings)")
        // The lines made for the stamp are printed as they are: each warning's own line, in order.
        let printed = first.warnings.map { "\($0)\n" }.joined()
        XCTAssertEqual(first.warningsText.map { String(decoding: $0, as: UTF8.self) }, printed)
        var changed = first
        changed.warnings.removeLast()
        XCTAssertTrue(changed.warningsText == nil, "warnings changed after the build: no text that is not theirs")
        let second = try await fixture.build()
        XCTAssertTrue(second.upToDate, "the same inputs and site: nothing to do")
        XCTAssertEqual(second.warnings.map(\.description), first.warnings.map(\.description))

        var strict = fixture.options()
        strict.strict = true
        do {
            _ = try await SiteBuilder.build(strict)
            XCTFail("--strict passed an unchanged site that has warnings")
        } catch let failure as BuildFailure {
            XCTAssertEqual(failure.diagnostics.map(\.description), first.warnings.sorted().map(\.description))
        }
    }

    /// Notes whose file names hold a space, `#`, `?`, `%` or Chinese letters get pages whose every
    /// link works: each relative `href`/`src` of every page (the notes' links, navigation, language
    /// chooser, previous/next), percent-decoded, names a file of the site, and `sitemap.xml` and the
    /// search index list valid URLs. Unencoded, `#1?%` in a link was read as a fragment.
    func testFileNamesThatNeedEncodingAreLinkedEncoded() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write("---\ntitle: Odd\n---\n\n## Odd name\n\nBack [home](index.md).\n", to: "content/en/my note #1?%.md")
        try fixture.write("---\ntitle: 中文笔记\n---\n\n见[焦点](focal.md)。\n", to: "content/zh/中文 笔记.md")
        try fixture.write("---\ntitle: Links\n---\n\n[odd](my%20note%20%231%3F%25.md#odd-name) and [![dot](../zh/img/dot.svg)](../zh/中文%20笔记.md)\n",
                          to: "content/en/links.md")
        try await fixture.build()
        let site = try fixture.snapshot()
        XCTAssertNotNil(site["en/my note #1?%/index.html"])
        XCTAssertNotNil(site["zh/中文 笔记/index.html"])
        var checked = 0
        for (path, data) in site where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            let folder = path.split(separator: "/").dropLast().map(String.init)
            for match in html.matches(of: /(?:href|src)="([^"]*)"/) {
                var url = String(match.1)
                // External, in-page, and the 404 page's root-absolute links (under base_url's path) aside.
                guard !url.contains(":"), !url.hasPrefix("#"), !url.hasPrefix("/") else { continue }
                url = String(url.prefix { $0 != "#" && $0 != "?" })
                XCTAssertFalse(url.contains(" ") || url.unicodeScalars.contains { !$0.isASCII }, "\(path): '\(url)' is not encoded")
                guard let decoded = url.removingPercentEncoding else { XCTFail("\(path): '\(url)' does not decode"); continue }
                var parts = folder
                for part in decoded.split(separator: "/", omittingEmptySubsequences: false) {
                    if part == ".." { _ = parts.popLast() } else if part != "." && !part.isEmpty { parts.append(String(part)) }
                }
                let target = parts.joined(separator: "/")
                XCTAssertTrue(site[target] != nil || site[target + (target.isEmpty ? "" : "/") + "index.html"] != nil,
                              "\(path): '\(match.1)' names no file of the site (\(target))")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 50)
        let links = try fixture.read("en/links/index.html")
        XCTAssertTrue(links.contains("href=\"../my%20note%20%231%3F%25/index.html#odd-name\""), links)
        let sitemap = try fixture.read("sitemap.xml")
        XCTAssertTrue(sitemap.contains("<loc>https://example.org/notes/en/my%20note%20%231%3F%25/</loc>"), sitemap)
        XCTAssertTrue(sitemap.contains("<loc>https://example.org/notes/zh/%E4%B8%AD%E6%96%87%20%E7%AC%94%E8%AE%B0/</loc>"), sitemap)
        XCTAssertTrue(try fixture.read("en/search-index.js").contains("\"en/my%20note%20%231%3F%25/index.html\""))
    }

    func testPagesAreTypesetAndLinked() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        let zh = try fixture.read("zh/focal/index.html")
        XCTAssertTrue(zh.contains("<html lang=\"zh-CN\">"))
        XCTAssertTrue(zh.contains("<h2 id=\"定义\">定义<a class=\"permalink\" href=\"#定义\""), "Chinese heading id, with its permalink")
        XCTAssertTrue(zh.contains("class=\"katex\""), "inline math typeset")
        XCTAssertTrue(zh.contains("<span class=\"math-display\" id=\"eq-1\">"), "display math with an anchor")
        XCTAssertTrue(zh.contains("<annotation encoding=\"application/x-tex\">"), "MathML carries the TeX")
        XCTAssertTrue(zh.contains("mathbb"), "site macro \\R expanded")
        XCTAssertTrue(zh.contains("<span class=\"hljs-keyword\">"), "code highlighted at build time")
        XCTAssertTrue(zh.contains("src=\"../img/dot.svg\""), "image path rewritten to the copied file")
        XCTAssertTrue(zh.contains("<img src=\"../img/dot.svg\" width=\"8\">"), "raw HTML image rewritten too")
        XCTAssertFalse(zh.contains("$"), "no raw TeX delimiters left")
        // The page list is one script per language, shared by every page but the home page, which
        // lists every page in its HTML (and is where the page's <noscript> link goes).
        XCTAssertTrue(zh.contains("<script src=\"../../zh/nav.js\" data-root=\"../../\" data-page=\"zh/focal/index.html\"></script>"), zh)
        XCTAssertTrue(zh.contains("<noscript><p class=\"all-pages\"><a href=\"../index.html\">"), zh)
        XCTAssertFalse(zh.contains("<li><a href=\"../../zh/only-zh/index.html\">"), "no page carries the whole list")
        let nav = try fixture.read("zh/nav.js")
        XCTAssertTrue(nav.contains("<li><a href=\\\"zh/focal/index.html\\\">焦点损失</a></li>"), nav)
        XCTAssertTrue(nav.contains("<li><a href=\\\"zh/only-zh/index.html\\\">仅中文</a></li>"), nav)
        XCTAssertTrue(nav.contains("document.currentScript"))
        let zhHome = try fixture.read("zh/index.html")
        XCTAssertTrue(zhHome.contains("<li><a href=\"../zh/focal/index.html\">焦点损失</a></li>"), zhHome)
        XCTAssertFalse(zhHome.contains("nav.js"))
        // Language switcher goes to the same page in English.
        XCTAssertTrue(zh.contains("href=\"../../en/focal/index.html\""))
        let home = try fixture.read("zh/index.html")
        XCTAssertTrue(home.contains("href=\"focal/index.html#%E6%A2%AF%E5%BA%A6\"") || home.contains("href=\"focal/index.html#梯度\""), home)
        // A page without a translation says so, and its switcher goes to the other language's home.
        let only = try fixture.read("zh/only-zh/index.html")
        XCTAssertTrue(only.contains("class=\"notice\""))
        XCTAssertTrue(only.contains("href=\"../../en/index.html\""))
        let en = try fixture.read("en/focal/index.html")
        XCTAssertTrue(en.contains("costs $5"), "an escaped dollar is a dollar")
        XCTAssertTrue(en.contains("href=\"#definition\""))
        XCTAssertTrue(en.contains("rel=\"prev\""), "previous/next links")
        let root = try fixture.read("index.html")
        XCTAssertTrue(root.contains("zh/index.html") && root.contains("en/index.html") && root.contains("navigator.languages"))
        // The search index: every page of the language, cut into sections at its headings' anchors.
        let index = try fixture.read("zh/search-index.js")
        XCTAssertTrue(index.hasPrefix("window.LOSSBOOK_SEARCH = ["))
        XCTAssertTrue(index.contains("\"zh/focal/index.html\"") && index.contains("[\"梯度\",\"梯度\","), index)
        XCTAssertTrue(index.contains("[\"仅中文\","))
        XCTAssertFalse(index.contains("\\frac"), "formulas are indexed as text, not TeX")
        XCTAssertTrue(zh.contains("class=\"permalink\" href=\"#"), "headings link to themselves")
        let sitemap = try fixture.read("sitemap.xml")
        XCTAssertTrue(sitemap.contains("<loc>https://example.org/notes/zh/focal/</loc>"))
        XCTAssertTrue(sitemap.contains("hreflang=\"en\" href=\"https://example.org/notes/en/focal/\""))
    }

    /// A build with an empty render cache starts its helpers while it reads the notes, and typesets
    /// with those: none started again because the typesetting asked for other tools.
    func testHelpersStartedEarlyAreTheOnesThatTypeset() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var builder = SiteBuilder(fixture.options())
        let report = try await builder.run()
        XCTAssertGreaterThan(report.helperProcesses, 0)
        let helpers = try XCTUnwrap(builder.helpers, "no helpers started early")
        XCTAssertEqual(helpers.started, fixture.options().tools.helpers, "a helper started again to typeset")
    }

    func testTwoBuildsAreIdenticalAndTheSecondStartsNoHelper() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let first = try await fixture.build()
        XCTAssertEqual(first.helperProcesses, 1, "one helper process for the whole build")
        let before = try fixture.snapshot()
        let second = try await fixture.build()
        XCTAssertEqual(second.helperProcesses, 0, "unchanged content is served from the cache")
        XCTAssertEqual(try fixture.snapshot(), before, "builds are byte-identical")
        // Without the cache the output is the same too.
        let third = try await fixture.build(cache: false)
        XCTAssertEqual(third.helperProcesses, 1)
        XCTAssertEqual(try fixture.snapshot(), before)
    }

    func testCheckWritesNothing() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let report = try await fixture.build(write: false)
        XCTAssertEqual(report.pages, 5)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.output.path))
    }
}
