/// A typeset page's HTML as what it is made of: its text (every byte but its shared formulas', in
/// page order, in one string) and each distinct shared formula's HTML, held once (all of them in
/// one more string) and placed wherever the page repeats it.
///
/// A big note repeats its formulas thousands of times: joined, a 50 MB note's page was 650 MB of
/// fresh memory, and the kernel's clearing of those pages a fifth of the build's CPU. So the page
/// is never joined on the way to its file: the file is written from these slices
/// (``Permalinks/file(for:label:in:at:)``), and its ids (``htmlIDs(_:)-(TypesetHTML)``), headings
/// and search text (``SearchIndex/scannedSections(_:)``) are read from the text, with the formulas'
/// own read once each. ``joined`` is the page as one string, where one is wanted (`serve`'s kept
/// theme pages, the page memo, tests), and what those readers fall back to when the text alone
/// could read differently (a match reaching across a formula's place).
struct TypesetHTML: Sendable, Codable {
    /// Where a shared formula goes: before byte `at` of ``text``.
    struct Placement: Sendable, Equatable {
        var at: Int
        var formula: Int
    }

    /// The page without its shared formulas (for a page read back as bytes, made of them when asked for).
    var text: String {
        guard let keptBytes else { return madeText }
        return keptBytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0.dropLast()), as: UTF8.self) }
    }
    /// The text of a page made here, or made of its bytes for ``append(_:)``.
    private var madeText: String
    /// A page read back from the page memo (``init(utf8:)``): its bytes, then a NUL (``withTextCString(_:)``).
    private var keptBytes: [UInt8]?
    /// The shared formulas' HTML, each distinct one once, one after the other.
    private(set) var shared = ""
    /// Where each shared formula stands in ``shared``.
    private(set) var formulas: [Range<Int>] = []
    /// In page order (`at` never decreasing).
    private(set) var placements: [Placement] = []
    /// Each shared formula's facts when the render cache had them (``FormulaFacts``), else nil.
    private(set) var formulaFacts: [FormulaFacts?] = []
    /// The page's size in bytes.
    private(set) var count: Int

    /// A page with no shared formulas.
    init(_ html: String = "") {
        madeText = html
        count = html.utf8.count
    }

    /// A page with no shared formulas, read back from the page memo as its UTF-8 bytes, which are
    /// neither validated nor made a string on the way to its file: made a string, a typeset page's
    /// 38 KB of mixed Chinese, English and KaTeX's HTML took 264,000 instructions to validate (a
    /// full rebuild reads back every page: 264 of its 957 M instructions at 500 pages per language).
    /// The page memo wrote them from a string, and its file is read only while it is the very file
    /// it wrote (``KeptHTML``); were they not UTF-8, ``text`` would replace what is not.
    /// The NUL goes in place when `bytes` has room for it (``KeptHTML`` reads them so): appended to a
    /// full array, it copied each kept page's 38 KB again (27 M instructions of a full rebuild's 648 M).
    init(utf8 bytes: consuming [UInt8]) {
        count = bytes.count
        bytes.append(0)
        madeText = ""
        keptBytes = bytes
    }

    /// The text's size in bytes.
    var textCount: Int { keptBytes.map { $0.count - 1 } ?? madeText.utf8.count }

    /// Calls `body` with the text's bytes, a NUL after them (not counted), for the `strstr` scans.
    func withTextCString<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let keptBytes { return try keptBytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0.dropLast())) } }
        let count = madeText.utf8.count
        return try madeText.withCString { try body(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: count)) }
    }

    /// The text as ``PageFile`` takes it: the string, or the bytes read back (with their NUL past the pieces).
    var textSource: PageFile.Source { keptBytes.map(PageFile.Source.bytes) ?? .text(madeText) }

    var isEmpty: Bool { count == 0 }

    /// Whether a formula's HTML may be shared rather than copied into the text: the readers that scan
    /// the text for byte strings must find in it what they would find in the joined page. It opens
    /// with `<` and closes with `>` (no ` id="` reaches into or out of it, and `</hN>` only as a
    /// whole tag), and holds neither ` id="` (an anchor) nor `</h` (a heading's end).
    static func canShare(_ html: String) -> Bool {
        var html = html
        return html.withUTF8 { bytes in
            guard bytes.first == UInt8(ascii: "<"), bytes.last == UInt8(ascii: ">") else { return false }
            return bytes.firstOffset(of: " id=\"") == nil && bytes.firstOffset(of: "</h") == nil
        }
    }

    mutating func append<S: StringProtocol>(_ html: S) {
        if keptBytes != nil {
            let bytes = textCount
            madeText = text
            keptBytes = nil
            count += madeText.utf8.count - bytes // what was not UTF-8, replaced
        }
        madeText.append(contentsOf: html)
        count += html.utf8.count
    }

    /// Adds a formula to share (``canShare(_:)``); returns its number for ``place(_:)``.
    mutating func share(_ html: String, facts: FormulaFacts? = nil) -> Int {
        let start = shared.utf8.count
        shared.append(html)
        formulas.append(start..<shared.utf8.count)
        formulaFacts.append(facts)
        return formulas.count - 1
    }

    /// Shared formula `formula`'s HTML.
    func formula(_ formula: Int) -> String {
        let utf8 = shared.utf8, range = formulas[formula]
        return String(shared[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
    }

    /// Puts shared formula `formula` here, after the text so far.
    mutating func place(_ formula: Int) {
        placements.append(Placement(at: textCount, formula: formula))
        count += formulas[formula].count
    }

    mutating func reserveCapacity(_ bytes: Int) { madeText.reserveCapacity(bytes) }

    /// Whether a byte range of ``text`` has a formula's place strictly inside it: bytes found
    /// together there are not together in the page.
    func crossesPlacement(_ range: Range<Int>) -> Bool {
        // The first placement past the range's start.
        var low = 0, high = placements.count
        while low < high {
            let mid = (low + high) / 2
            if placements[mid].at <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        return low < placements.count && placements[low].at < range.upperBound
    }

    /// The page in slices, in order: `(source, byte range)`, source 0 the text and 1 ``shared``.
    func forEachSlice(_ body: (_ source: Int, _ range: Range<Int>) -> Void) {
        var copied = 0
        for placement in placements {
            if placement.at > copied { body(0, copied..<placement.at) }
            body(1, formulas[placement.formula])
            copied = placement.at
        }
        let end = textCount
        if end > copied || placements.isEmpty { body(0, copied..<end) }
    }

    /// The page as one string, of its final size.
    var joined: String {
        guard !placements.isEmpty else { return text }
        let sources = [text, shared]
        var out = ""
        out.reserveCapacity(count)
        forEachSlice { source, range in
            let utf8 = sources[source].utf8
            // Slices start and end at characters (a formula's place is between them).
            out.append(contentsOf: sources[source][utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
        }
        return out
    }

    /// Where each placed formula stands in the joined page, and which one it is (for a reading of ``joined``).
    var placedFormulas: [PlacedFormula] {
        var shift = 0
        return placements.map { placement in
            let size = formulas[placement.formula].count
            defer { shift += size }
            return PlacedFormula(range: (placement.at + shift)..<(placement.at + shift + size), kind: placement.formula)
        }
    }

    /// Kept (page memo, `serve` session) as the joined page: a page read back has no shared formulas.
    init(from decoder: Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(joined)
    }
}

/// A page reflects as what it holds, however its text is kept (a string, or bytes read back): the
/// page memo's tests compare pages read two ways field by field, through their mirrors.
extension TypesetHTML: CustomReflectable {
    var customMirror: Mirror {
        Mirror(self, children: ["text": text, "shared": shared, "formulas": formulas, "placements": placements,
                                "formulaFacts": formulaFacts, "count": count], displayStyle: .struct)
    }
}
