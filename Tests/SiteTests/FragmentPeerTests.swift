import XCTest
import Markdown
import _TestSupport
@testable import Site

/// The GFM peer suite through `Fragment.render(plain:)`, the function `lossbook render --plain` runs:
/// every spec example without `$` must equal plain cmark-gfm's HTML.
final class FragmentPeerTests: XCTestCase {
    func testEveryExampleWithoutDollars() throws {
        var compared = 0
        for name in ["spec", "extensions"] {
            for (index, markdown) in try SpecExample.load(name).map(\.markdown).enumerated() where !markdown.contains("$") {
                XCTAssertEqual(try Fragment.render(markdown, path: "-", plain: true), CommonMark.plainHTML(markdown),
                               "\(name).txt example \(index + 1)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 600)
    }
}
