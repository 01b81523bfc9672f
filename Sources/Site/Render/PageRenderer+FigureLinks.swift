import Foundation
import Markdown

extension PageRenderer {
    /// Rewrites the `ref:<id>` links inside a generated figure (the nodes of a `loss-family`
    /// diagram, the rows of a `cited-plot`) like any link of the page: to the reference page's
    /// URL, checked, and counted among the page's mentions.
    func rewriteFigureLinks(_ html: String, block: CodeBlock, draft: inout Draft,
                            rewrite: (LinkReference, inout Draft) -> String?) -> String {
        let marker = "href=\"ref:"
        guard html.contains(marker) else { return html }
        var out = ""
        var rest = Substring(html)
        while let range = rest.range(of: marker) {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { rest = rest[range.lowerBound...]; break }
            let url = "ref:" + after[..<end]
            let link = LinkReference(url: url, isImage: false, location: block.location)
            draft.mentions.insert(String(after[..<end]))
            out += "href=\"" + escapeHTML(rewrite(link, &draft) ?? url) + "\""
            rest = after[after.index(after: end)...]
        }
        return out + rest
    }
}
