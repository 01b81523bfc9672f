import Foundation
import Markdown
import XCTest
import _TestSupport
@testable import Site

/// ``TypesetHTML``: a page typeset into its text and its shared formulas (each distinct one held
/// once) joins to the page typeset with every formula copied in, and its readers (ids, headings'
/// permalinks, search text) find in the text what they find in the joined page; where the text
/// alone could read differently (a match reaching across a formula's place), they read the joined
/// page. Every expectation is what the same reader makes of the joined page, never a typed string.
final class TypesetHTMLTests: XCTestCase {
    func read(_ sections: [SearchIndex.ScannedSection]) -> [[String]] {
        sections.map { [$0.anchor, $0.heading, String(decoding: $0.text.bytes, as: UTF8.self), String(decoding: $0.captions.bytes, as: UTF8.self)] }
    }

    let shell = "<html><body>\u{1}\u{1}</body></html>\n"

    /// The readers of `html` against the same readers of its joined page; `fromText`: each reads the text alone.
    func assertReadsAsJoined(_ html: TypesetHTML, fromText: Bool, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let joined = html.joined
        XCTAssertEqual(joined.utf8.count, html.count, label, file: file, line: line)
        XCTAssertEqual(htmlIDs(html), htmlIDs(joined), label, file: file, line: line)
        XCTAssertEqual(htmlIDs(inTextOf: html) != nil, fromText, "ids: \(label)", file: file, line: line)
        let slot = shell.utf8Occurrences(of: "\u{1}\u{1}").first!
        XCTAssertEqual(Permalinks.file(for: html, label: "Link «here»", in: Array(shell.utf8), at: slot).text,
                       Permalinks.file(for: TypesetHTML(joined), label: "Link «here»", in: Array(shell.utf8), at: slot).text, label, file: file, line: line)
        XCTAssertEqual(Permalinks.file(for: html, label: "#").text, Permalinks.add(to: joined, label: "#"), label, file: file, line: line)
        XCTAssertEqual(Permalinks.textFile(for: html, label: "#") != nil, fromText, "headings: \(label)", file: file, line: line)
        XCTAssertEqual(read(SearchIndex.scannedSections(html)), read(SearchIndex.scannedSections(joined)), label, file: file, line: line)
        XCTAssertEqual(SearchIndex.textSections(html) != nil, fromText, "search text: \(label)", file: file, line: line)
    }

    /// Formulas typeset by KaTeX: in headings (before a heading's closing tag too), displayed (their
    /// `#eq-N` anchors), repeated, beside character references, in an executed block's table, at
    /// the page's start and end.
    func testASharedPageJoinsToTheCopiedOneAndReadsAsIt() throws {
        let markdown = """
        $a^2$ opens the page.

        ## The $L_2$ loss and $a^2$

        Inline $a^2$ &amp; $\\frac{p}{q}$, then $a^2$ again; x &lt; $y$ &gt; z.

        $$
        L = -\\sum_{c} y_c \\log p_c
        $$

        ### Its gradient $\\nabla L$

        ```loss-table
        id: 0
        ```

        #### A & B $a^2$

        $$
        L = -\\sum_{c} y_c \\log p_c
        $$

        Ends with $a^2$
        """
        let (draft, cache) = try TypesetDraftFixture.draft(markdown)
        let (shared, diagnostics) = draft.typeset(with: cache, path: "t.md")
        let (copied, copiedDiagnostics) = draft.typeset(with: cache, path: "t.md", sharing: false)
        XCTAssertEqual(diagnostics, copiedDiagnostics)
        XCTAssertEqual(copied.placements.count, 0)
        let formulas = draft.pending.filter { if case .math = $0 { return true }; return false }.count
        XCTAssertEqual(shared.placements.count, formulas, "every formula shared")
        XCTAssertLessThan(shared.formulas.count, formulas, "a repeated formula held once")
        XCTAssertEqual(shared.joined, copied.text)
        XCTAssertTrue(htmlIDs(copied.text).contains { $0.hasPrefix("eq-") }, "displayed formulas' anchors")
        XCTAssertEqual(Permalinks.file(for: shared, label: "#").text.utf8Occurrences(of: "class=\"permalink\"").count,
                       draft.headings.filter { (2...4).contains($0.level) }.count, "every heading with a formula in it permalinked")
        assertReadsAsJoined(shared, fromText: true, "typeset")
        assertReadsAsJoined(copied, fromText: true, "copied")
        // Read back from the page memo as its bytes (``TypesetHTML/init(utf8:)``): read and written as the page.
        let kept = TypesetHTML(utf8: Array(shared.joined.utf8))
        XCTAssertEqual(kept.text, shared.joined)
        assertReadsAsJoined(kept, fromText: true, "read back as bytes")
        let slot = shell.utf8Occurrences(of: "\u{1}\u{1}").first!
        func bytes(_ file: PageFile) -> [UInt8] { file.withPieces { $0.flatMap { Array($0) } } }
        XCTAssertEqual(bytes(Permalinks.file(for: kept, label: "#", in: Array(shell.utf8), at: slot)),
                       Array(Permalinks.file(for: shared, label: "#", in: Array(shell.utf8), at: slot).text.utf8))
        XCTAssertEqual(bytes(PageFile(kept)), Array(shared.joined.utf8))
    }

    /// A page read back as bytes is written as those bytes, and made a string (what is not UTF-8
    /// replaced) only when asked for as one, or when it grows.
    func testAPageReadBackAsBytesIsWrittenAsThem() {
        let bytes = Array("<h2 id=\"a\">A</h2><p>é ".utf8) + [0xFF] + Array("</p>".utf8)
        let kept = TypesetHTML(utf8: bytes)
        XCTAssertEqual(kept.count, bytes.count)
        XCTAssertEqual(kept.textCount, bytes.count)
        XCTAssertEqual(PageFile(kept).withPieces { $0.flatMap { Array($0) } }, bytes, "written as read")
        XCTAssertEqual(kept.text, String(decoding: bytes, as: UTF8.self), "made a string, the stray byte replaced")
        XCTAssertEqual(htmlIDs(kept), ["a"])
        var grown = kept
        grown.append("<p>more</p>")
        XCTAssertEqual(grown.text, String(decoding: bytes, as: UTF8.self) + "<p>more</p>")
        XCTAssertEqual(grown.count, grown.text.utf8.count)
        XCTAssertEqual(kept.text, String(decoding: bytes, as: UTF8.self), "the kept value is unchanged")
    }

    /// The repository's English notes (their executable blocks left unexpanded; `reference/` holds
    /// the catalog's data, not notes): every formula
    /// KaTeX typesets is shared, and each note's page is read from its text, as the joined page reads.
    func testTheRepositorysNotesAreReadFromTheirText() throws {
        let folder = SiteFixture.repository.appendingPathComponent("content/en")
        let paths = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".md") && !$0.hasPrefix("reference/") }.sorted()
        XCTAssertGreaterThan(paths.count, 1)
        let renderer = PageRenderer()
        let drafts = try paths.map { path -> Draft in
            let (_, body, offset) = try FrontMatter.split(try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8), path: path)
            return renderer.render(try renderer.parse(body, lineOffset: offset, path: path), path: path)
        }
        var cache = RenderCache(cacheDirectory: nil, fingerprint: "")
        try cache.resolve(Set(drafts.flatMap(\.requests)), tools: .fromEnvironment(), macros: [:])
        var placed = 0
        for (path, draft) in zip(paths, drafts) {
            let (html, diagnostics) = draft.typeset(with: cache, path: path)
            XCTAssertEqual(diagnostics.count, 0, path)
            let typeset = draft.pending.filter { if case .math = $0 { return true }; return false }.count
            XCTAssertEqual(html.placements.count, typeset, "every formula shared: \(path)")
            placed += html.placements.count
            assertReadsAsJoined(html, fromText: true, path)
        }
        XCTAssertGreaterThan(placed, 0)
    }

    /// A formula's facts (``FormulaFacts``) are found once, kept in its cache shard and read back
    /// as found; a page typeset from a cache read from disk shares the same formulas and reads as
    /// its joined page, as one typeset from facts found now and one typeset with none. A shard an
    /// earlier version wrote (no facts) is read, its facts found and the shard written with them;
    /// a shard whose facts hold flags no version wrote is not whole.
    func testFormulaFactsAreKeptWithTheirFormulasAndReadAsFound() throws {
        let markdown = """
        ## The $L_2$ loss and $a^2$

        Inline $a^2$ &amp; $\\frac{p}{q}$, x &lt; $y$ &gt; z, and $\\text{a \\; spaced}\\;$ words.

        $$
        L = -\\sum_{c} y_c \\log p_c
        $$
        """
        let folder = try TemporaryFolder.make("formula-facts")
        defer { TemporaryFolder.remove(folder) }
        let (draft, found) = try TypesetDraftFixture.draft(markdown)
        let requests = Set(draft.requests)
        let math = requests.filter { if case .math = $0 { return true }; return false }
        XCTAssertGreaterThan(math.count, 5)
        for request in math {
            guard case let .html(html)? = found[request] else { return XCTFail("\(request)") }
            XCTAssertEqual(found.facts(request), FormulaFacts(html: html))
        }
        XCTAssertTrue(math.contains { found.facts($0)?.text?.spaceBeforeText == true || found.facts($0)?.text?.pendingSpace == true },
                      "a formula whose text keeps a word break at an end")

        var kept = RenderCache(cacheDirectory: folder, fingerprint: "f")
        try kept.resolve(requests, tools: .fromEnvironment(), macros: [:])
        kept.save()
        var fromShards = RenderCache(cacheDirectory: folder, fingerprint: "f")
        XCTAssertEqual(try fromShards.resolve(requests, tools: .fromEnvironment(), macros: [:]), 0, "every formula from the shards")
        for request in math { XCTAssertEqual(fromShards.facts(request), found.facts(request), "\(request)") }
        let (fromDisk, _) = draft.typeset(with: fromShards, path: "t.md")
        XCTAssertEqual(fromDisk.formulaFacts.count, fromDisk.formulas.count)
        XCTAssertFalse(fromDisk.formulaFacts.contains(nil), "every shared formula with its facts")
        assertReadsAsJoined(fromDisk, fromText: true, "facts read from the cache")
        XCTAssertEqual(fromDisk.joined, draft.typeset(with: found, path: "t.md").html.joined)

        // The shards as an earlier version wrote them: no facts.
        let shards = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("render/f").path).filter { $0.hasSuffix(".bin") }
        XCTAssertFalse(shards.isEmpty)
        for name in shards {
            let file = folder.appendingPathComponent("render/f/\(name)")
            let records = try XCTUnwrap(RenderCache.decode(try Data(contentsOf: file)))
            try RenderCache.encode(records.map { RenderCache.Record(key: $0.key, result: $0.result) }).write(to: file)
        }
        var earlier = RenderCache(cacheDirectory: folder, fingerprint: "f")
        XCTAssertEqual(try earlier.resolve(requests, tools: .fromEnvironment(), macros: [:]), 0)
        for request in math { XCTAssertEqual(earlier.facts(request), found.facts(request), "found again: \(request)") }
        earlier.save()
        let rewritten = try shards.flatMap { try XCTUnwrap(RenderCache.decode(try Data(contentsOf: folder.appendingPathComponent("render/f/\($0)")))) }
        XCTAssertEqual(rewritten.filter { $0.facts != nil }.count, math.count, "written with their facts")

        // Flags no version wrote: the shard is not whole (read as empty, so typeset again).
        let record = try XCTUnwrap(rewritten.first { $0.facts != nil })
        var bytes = [UInt8](RenderCache.encode([record]))
        let flagsAt = bytes.count - 4 - (record.facts?.text?.bytes.count ?? 0) - 1
        XCTAssertEqual(bytes[flagsAt], record.facts?.flags)
        bytes[flagsAt] |= 16
        XCTAssertNil(RenderCache.decode(Data(bytes)))
        bytes[flagsAt] = 4 // a word break without a text
        XCTAssertNil(RenderCache.decode(Data(bytes)))
    }

    /// A shard's text reads as `String(decoding:)` reads it, on either side of the length where
    /// it is checked by `String(validating:)`: valid text as it is, bad bytes repaired alike.
    func testACacheFieldReadsAsDecodingReadsIt() {
        let unit = Array(#"<mo>−</mo><mi>x</mi><span class="mord">a</span>"#.utf8)
        var texts: [[UInt8]] = [[], Array("key".utf8), unit]
        for count in [1023, 1024, 1025, 6000] { texts.append(Array((0..<count).map { unit[$0 % unit.count] })) }
        let long = Array((0..<3000).map { unit[$0 % unit.count] })
        texts.append(long + [0xFF] + long) // a byte no UTF-8 has
        texts.append(Array(long.prefix(2000)) + [0xE2, 0x88]) // a character cut short at the end
        var repaired = 0
        for bytes in texts {
            bytes.withUnsafeBufferPointer { bytes in
                let decoded = String(decoding: bytes, as: UTF8.self)
                XCTAssertEqual(Array(RenderCache.text(bytes).utf8), Array(decoded.utf8), "\(bytes.count) bytes")
                if decoded.utf8.count != bytes.count { repaired += 1 }
            }
        }
        XCTAssertEqual(repaired, 2, "both bad texts were repaired (a premise of the comparison)")
    }

    /// A page made of `parts`, each text or a shared formula (shared once, placed each time).
    func page(_ parts: [String]) -> TypesetHTML {
        var html = TypesetHTML()
        var shared: [String: Int] = [:]
        for part in parts {
            if TypesetHTML.canShare(part), part.hasPrefix("<span class=\"f") {
                if shared[part] == nil { shared[part] = html.share(part) }
                html.place(shared[part]!)
            } else {
                html.append(part)
            }
        }
        return html
    }

    /// Formulas placed where a reader's match would reach across them in the text: each reader
    /// reads the joined page instead, and finds what it finds there.
    func testAMatchAcrossAFormulasPlaceReadsTheJoinedPage() {
        let f = "<span class=\"f\">x &amp; y</span>", g = "<span class=\"fg\">\"z\"</span>"
        XCTAssertTrue(TypesetHTML.canShare(f) && TypesetHTML.canShare(g))
        XCTAssertFalse(TypesetHTML.canShare("<span id=\"a\">x</span>") || TypesetHTML.canShare("<span>x</span></h2>")
                       || TypesetHTML.canShare("x<span></span>") || TypesetHTML.canShare("<span></span> "))
        let fine = page(["<h2 id=\"a\">A ", f, "</h2><p>", g, " &amp; ", f, "</p><h3 id=\"b\">", f, "</h3>", g])
        XCTAssertEqual(fine.placements.count, 5)
        assertReadsAsJoined(fine, fromText: true, "nothing across a place")
        let across = [
            ("an id's value", ["<p id=\"", f, "x\">p</p>"]),
            ("an id left open", ["<h2>a</h2><p id=\"", f]),
            ("a heading's id", ["<h2 id=\"a", g, "\">A</h2>"]),
            ("the needle itself", ["<h2 i", f, "d=\"a\">A</h2>"]),
            ("a heading's closing tag", ["<h2 id=\"a\">A</h", f, "2></h2>"]),
            ("a character reference", ["<p>a &amp", f, "; b</p>"]),
            ("a comment", ["<p>a <!-- ", g, " --> b</p>"]),
            ("a tag", ["<p>a <span title=\"", f, "\">b</span></p>"]),
            ("a skipped element", ["<p>a <script>", f, "</script> b</p>"]),
        ]
        for (label, parts) in across {
            let html = page(parts)
            XCTAssertEqual(html.placements.count, 1, label)
            XCTAssertTrue(htmlIDs(inTextOf: html) == nil || Permalinks.textFile(for: html, label: "#") == nil
                          || SearchIndex.textSections(html) == nil, "some reader reads the joined page: \(label)")
            XCTAssertEqual(htmlIDs(html), htmlIDs(html.joined), label)
            XCTAssertEqual(Permalinks.file(for: html, label: "#").text, Permalinks.add(to: html.joined, label: "#"), label)
            XCTAssertEqual(read(SearchIndex.scannedSections(html)), read(SearchIndex.scannedSections(html.joined)), label)
        }
    }
}
