import Foundation
import Markdown

/// A page's body rendered to HTML, with what the theme and the link checker need.
public struct RenderedPage: Sendable, Codable {
    public var source: SourcePage
    public var title: String
    /// The page's HTML, its repeated formulas held once (``TypesetHTML``). A page the page memo
    /// kept is read from its file only when this is first asked for (``KeptHTML``).
    var html: TypesetHTML {
        get { kept?.html ?? made }
        set { made = newValue; kept = nil }
    }
    private var made: TypesetHTML
    private var kept: KeptHTML?
    /// The page's HTML; nil for a kept page's that could not be read back from its file.
    var readableHTML: TypesetHTML? {
        guard let kept else { return made }
        return kept.readHTML
    }
    /// Whether the page's HTML is empty, without reading a kept page's.
    var htmlIsEmpty: Bool { kept.map { $0.count == 0 } ?? made.isEmpty }
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

    init(source: SourcePage, title: String, html: TypesetHTML, headings: [Heading], anchors: Set<String>, anchorChecks: [AnchorCheck],
         mentions: Set<String> = [], fixes: [FixEdit] = [], identity: String? = nil) {
        self.source = source
        self.title = title
        made = html
        self.headings = headings
        self.anchors = anchors
        self.anchorChecks = anchorChecks
        self.mentions = mentions
        self.fixes = fixes
        self.identity = identity
    }

    /// Leaves the page's HTML in its page memo file until it is read (``KeptHTML``).
    mutating func leaveHTML(in kept: KeptHTML) {
        made = TypesetHTML()
        self.kept = kept
    }

    private enum CodingKeys: String, CodingKey {
        case source, title, html, headings, anchors, anchorChecks, mentions, fixes, identity
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(source: try container.decode(SourcePage.self, forKey: .source), title: try container.decode(String.self, forKey: .title),
                  html: try container.decode(TypesetHTML.self, forKey: .html), headings: try container.decode([Heading].self, forKey: .headings),
                  anchors: try container.decode(Set<String>.self, forKey: .anchors),
                  anchorChecks: try container.decode([AnchorCheck].self, forKey: .anchorChecks),
                  mentions: try container.decode(Set<String>.self, forKey: .mentions), fixes: try container.decode([FixEdit].self, forKey: .fixes),
                  identity: try container.decodeIfPresent(String.self, forKey: .identity))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(title, forKey: .title)
        try container.encode(html, forKey: .html)
        try container.encode(headings, forKey: .headings)
        try container.encode(anchors, forKey: .anchors)
        try container.encode(anchorChecks, forKey: .anchorChecks)
        try container.encode(mentions, forKey: .mentions)
        try container.encode(fixes, forKey: .fixes)
        try container.encodeIfPresent(identity, forKey: .identity)
    }
}
