import Foundation
import Markdown

extension PageRenderer {
    /// Rewrites the `ref:<id>` links inside a generated figure (the nodes of a `loss-family`
    /// diagram, the rows of a `cited-plot`) like any link of the page: to the reference page's
    /// URL, checked, and counted among the page's mentions.
    func rewriteFigureLinks(_ html: String, block: CodeBlock, draft: inout Draft,
                            rewrite: (LinkReference, inout Draft) -> String?) -> String {
        html.utf8Replacing("href=\"ref:") { after in
            // The destination runs to the closing quote; without one the marker stays as it was.
            guard let end = after.firstIndex(of: UInt8(ascii: "\"")) else { return ("href=\"ref:", 0) }
            let id = String(decoding: UnsafeBufferPointer(rebasing: after[..<end]), as: UTF8.self)
            let link = LinkReference(url: "ref:" + id, isImage: false, location: block.location)
            draft.mentions.insert(id)
            return ("href=\"" + escapeHTML(rewrite(link, &draft) ?? link.url) + "\"", end + 1)
        }
    }
}
