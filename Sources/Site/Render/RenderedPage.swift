import Foundation
import Markdown

/// A page's body rendered to HTML, with what the theme and the link checker need.
public struct RenderedPage: Sendable, Codable {
    public var source: SourcePage
    public var title: String
    public var html: String
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
    /// Where each typeset formula stands in `html`, in page order, and which of the page's distinct
    /// formulas it is: the search index reads a distinct formula once and adds its text at each
    /// place (``SearchIndex/scannedSections(_:formulaCopies:formulas:)``). Not kept in the page
    /// memo either, for the same reason.
    var formulas: [PlacedFormula] = []

    private enum CodingKeys: String, CodingKey {
        case source, title, html, headings, anchors, anchorChecks, mentions, fixes, identity
    }
}
