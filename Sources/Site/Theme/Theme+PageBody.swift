import Foundation

extension Theme {
    /// A marker no template, string or page holds: it stands for `content` while `page.mustache`
    /// is rendered around it. It opens with `<`, so an escaped `{{content}}` does not show it as is.
    static let contentMarker = "<lossbook-content \(UUID().uuidString)>"

    /// `page.mustache` around a page's HTML, with the heading permalinks (``Permalinks``): the
    /// template is rendered with ``contentMarker`` for `content` (a few kilobytes, whatever the
    /// page's size), and the page goes in its place while its permalinks are put in, into one
    /// string of the final size. The output is the same as rendering the permalinked page as
    /// `content`; a template that does not show `{{{content}}}` exactly once (escaped, twice, in
    /// a section that tests it), or an empty page, is rendered that way.
    func renderPage(_ context: PageContext, html: String, permalinkLabel label: String) -> String {
        var context = context
        if !html.isEmpty {
            context.content = Self.contentMarker
            let shell = render("page", context)
            let found = shell.utf8Occurrences(of: Self.contentMarker)
            if found.count == 1, let slot = found.first {
                let utf8 = shell.utf8
                let start = utf8.index(utf8.startIndex, offsetBy: slot.lowerBound), end = utf8.index(utf8.startIndex, offsetBy: slot.upperBound)
                return Permalinks.add(to: html, label: label, between: shell[..<start], and: shell[end...])
            }
        }
        context.content = Permalinks.add(to: html, label: label)
        return render("page", context)
    }
}
