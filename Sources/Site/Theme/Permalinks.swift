/// Heading permalinks: every `<h2 id>`, `<h3 id>`, `<h4 id>` of a page gets a real link to itself,
/// reachable by keyboard and copyable, after its text. (A byte scan: pages carry large SVGs and
/// formulas. The headings' tags are found with `strstr`, first, then the page is cut at them
/// into slices with the links between them (``PageFile``), so no copy of it is built to write it.)
enum Permalinks {
    static func add(to html: String, label: String) -> String {
        file(for: html, label: label).text
    }

    /// The page with its permalinks, in place of `slot` (byte offsets) in `shell` (the page
    /// template's output with a marker where the page goes, ``Theme/renderPage(_:html:permalinkLabel:)``),
    /// as slices of the page, the shell and the links (``PageFile``): written one after the other,
    /// they are the file, so a big page is held once, as its HTML, never also as a permalinked
    /// copy or a template output grown by doubling. Joined (``PageFile/text``), the slices are
    /// copied from valid strings and never validated again as UTF-8 (a string made from raw
    /// bytes is: 1 % of a full rebuild).
    static func file(for html: String, label: String, in shell: String = "", at slot: Range<Int> = 0..<0) -> PageFile {
        let count = html.utf8.count
        let headings = html.withCString { closingTags(in: UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: count)) }
        guard !headings.isEmpty || !shell.isEmpty else { return PageFile(html) }
        let label = escapeHTML(label)
        let open = "<a class=\"permalink\" href=\"#", close = "\" aria-label=\"" + label + "\">#</a>"
        // Offsets found in the bytes are at `<`, `"` or `>`: always the start of a character.
        let utf8 = html.utf8
        func at(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        var links = ""
        links.reserveCapacity(headings.reduce(0) { $0 + open.utf8.count + close.utf8.count + $1.id.count })
        typealias Piece = PageFile.Piece
        var pieces = [Piece(source: 1, start: 0, end: slot.lowerBound)]
        pieces.reserveCapacity(2 * headings.count + 3)
        var copied = 0
        for heading in headings {
            pieces.append(Piece(source: 0, start: copied, end: heading.close))
            let start = links.utf8.count
            links.append(open)
            links.append(contentsOf: html[at(heading.id.lowerBound)..<at(heading.id.upperBound)])
            links.append(close)
            pieces.append(Piece(source: 2, start: start, end: links.utf8.count))
            copied = heading.close
        }
        pieces.append(Piece(source: 0, start: copied, end: count))
        pieces.append(Piece(source: 1, start: slot.upperBound, end: shell.utf8.count))
        return PageFile(sources: [html, shell, links], pieces: pieces)
    }

    /// Each heading's closing tag (`</hN>`, where its link goes) and its id, in page order (in bytes
    /// followed by a NUL, for ``UnsafeBufferPointer/cStringOffset(of:from:)``).
    /// Only two byte strings matter: ` id="` of an opening tag `<h2 id="` (`<h3`, `<h4`), then
    /// that heading's `</hN>`; `strstr` jumps from one to the next over the page's other tags
    /// (a page of formulas and plots has millions of `<`, and stopping at each was most of this scan).
    private static func closingTags(in bytes: UnsafeBufferPointer<UInt8>) -> [(close: Int, id: Range<Int>)] {
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
            guard let closing = bytes.cStringOffset(of: close, from: i + 1) else { break }
            found.append((closing, (i + 8)..<end))
            from = closing + 1
        }
        return found
    }
}
