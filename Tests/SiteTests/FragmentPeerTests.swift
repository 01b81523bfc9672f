import XCTest
import Markdown
@testable import Site

/// The GFM peer suite through `Fragment.render(plain:)`, the function `lossbook render --plain` runs:
/// every spec example without `$` must equal plain cmark-gfm's HTML.
final class FragmentPeerTests: XCTestCase {
    func examples(_ name: String) throws -> [String] {
        let url = SiteFixture.repository.appendingPathComponent("Tests/MarkdownTests/Fixtures/\(name).txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        let fence = String(repeating: "`", count: 32)
        var examples: [String] = []
        var current: [Substring]?
        var inMarkdown = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(fence + " example") { current = []; inMarkdown = true }
            else if current != nil, line == fence { examples.append(current!.map { $0 + "\n" }.joined().replacingOccurrences(of: "→", with: "\t")); current = nil }
            else if inMarkdown, line == "." { inMarkdown = false }
            else if inMarkdown { current!.append(line) }
        }
        return examples
    }

    func testEveryExampleWithoutDollars() throws {
        var compared = 0
        for name in ["spec", "extensions"] {
            for (index, markdown) in try examples(name).enumerated() where !markdown.contains("$") {
                XCTAssertEqual(try Fragment.render(markdown, path: "-", plain: true), CommonMark.plainHTML(markdown),
                               "\(name).txt example \(index + 1)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 600)
    }
}
