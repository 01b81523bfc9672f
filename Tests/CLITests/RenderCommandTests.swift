import XCTest
import Markdown
import _TestSupport

/// `lossbook render` end to end; the GFM peer suite through the real executable.
final class RenderCommandTests: XCTestCase {
    /// Examples without `$`, through the `lossbook render --plain` executable, equal plain cmark-gfm.
    /// Every example goes through the same function in-process (`SiteTests.FragmentPeerTests`);
    /// here one in eleven, plus every extension example, crosses the process boundary
    /// (stdin, argument parsing, stdout) to keep the suite fast.
    func testPeerSuiteThroughTheExecutable() throws {
        var compared = 0
        for name in ["spec", "extensions"] {
            for (index, markdown) in try SpecExample.load(name).map(\.markdown).enumerated() where !markdown.contains("$") && (name == "extensions" || index % 11 == 0) {
                let result = try LossbookProcess.run(["render", "--plain", "-"], stdin: markdown)
                XCTAssertEqual(result.status, 0, "\(name) example \(index + 1): \(result.stderr)")
                XCTAssertEqual(result.stdout, CommonMark.plainHTML(markdown), "\(name).txt example \(index + 1)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 80)
    }

    func testRendersMathAndAnchors() throws {
        let result = try LossbookProcess.run(["render", "-"], stdin: "## Focal loss\n\n$p_t^\\gamma$ and `code`\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("<h2 id=\"focal-loss\">"))
        XCTAssertTrue(result.stdout.contains("class=\"katex\""))
    }

    func testMalformedFormulaFailsWithPosition() throws {
        let result = try LossbookProcess.run(["render", "-"], stdin: "text\n\nsee $\\frac{a$ here\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("<stdin>:3:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("error: KaTeX parse error"), result.stderr)
    }
}
