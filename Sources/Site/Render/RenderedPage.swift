import Foundation
import Markdown

/// A page's body rendered to HTML, with what the theme and the link checker need.
public struct RenderedPage: Sendable, Codable {
    /// The page's fields, shared by its copies until one of them changes a field (copy on write):
    /// a page passes through several stages and collections (navigation orders, jobs, kept pages),
    /// and copying ten reference-counted fields for each of 4,000 pages at every step was a tenth
    /// of a prose edit's CPU at 2,000 pages per language.
    private final class Storage: @unchecked Sendable {
        var source: SourcePage
        var title: String
        var made: TypesetHTML
        var kept: KeptHTML?
        var outline: OnFirstUse<Outline>
        var anchorChecks: [AnchorCheck]
        var mentions: Set<String>
        var fixes: [FixEdit]
        var identity: String?

        init(source: SourcePage, title: String, made: TypesetHTML, kept: KeptHTML?, outline: OnFirstUse<Outline>,
             anchorChecks: [AnchorCheck], mentions: Set<String>, fixes: [FixEdit], identity: String?) {
            self.source = source
            self.title = title
            self.made = made
            self.kept = kept
            self.outline = outline
            self.anchorChecks = anchorChecks
            self.mentions = mentions
            self.fixes = fixes
            self.identity = identity
        }

        func copy() -> Storage {
            Storage(source: source, title: title, made: made, kept: kept, outline: outline, anchorChecks: anchorChecks,
                    mentions: mentions, fixes: fixes, identity: identity)
        }
    }

    /// A page's headings and the ids in its HTML. A kept page's stay encoded in its page memo bytes
    /// until either is asked for (``init(source:title:html:outline:anchorChecks:mentions:fixes:identity:)``):
    /// after a prose edit at 2,000 pages per language, decoding the 4,000 kept pages' headings and
    /// making sets of their ids was most of reading them. They are read by the theme for a page
    /// whose context it makes (its table of contents: every page, after a title edit), by the link
    /// check for a page a link names a fragment of, and by the page memo's save for a kept page
    /// whose file it writes again.
    typealias Outline = (headings: [Heading], anchors: Set<String>)

    private var storage: Storage

    /// The storage, copied first when another page shares it.
    private var unique: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    public var source: SourcePage {
        get { storage.source }
        set { unique.source = newValue }
    }
    public var title: String {
        get { storage.title }
        set { unique.title = newValue }
    }
    /// The page's HTML, its repeated formulas held once (``TypesetHTML``). A page the page memo
    /// kept is read from its file only when this is first asked for (``KeptHTML``).
    var html: TypesetHTML {
        get { storage.kept?.html ?? storage.made }
        set {
            let storage = unique
            storage.made = newValue
            storage.kept = nil
        }
    }
    /// The page's HTML; nil for a kept page's that could not be read back from its file.
    var readableHTML: TypesetHTML? {
        guard let kept = storage.kept else { return storage.made }
        return kept.readHTML
    }
    /// Whether the page's HTML is empty, without reading a kept page's.
    var htmlIsEmpty: Bool { storage.kept.map { $0.count == 0 } ?? storage.made.isEmpty }
    public var headings: [Heading] {
        get { storage.outline.value.headings }
        set {
            let storage = unique
            storage.outline = OnFirstUse(made: (newValue, storage.outline.value.anchors))
        }
    }
    /// Every `id` in the page, for anchor checks.
    public var anchors: Set<String> {
        get { storage.outline.value.anchors }
        set {
            let storage = unique
            storage.outline = OnFirstUse(made: (storage.outline.value.headings, newValue))
        }
    }
    /// Fragments this page links to in other (or its own) pages: checked once every page is rendered.
    var anchorChecks: [AnchorCheck] {
        get { storage.anchorChecks }
        set { unique.anchorChecks = newValue }
    }
    /// Loss ids the page uses (executable blocks, `ref:` links).
    var mentions: Set<String> {
        get { storage.mentions }
        set { unique.mentions = newValue }
    }
    var fixes: [FixEdit] {
        get { storage.fixes }
        set { unique.fixes = newValue }
    }
    /// In a `serve` session: names the page's inputs and tools, so the theme and the search index
    /// can reuse what they made of an unchanged page (nil outside a session).
    var identity: String? {
        get { storage.identity }
        set { unique.identity = newValue }
    }

    init(source: SourcePage, title: String, html: TypesetHTML, headings: [Heading], anchors: Set<String>, anchorChecks: [AnchorCheck],
         mentions: Set<String> = [], fixes: [FixEdit] = [], identity: String? = nil) {
        self.init(source: source, title: title, html: html, outline: OnFirstUse(made: (headings, anchors)), anchorChecks: anchorChecks,
                  mentions: mentions, fixes: fixes, identity: identity)
    }

    /// A page whose headings and ids are made when first asked for (a kept page's, ``Outline``).
    init(source: SourcePage, title: String, html: TypesetHTML, outline: OnFirstUse<Outline>, anchorChecks: [AnchorCheck],
         mentions: Set<String>, fixes: [FixEdit], identity: String?) {
        storage = Storage(source: source, title: title, made: html, kept: nil, outline: outline,
                          anchorChecks: anchorChecks, mentions: mentions, fixes: fixes, identity: identity)
    }

    /// Leaves the page's HTML in its page memo file until it is read (``KeptHTML``).
    mutating func leaveHTML(in kept: KeptHTML) {
        let storage = unique
        storage.made = TypesetHTML()
        storage.kept = kept
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
