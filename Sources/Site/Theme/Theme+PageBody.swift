import Foundation

extension Theme {
    /// A marker no template, string or page holds: it stands for `content` while `page.mustache`
    /// is rendered around it. It opens with `<`, so an escaped `{{content}}` does not show it as is.
    static let contentMarker = "<lossbook-content \(UUID().uuidString)>"

    /// `page.mustache` around a page's HTML, with the heading permalinks (``Permalinks``), as the
    /// slices the file is made of (``PageFile``): the template is rendered with ``contentMarker``
    /// for `content` (a few kilobytes, whatever the page's size), and the page goes in its place
    /// with its permalinks put in. Joined, the slices are the same as rendering the permalinked
    /// page as `content`; a template that does not show `{{{content}}}` exactly once (escaped,
    /// twice, in a section that tests it), or an empty page, is rendered that way, into one slice.
    /// - Parameter values: the page's context as the template reads it (``PageContext/values``,
    ///   whatever its `content`): made once by a caller that hashed them for the page's record too.
    func pageFile(_ values: [String: TemplateValue], html: TypesetHTML, permalinkLabel label: String) -> PageFile {
        var values = values
        if !html.isEmpty {
            values["content"] = .text(Self.contentMarker)
            // As bytes: made a string, each page's shell was validated as UTF-8 again (34 M of the
            // 2,324 M instructions of a build rendering 1,000 pages again).
            let shell = renderBytes("page", values: values)
            let found = shell.withUnsafeBufferPointer { $0.occurrences(of: Self.contentMarker) }
            if found.count == 1, let slot = found.first {
                return Permalinks.file(for: html, label: label, in: shell, at: slot)
            }
        }
        values["content"] = .text(Permalinks.file(for: html, label: label).text)
        return PageFile(render("page", values: values))
    }
}
