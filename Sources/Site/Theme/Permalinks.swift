/// Heading permalinks: every `<h2 id>`, `<h3 id>`, `<h4 id>` of a page gets a real link to itself,
/// reachable by keyboard and copyable, after its text. (A byte scan: pages carry large SVGs and
/// formulas. The headings' tags are found with `strstr`, first, then the page is cut at them
/// into slices with the links between them (``PageFile``), so no copy of it is built to write it.)
enum Permalinks {
    static func add(to html: String, label: String) -> String {
        file(for: TypesetHTML(html), label: label).text
    }

    /// The page with its permalinks, in place of `slot` (byte offsets) in `shell` (the page
    /// template's output with a marker where the page goes, ``Theme/pageFile(_:html:permalinkLabel:)``),
    /// as slices of the page's text and shared formulas (``TypesetHTML``), the shell and the links
    /// (``PageFile``): written one after the other, they are the file, so a big page is never
    /// held whole, neither as its HTML nor as a permalinked copy or a template output grown by
    /// doubling. Joined (``PageFile/text``), the slices are copied from valid strings and never
    /// validated again as UTF-8 (a string made from raw bytes is: 1 % of a full rebuild).
    /// The headings are found in the page's text (``textFile(for:label:in:at:)``); in the joined
    /// page when a heading's tags reach across a formula's place there.
    static func file(for html: TypesetHTML, label: String, in shell: [UInt8] = [], at slot: Range<Int> = 0..<0) -> PageFile {
        textFile(for: html, label: label, in: shell, at: slot) ?? textFile(for: TypesetHTML(html.joined), label: label, in: shell, at: slot)!
    }

    /// ``file(for:label:in:at:)`` with the headings found in the page's text; nil if a heading's
    /// tags reach across a formula's place there (never for a page without shared formulas).
    static func textFile(for html: TypesetHTML, label: String, in shell: [UInt8] = [], at slot: Range<Int> = 0..<0) -> PageFile? {
        let count = html.textCount
        // Each heading's closing tag and its id (ids are short: made strings here, each alone).
        let found = html.withTextCString { bytes in
            closingTags(in: bytes, unless: html.crossesPlacement).map { headings in
                headings.map { (close: $0.close, id: String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.id]), as: UTF8.self)) }
            }
        }
        guard let headings = found else { return nil }
        guard !headings.isEmpty || !shell.isEmpty else { return PageFile(html) }
        let label = escapeHTML(label)
        let open = "<a class=\"permalink\" href=\"#", close = "\" aria-label=\"" + label + "\">#</a>"
        var links = ""
        links.reserveCapacity(headings.reduce(0) { $0 + open.utf8.count + close.utf8.count + $1.id.utf8.count })
        typealias Piece = PageFile.Piece
        // Sources: 0 the page's text, 1 the shell, 2 the links, 3 the shared formulas.
        var pieces = [Piece(source: 1, start: 0, end: slot.lowerBound)]
        pieces.reserveCapacity(2 * headings.count + 2 * html.placements.count + 3)
        var copied = 0, placed = 0
        /// The text up to `offset`, and the formulas placed up to there (those right before a
        /// heading's closing tag come before its link, as they do in the joined page).
        func copy(upTo offset: Int) {
            while placed < html.placements.count, html.placements[placed].at <= offset {
                let placement = html.placements[placed], formula = html.formulas[placement.formula]
                pieces.append(Piece(source: 0, start: copied, end: placement.at))
                pieces.append(Piece(source: 3, start: formula.lowerBound, end: formula.upperBound))
                copied = placement.at
                placed += 1
            }
            pieces.append(Piece(source: 0, start: copied, end: offset))
            copied = offset
        }
        for heading in headings {
            copy(upTo: heading.close)
            let start = links.utf8.count
            links.append(open)
            links.append(heading.id)
            links.append(close)
            pieces.append(Piece(source: 2, start: start, end: links.utf8.count))
        }
        copy(upTo: count)
        pieces.append(Piece(source: 1, start: slot.upperBound, end: shell.count))
        return PageFile(sources: [html.textSource, .bytes(shell), .text(links), .text(html.shared)], pieces: pieces)
    }

    /// Each heading's closing tag (`</hN>`, where its link goes) and its id, in page order (in bytes
    /// followed by a NUL, for ``UnsafeBufferPointer/cStringOffset(of:from:)``).
    /// Only two byte strings matter: ` id="` of an opening tag `<h2 id="` (`<h3`, `<h4`), then
    /// that heading's `</hN>`; `strstr` jumps from one to the next over the page's other tags
    /// (a page of formulas and plots has millions of `<`, and stopping at each was most of this scan).
    /// Nil as soon as a heading's opening tag (from its `<` to its id's closing quote) or closing
    /// tag covers a byte range `crossing` is true of.
    private static func closingTags(in bytes: UnsafeBufferPointer<UInt8>,
                                    unless crossing: (Range<Int>) -> Bool) -> [(close: Int, id: Range<Int>)]? {
        var found: [(close: Int, id: Range<Int>)] = []
        var from = 0
        while let attribute = bytes.cStringOffset(of: " id=\"", from: from + 3) {
            let i = attribute - 3 // the tag's `<`, if this is a heading's id
            guard bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "h"),
                  (UInt8(ascii: "2")...UInt8(ascii: "4")).contains(bytes[i + 2]), i + 8 < bytes.count else {
                from = i + 1
                continue
            }
            var end = i + 8
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
            let level = bytes[i + 2]
            let close: StaticString = level == UInt8(ascii: "2") ? "</h2>" : level == UInt8(ascii: "3") ? "</h3>" : "</h4>"
            guard let closing = bytes.cStringOffset(of: close, from: i + 1) else {
                if crossing(i..<(bytes.count + 1)) { return nil }
                break
            }
            if crossing(i..<(end + 1)) || crossing(closing..<(closing + 5)) { return nil }
            found.append((closing, (i + 8)..<end))
            from = closing + 1
        }
        return found
    }
}
