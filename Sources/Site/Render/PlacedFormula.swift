/// Where one typeset formula's HTML stands in a page, and which of the page's distinct formulas it
/// is: a page repeats its formulas (a big note, thousands of times), and the search index reads
/// each distinct one once, then adds its text wherever it stands (``SearchIndex/scannedSections(_:formulaCopies:formulas:)``).
struct PlacedFormula: Sendable, Equatable {
    /// The formula's HTML in the page, as a byte range (after a displayed formula's `#eq-N` anchor).
    var range: Range<Int>
    /// The same number for the same formula (same TeX, same display) throughout the page, counted from 0.
    var kind: Int
}
