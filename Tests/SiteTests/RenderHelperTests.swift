import XCTest
import _TestSupport
@testable import Site

/// The helper's framed answers and the chunks the requests are handed out in.
final class RenderHelperTests: XCTestCase {
    /// Frames split anywhere (inside a header, inside a multi-byte character) read the same as whole.
    func testAnswersSplitAnywhereReadTheSame() {
        let html = "<span class=\"katex\">é∑\u{1F600}\nx</span>"
        let frames = "h 0 \(html.utf8.count)\n\(html)e 7 \("bad \\frac".utf8.count)\nbad \\fracu 0 0\ne -1 2\nnoh 0 0\nr 3 5\n\\href"
        let expected: [RenderResult] = [.html(html), .error(message: "bad \\frac", position: 7), .unsupported,
                                        .error(message: "no", position: nil), .html(""), .refused(command: "\\href", position: 3)]
        let bytes = Array(frames.utf8)
        for size in [1, 2, 3, 5, 7, 64, bytes.count] {
            var reader = RenderHelper.AnswerReader()
            var results: [RenderResult] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                reader.append(Data(bytes[start..<min(start + size, bytes.count)]))
                results += reader.take()
            }
            XCTAssertEqual(results, expected, "read \(size) bytes at a time")
            XCTAssertFalse(reader.malformed)
        }
        var reader = RenderHelper.AnswerReader()
        reader.append(Data("{\"html\":\"x\"}\n".utf8))
        XCTAssertTrue(reader.malformed, "a JSON line is not a frame")
    }

    /// Every request goes out exactly once, in chunks that several processes share.
    func testPlanKeepsSmallWorkOnOneProcessAndSplitsLargeWork() {
        XCTAssertEqual(RenderHelper.plan(count: 1, processors: 4).processes, 1)
        XCTAssertEqual(RenderHelper.plan(count: RenderHelper.minimumBatch * 2 - 1, processors: 4).processes, 1)
        XCTAssertEqual(RenderHelper.plan(count: RenderHelper.minimumBatch * 100, processors: 2).processes, 2)
        let large = RenderHelper.plan(count: 4000, processors: 2)
        XCTAssertGreaterThanOrEqual((4000 + large.chunk - 1) / large.chunk, large.processes * RenderHelper.chunksPerProcess,
                                    "enough chunks for the processes to finish together")
    }

    /// Answers come back in request order whichever process rendered them.
    func testChunkedRenderKeepsTheOrder() throws {
        var tools = RenderTools.fromEnvironment()
        tools.helpers = 2
        let requests = (0..<(RenderHelper.minimumBatch * 2 + 5)).map { RenderRequest.math(tex: "x_{\($0)}", display: false) }
        let workers = RenderWorkers()
        defer { workers.stop() }
        let (results, processes) = try workers.render(requests, tools: tools, macros: [:])
        XCTAssertEqual(processes, 2)
        XCTAssertEqual(results.count, requests.count)
        for (index, result) in results.enumerated() {
            guard case let .html(html) = result else { return XCTFail("request \(index): \(result)") }
            XCTAssertTrue(html.contains("<mn>\(index)</mn>"), "request \(index) got another formula's answer")
        }
        XCTAssertEqual(workers.started, 2)
    }

    /// A code block highlighted by a helper that loads only the languages it is asked for (and
    /// those they hand code to or build on) reads exactly as one highlighted with the whole of
    /// highlight.js loaded: each language here in a helper of its own, against the package's index
    /// in a Node.js process that shares no code with the helper.
    func testLanguagesLoadedOnDemandHighlightAsTheWholePackage() throws {
        let tools = RenderTools.fromEnvironment()
        let code = """
            <html><head><style>body { color: red; }</style><script>var x = 1;</script></head>
            <body><?php echo "hi $name"; ?> <%= user.name %> {{ value | filter }}</body></html>
            ```python
            def f(x): return x ** 2  # comment
            ```
            #include <stdio.h>
            int main(void) { printf("%d", 1); return 0; }
            GET /index.html HTTP/1.1
            Content-Type: application/json

            {"key": [1, 2.5, "three"], "loss": null}
            """
        // Plain (python), uppercase, one built on another (arduino on cpp), one handing code to a
        // chain of others (erb), one that may hand code to any (http), an unknown name.
        let languages = ["python", "Swift", "arduino", "erb", "markdown", "http", "lossbook-no-such-language"]
        let whole = """
            console.log = () => {};
            const hljs = require(process.argv[1]);
            const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));
            process.stdout.write(JSON.stringify(items.map(([lang, code]) => hljs.getLanguage(lang) ? hljs.highlight(lang, code, true).value : null)));
            """
        let input = try JSONEncoder().encode(languages.map { [$0, code] })
        let run = try ChildProcess.run(executable: tools.node, arguments: ["-e", whole, tools.highlightDirectory], input: input, timeout: 60)
        XCTAssertEqual(run.status, 0, String(decoding: run.errors, as: UTF8.self))
        let expected = try JSONDecoder().decode([String?].self, from: run.output)
        XCTAssertEqual(expected.count, languages.count)
        XCTAssertNil(expected.last ?? "", "the unknown language is unknown to highlight.js")
        for (language, wanted) in zip(languages, expected) {
            let results = try RenderHelper.render([.code(language: language, code: code)], tools: tools, macros: [:])
            switch (results.first, wanted) {
            case let (.html(html)?, wanted?):
                XCTAssertEqual(html, wanted, language)
                XCTAssertTrue(html.contains("hljs-"), "\(language): highlighted")
            case (.unsupported?, nil): break
            default: XCTFail("\(language): \(results) against \(wanted ?? "unsupported")")
            }
        }
    }

    /// A highlighting package laid out otherwise (no `lib/highlight.js` core beside
    /// `lib/languages/`, as in highlight.js 10 and later) is loaded whole, through its index.
    func testAnotherLayoutOfTheHighlighterIsLoadedWhole() throws {
        let package = TemporaryFolder.path("other-highlighter")
        defer { try? FileManager.default.removeItem(at: package) }
        try FileManager.default.createDirectory(at: package.appendingPathComponent("lib/languages"), withIntermediateDirectories: true)
        try #"{"name": "other-highlighter", "main": "./lib/index.js"}"#
            .write(to: package.appendingPathComponent("package.json"), atomically: true, encoding: .utf8)
        try "module.exports = () => ({});\n".write(to: package.appendingPathComponent("lib/languages/fake.js"), atomically: true, encoding: .utf8)
        try """
            module.exports = {
              getLanguage: (name) => name === 'fake' ? {} : undefined,
              highlight: (name, code) => ({ value: '<b class="hljs-whole">' + code + '</b>' }),
            };

            """.write(to: package.appendingPathComponent("lib/index.js"), atomically: true, encoding: .utf8)
        var tools = RenderTools.fromEnvironment()
        tools.highlightDirectory = package.path
        let results = try RenderHelper.render([.code(language: "fake", code: "x"), .code(language: "other", code: "y")],
                                              tools: tools, macros: [:])
        XCTAssertEqual(results, [.html("<b class=\"hljs-whole\">x</b>"), .unsupported])
    }

    /// Helpers given the render cache's folder keep V8's compiled KaTeX there, and one V8 refuses
    /// (here: bytes that are no code cache) is written again; the formulas read the same.
    func testHelpersKeepKaTeXsCompiledCodeAndReplaceARefusedOne() throws {
        let folder = TemporaryFolder.path("code-cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        var tools = RenderTools.fromEnvironment()
        let plain = try RenderHelper.render([.math(tex: "x^2", display: false)], tools: tools, macros: [:])
        tools.codeCacheFolder = folder.path
        let file = folder.appendingPathComponent(RenderHelper.codeCacheName)
        XCTAssertEqual(try RenderHelper.render([.math(tex: "x^2", display: false)], tools: tools, macros: [:]), plain)
        let made = try XCTUnwrap(FileManager.default.contents(atPath: file.path), "no code cache written")
        XCTAssertGreaterThan(made.count, 10_000)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [RenderHelper.codeCacheName], "no temporary file left")
        XCTAssertEqual(try RenderHelper.render([.math(tex: "x^2", display: false)], tools: tools, macros: [:]), plain, "read from the cache")
        let refused = Data(repeating: 7, count: 64)
        try refused.write(to: file)
        XCTAssertEqual(try RenderHelper.render([.math(tex: "x^2", display: false)], tools: tools, macros: [:]), plain)
        XCTAssertNotEqual(FileManager.default.contents(atPath: file.path), refused, "a refused cache is written again")
    }

    /// A build keeps the code cache in its render cache's folder; `--no-cache` keeps none.
    func testABuildKeepsTheCodeCacheBesideItsRenderCache() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        let render = fixture.root.appendingPathComponent(".cache/render")
        let folders = try FileManager.default.contentsOfDirectory(atPath: render.path)
        XCTAssertEqual(folders.count, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: render.appendingPathComponent(folders[0]).appendingPathComponent(RenderHelper.codeCacheName).path))
        let uncached = try SiteFixture("basic")
        defer { uncached.remove() }
        try await uncached.build(cache: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: uncached.root.appendingPathComponent(".cache").path))
    }

    /// KaTeX compiled with the helper's quicker one-line helpers (``RenderHelper/katexQuicker``)
    /// typesets every formula of this repository's notes, and some that escape every character
    /// HTML reserves, byte for byte as KaTeX as it ships, run in a separate Node.js process.
    func testQuickerKaTeXTypesetsAsKaTeXShips() throws {
        let tools = RenderTools.fromEnvironment()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var formulas: [[String]] = [["\\text{a \\& b < c > d \"e\" 'f'}", "1"], ["x<y>z \\land \\text{\\&}", "0"],
                                    ["\\mathrm{A\\&B}_{i<j} \\sqrt[3]{\\frac{a}{b}} \\Big( \\overbrace{x+y}^{n} \\Big)", "1"],
                                    ["\\begin{aligned} f'(x) &= \\tfrac12 \\\\ g &\\ge \\mathcal{L} \\end{aligned}", "1"]]
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: repository.appendingPathComponent("content").path))
        let display = try NSRegularExpression(pattern: "\\$\\$\\n([\\s\\S]+?)\\n\\$\\$"), inline = try NSRegularExpression(pattern: "(?<![$\\\\])\\$([^$\\n]+?)\\$")
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".md") else { continue }
            let text = try String(contentsOf: repository.appendingPathComponent("content").appendingPathComponent(path), encoding: .utf8)
            let whole = NSRange(text.startIndex..., in: text)
            for (expression, flag) in [(display, "1"), (inline, "0")] {
                for match in expression.matches(in: text, range: whole) {
                    formulas.append([String(text[Range(match.range(at: 1), in: text)!]), flag])
                }
            }
        }
        // The macros of this repository's `content/lossbook.yaml`, as its builds pass them.
        let macros = try SiteConfig.load(contentDirectory: repository.appendingPathComponent("content"), displayPath: "content").macros
        XCTAssertFalse(macros.isEmpty, "the repository's macros were read")
        let shipped = """
            const katex = require(process.argv[1]);
            const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
            process.stdout.write(JSON.stringify(input.formulas.map(([tex, display]) => {
              try {
                return katex.renderToString(tex, { displayMode: display === '1', output: 'htmlAndMathml', throwOnError: true,
                                                   strict: 'ignore', trust: () => false, macros: Object.assign({}, input.macros) });
              } catch (e) { return null; }
            })));
            """
        struct Input: Encodable { var formulas: [[String]]; var macros: [String: String] }
        let run = try ChildProcess.run(executable: tools.node, arguments: ["-e", shipped, "\(tools.katexDirectory)/katex.js"],
                                       input: try JSONEncoder().encode(Input(formulas: formulas, macros: macros)), timeout: 120)
        XCTAssertEqual(run.status, 0, String(decoding: run.errors, as: UTF8.self))
        let expected = try JSONDecoder().decode([String?].self, from: run.output)
        XCTAssertEqual(expected.count, formulas.count)
        let results = try RenderHelper.render(formulas.map { .math(tex: $0[0], display: $0[1] == "1") }, tools: tools, macros: macros)
        var compared = 0
        for (formula, (result, wanted)) in zip(formulas, zip(results, expected)) {
            switch (result, wanted) {
            case let (.html(html), wanted?):
                XCTAssertEqual(html, wanted, formula[0])
                compared += 1
            case (.error, nil), (.refused, _): break
            default: XCTFail("\(formula[0]): \(result) against \(wanted ?? "an error")")
            }
        }
        XCTAssertGreaterThan(compared, 1_000, "the notes' formulas were found and typeset")
        for escaped in ["&amp;", "&lt;", "&gt;", "&quot;"] {
            XCTAssertTrue(results.prefix(2).contains { if case let .html(html) = $0 { return html.contains(escaped) } else { return false } }, escaped)
        }
    }

    /// The helper compiles KaTeX with a quicker helper where the shipped one's text is found
    /// exactly once, with the code cache and without, and leaves a text found twice as it ships.
    /// (A stand-in `katex.js` answers with its own helpers' source.)
    func testKaTeXIsCompiledWithTheQuickerHelpersWhereFoundOnce() throws {
        let folder = TemporaryFolder.path("stand-in-katex")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shippedSize = #"W=function(e){return+e.toFixed(4)+"em"}"#
        try """
            var o=/[&><"']/g,i={"&":"&amp;"},m=function(e){return String(e).replace(o,(function(e){return i[e]}))},\(shippedSize);
            /* \(shippedSize) */
            module.exports={renderToString:function(tex){return String(tex==="m"?m:W)}};

            """.write(to: folder.appendingPathComponent("katex.js"), atomically: true, encoding: .utf8)
        var tools = RenderTools.fromEnvironment()
        tools.katexDirectory = folder.path
        for cache in [nil, folder.appendingPathComponent("cache").path] {
            tools.codeCacheFolder = cache
            let results = try RenderHelper.render([.math(tex: "m", display: false), .math(tex: "W", display: false)], tools: tools, macros: [:])
            guard case let .html(escape) = results.first, case let .html(size) = results.last else { return XCTFail("\(results)") }
            XCTAssertTrue(escape.contains("charCodeAt"), "the quicker escape: \(escape)")
            XCTAssertEqual("W=" + size, shippedSize, "found twice: as shipped")
        }
        // Each quicker helper's shipped text is found exactly once in the KaTeX it was written for.
        let installed = "\(RenderTools.fromEnvironment().katexDirectory)/katex.js"
        if try String(contentsOfFile: installed, encoding: .utf8).contains(#"version:"0.16.4""#) {
            let count = """
                const source = require('fs').readFileSync(process.argv[1], 'utf8');
                process.stdout.write(quicker.filter(([shipped]) => source.split(shipped).length === 2).length + ' ' + quicker.length);
                """
            let run = try ChildProcess.run(executable: tools.node, arguments: ["-e", RenderHelper.katexQuicker + count, installed], input: Data(), timeout: 60)
            let counts = String(decoding: run.output, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
            XCTAssertEqual(counts.count, 2, String(decoding: run.errors, as: UTF8.self))
            XCTAssertEqual(counts.first, counts.last, "every shipped text found once, of \(counts.last ?? 0)")
            XCTAssertGreaterThan(counts.last ?? 0, 0)
        }
    }
}
