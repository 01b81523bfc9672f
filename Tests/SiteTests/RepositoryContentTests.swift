import XCTest
import _TestSupport
@testable import Site

/// The repository's own notes build: every formula typesets, every link and image resolves,
/// every executable block verifies, and no raw TeX is left outside KaTeX's MathML annotations.
final class RepositoryContentTests: XCTestCase {
    func testTheKnowledgeBaseBuildsClean() async throws {
        let repository = SiteFixture.repository
        let output = TemporaryFolder.path("content")
        defer { TemporaryFolder.remove(output) }
        var options = BuildOptions(contentDirectory: repository.appendingPathComponent("content"),
                                   templatesDirectory: repository.appendingPathComponent("templates"),
                                   outputDirectory: output.appendingPathComponent("site"), cacheDirectory: nil)
        options.lossSources = repository.appendingPathComponent("Sources/Losses")
        options.referenceSources = repository.appendingPathComponent("Sources/LossReference")
        let report = try await SiteBuilder.build(options)
        XCTAssertGreaterThan(report.pages, 40)

        let site = output.appendingPathComponent("site").path
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: site))
        var pages = 0
        for case let path as String in enumerator where path.hasSuffix(".html") {
            let html = try String(contentsOfFile: "\(site)/\(path)", encoding: .utf8)
            pages += 1
            let visible = Self.strip(html, between: [("<annotation", "</annotation>"), ("<pre", "</pre>"), ("<code", "</code>"),
                                                     ("<script", "</script>"), ("<svg", "</svg>")])
            for pattern in ["$$", "\\frac", "\\sum", "\\mathcal", "\\left", "\\begin{", "\\(", "^{", "_{"] {
                XCTAssertFalse(visible.contains(pattern), "\(path): raw TeX '\(pattern)' outside KaTeX")
            }
            // Formulas need no script: a note loads only the theme's copy button and search (whose
            // index it injects on first use), and the language's shared page list (not on the
            // language's home page, which lists every page in its HTML).
            if path.hasSuffix("/index.html"), path.contains("/") {
                let home = path.split(separator: "/").count == 2
                XCTAssertEqual(Self.attributes("src", in: html).filter { $0.hasSuffix(".js") }.map { ($0 as NSString).lastPathComponent },
                               home ? ["site.js", "search.js"] : ["site.js", "search.js", "nav.js"], path)
                XCTAssertFalse(html.contains("katex.min.js") || html.contains("auto-render"), "\(path) loads KaTeX in the browser")
            }
            // Every image points at a file of the site.
            for source in Self.attributes("src", in: html) where !source.hasPrefix("data:") && !source.contains("://") {
                let target = URL(fileURLWithPath: "\(site)/\(path)").deletingLastPathComponent().appendingPathComponent(source).standardizedFileURL.path
                XCTAssertTrue(FileManager.default.fileExists(atPath: target), "\(path): <img src=\"\(source)\"> is missing")
            }
            // Every relative link points at a file of the site.
            for href in Self.attributes("href", in: html) where !href.contains(":") && !href.hasPrefix("#") {
                let file = String(href.prefix { $0 != "#" })
                let target = URL(fileURLWithPath: "\(site)/\(path)").deletingLastPathComponent().appendingPathComponent(file).standardizedFileURL.path
                XCTAssertTrue(FileManager.default.fileExists(atPath: target), "\(path): link \(href) is broken")
            }
        }
        XCTAssertEqual(pages, report.pages + 2, "every page plus the root chooser and the 404 page")
    }

    static func strip(_ html: String, between pairs: [(String, String)]) -> String {
        var text = html
        for (open, close) in pairs {
            var out = ""
            var rest = Substring(text)
            while let start = rest.range(of: open) {
                out += rest[..<start.lowerBound]
                guard let end = rest[start.upperBound...].range(of: close) else { rest = ""; break }
                rest = rest[end.upperBound...]
            }
            text = out + rest
        }
        return text
    }

    static func attributes(_ name: String, in html: String) -> [String] {
        var values: [String] = []
        var rest = Substring(html)
        while let range = rest.range(of: " \(name)=\"") {
            rest = rest[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            values.append(String(rest[..<end]))
            rest = rest[end...]
        }
        return values
    }
}
