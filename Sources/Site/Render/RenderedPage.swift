import Foundation
import Markdown

/// A page's body rendered to HTML, with what the theme and the link checker need.
public struct RenderedPage: Sendable, Codable {
    public var source: SourcePage
    public var title: String
    /// The page's HTML, its repeated formulas held once (``TypesetHTML``).
    var html: TypesetHTML
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

    private enum CodingKeys: String, CodingKey {
        case source, title, html, headings, anchors, anchorChecks, mentions, fixes, identity
    }
}
