import Foundation
import XCTest
import CCmarkGFM
@testable import Markdown
import _TestSupport

/// `rewriteLinks` takes the link, image and raw HTML nodes from the walk `init` made of the
/// parsed tree (a big note's tree is not walked again for them): they must be the nodes a walk
/// of the tree finds, in the same order, until `setHeadingIDs` frees the headings' inline nodes.
final class LinkNodesTests: XCTestCase {
    /// Links in a heading, a table, a list, a block quote, a footnote; images; inline and block HTML.
    static let markdown = """
        # Heading with [a link](h.md) and <span title="x">html</span>

        A [link](a.md), an ![image](i.png), <a href="b.md">inline HTML</a> and $x$.

        | a | b |
        |---|---|
        | [cell](c.md) | ![pic](p.png) |

        - [item](d.md)
          > [quoted](e.md)

        <div><img src="f.png"></div>

        Text[^1] and <https://example.org>.

        [^1]: A [footnote link](g.md).
        """

    func assertFromTheParse(_ markdown: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let document = try MarkdownDocument(markdown)
        XCTAssertEqual(document.cachedLinkNodes, document.linkNodesFromAWalk(), name, file: file, line: line)
    }

    func testTheParseFindsWhatAWalkFinds() throws {
        try assertFromTheParse(Self.markdown, "links of every kind")
        let document = try MarkdownDocument(Self.markdown)
        let types = Set((document.cachedLinkNodes ?? []).map { cmark_node_get_type($0).rawValue })
        XCTAssertEqual(types, Set([CMARK_NODE_LINK, CMARK_NODE_IMAGE, CMARK_NODE_HTML_INLINE, CMARK_NODE_HTML_BLOCK].map(\.rawValue)))
        let content = TestRepository.root.appendingPathComponent("content")
        let notes = FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "md" } ?? []
        XCTAssertGreaterThan(notes.count, 10, "the repository's notes under \(content.path)")
        for note in notes { try assertFromTheParse(try String(contentsOf: note, encoding: .utf8), note.lastPathComponent) }
    }

    /// Once the headings' nodes are freed, the links are those a walk finds then.
    func testAfterHeadingIDsTheLinksComeFromAWalk() throws {
        let document = try MarkdownDocument(Self.markdown)
        let before = document.links
        var slugger = HeadingSlugger()
        document.setHeadingIDs(slugger: &slugger)
        XCTAssertNil(document.cachedLinkNodes)
        XCTAssertEqual(document.links, Array(before.dropFirst()), "the heading's link is in its generated block now")
    }
}
