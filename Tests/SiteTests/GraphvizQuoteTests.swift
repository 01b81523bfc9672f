import XCTest
@testable import Site

/// `Graphviz.quote`: a DOT string literal for a node or edge label.
final class GraphvizQuoteTests: XCTestCase {
    func testBackslashQuoteAndLineBreakAreEscapedAndNothingElse() {
        XCTAssertEqual(Graphviz.quote(#"a\b"c"# + "\nd"), #""a\\b\"c\nd""#)
        XCTAssertEqual(Graphviz.quote("Dice 损失 · ∂L/∂p"), "\"Dice 损失 · ∂L/∂p\"")
        XCTAssertEqual(Graphviz.quote(""), "\"\"")
    }

    /// A CRLF is one Character in Swift but two scalars: its line feed is still DOT's `\n`.
    func testTheLineFeedOfACRLFIsEscaped() {
        XCTAssertEqual(Graphviz.quote("a\r\nb"), "\"a\r\\nb\"")
    }
}
