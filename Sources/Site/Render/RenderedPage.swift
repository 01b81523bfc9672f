import Foundation
import Markdown

/// A page's body rendered to HTML, with what the theme and the link checker need.
public struct RenderedPage: Sendable, Codable {
    public var source: SourcePage
    public var title: String
    /// A page kept by ``PageMemo`` reads its HTML from its memo file only when a stage asks for it:
    /// a kept page in an unchanged context has its page in the theme and search entry kept too.
    public var html: String {
        get { text.value }
        set { text = PageText(newValue) }
    }
    private var text: PageText
    public var headings: [Heading]
    /// Every `id` in the page, for anchor checks.
    public var anchors: Set<String>
    /// Fragments this page links to in other (or its own) pages: checked once every page is rendered.
    var anchorChecks: [AnchorCheck]
    /// Loss ids the page uses (executable blocks, `ref:` links).
    var mentions: Set<String> = []
    var fixes: [FixEdit] = []
    /// In a `serve` session: names the page's inputs and tools, so the theme and the search index
    /// can reuse what they made of an unchanged page (nil outside a session).
    var identity: String? = nil
    /// Where KaTeX's visual copy of each formula (its `<span class="katex-html">` element, most of
    /// a page of formulas' bytes) stands in `html`, as byte ranges in page order, recorded when
    /// typesetting put the formulas in: the search index jumps over them instead of reading their
    /// tags (``SearchIndex/visualCopy(in:)``). Not kept in the page memo: a page read back from it
    /// has none and is read whole, with the same result.
    var formulaCopies: [Range<Int>] = []

    enum CodingKeys: String, CodingKey {
        case source, title, text = "html", headings, anchors, anchorChecks, mentions, fixes, identity
    }

    init(source: SourcePage, title: String, html: String, headings: [Heading], anchors: Set<String>, anchorChecks: [AnchorCheck],
         mentions: Set<String> = [], fixes: [FixEdit] = [], identity: String? = nil, formulaCopies: [Range<Int>] = []) {
        (self.source, self.title, self.text, self.headings, self.anchors) = (source, title, PageText(html), headings, anchors)
        (self.anchorChecks, self.mentions, self.fixes, self.identity) = (anchorChecks, mentions, fixes, identity)
        self.formulaCopies = formulaCopies
    }

    /// This page with its HTML made by `read` when first asked for (once, whichever thread asks).
    mutating func readHTMLLater(_ read: @escaping @Sendable () -> String) { text = PageText(read) }
}

/// A text given, or made once when first read (``RenderedPage/html``).
final class PageText: @unchecked Sendable, Codable {
    private let lock = NSLock()
    private var text: String?
    private var read: (@Sendable () -> String)?

    init(_ text: String) { self.text = text }
    init(_ read: @escaping @Sendable () -> String) { self.read = read }

    var value: String {
        lock.lock(); defer { lock.unlock() }
        if let text { return text }
        let made = read?() ?? ""
        (text, read) = (made, nil)
        return made
    }

    init(from decoder: Decoder) throws { text = try decoder.singleValueContainer().decode(String.self) }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
