/// What the later stages read from a typeset formula's HTML, found once when the formula enters
/// the render cache and kept there with it (``RenderCache``): whether a page may hold it once and
/// place it wherever it repeats (``TypesetHTML/canShare(_:)``), and the text it adds to the page's
/// search entry (``SearchIndex/formulaText(_:)``).
///
/// Read from the HTML on every build, these were a sixth of the instructions of a build that
/// renders 4,000 pages with their formulas from the cache (two `memmem` passes and a scan past
/// KaTeX's nested spans, over 5.8 KB of HTML a formula), for a result that depends on those bytes alone.
struct FormulaFacts: Sendable, Equatable {
    var shareable: Bool
    /// Its search text read alone; nil when it is not self-contained (the page is then read whole).
    var text: SearchIndex.CollapsedText?

    init(html: String) {
        shareable = TypesetHTML.canShare(html)
        text = SearchIndex.formulaText(html)
    }

    /// As a render cache's shard keeps them: a byte of flags (shareable, has a text, and the
    /// text's two word-break flags), then the text's UTF-8 bytes, length-prefixed by the caller.
    var flags: UInt8 {
        (shareable ? 1 : 0) | (text == nil ? 0 : 2) | (text?.pendingSpace == true ? 4 : 0) | (text?.spaceBeforeText == true ? 8 : 0)
    }

    /// Facts read back from ``flags`` and the text's bytes; nil for flags no version wrote.
    init?(flags: UInt8, text bytes: [UInt8]) {
        guard flags & ~15 == 0, flags & 2 != 0 || (bytes.isEmpty && flags & 12 == 0) else { return nil }
        shareable = flags & 1 != 0
        text = flags & 2 == 0 ? nil : SearchIndex.CollapsedText(bytes: bytes, pendingSpace: flags & 4 != 0, spaceBeforeText: flags & 8 != 0)
    }
}
