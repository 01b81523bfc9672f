/// Heading permalinks: every `<h2 id>`, `<h3 id>`, `<h4 id>` of a page gets a real link to itself,
/// reachable by keyboard and copyable, after its text. (A byte scan: pages carry large SVGs and
/// formulas. The headings' tags are found with `strstr`, first, then the page is
/// written once into the result with the links inserted, so no third copy of it is built.)
enum Permalinks {
    static func add(to html: String, label: String) -> String {
        add(to: html, label: label, between: "", and: "")
    }

    /// The page with its permalinks, between `prefix` and `suffix` (the page template's output
    /// before and after the page, ``Theme/renderPage(_:html:permalinkLabel:)``), written once
    /// into a string of the final size: a big page is then held twice at most, as its HTML and
    /// as its output file, never also as a permalinked copy or a template output grown by doubling.
    /// The result is built from slices of strings that are valid already, so its bytes are copied
    /// and never validated again as UTF-8 (a string made from raw bytes is: 1 % of a full rebuild).
    static func add(to html: String, label: String, between prefix: Substring, and suffix: Substring) -> String {
        let count = html.utf8.count
        let headings = html.withCString { closingTags(in: UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: count)) }
        guard !headings.isEmpty || !prefix.isEmpty || !suffix.isEmpty else { return html }
        let label = escapeHTML(label)
        let open = "<a class=\"permalink\" href=\"#", middle = "\" aria-label=\"", close = "\">#</a>"
        let fixed = open.utf8.count + middle.utf8.count + label.utf8.count + close.utf8.count
        // Offsets found in the bytes are at `<`, `"` or `>`: always the start of a character.
        let utf8 = html.utf8
        func at(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        var out = ""
        out.reserveCapacity(prefix.utf8.count + utf8.count + headings.reduce(0) { $0 + fixed + $1.id.count } + suffix.utf8.count)
        out.append(contentsOf: prefix)
        var copied = 0
        for heading in headings {
            out.append(contentsOf: html[at(copied)..<at(heading.close)])
            out.append(open)
            out.append(contentsOf: html[at(heading.id.lowerBound)..<at(heading.id.upperBound)])
            out.append(middle)
            out.append(label)
            out.append(close)
            copied = heading.close
        }
        out.append(contentsOf: html[at(copied)...])
        out.append(contentsOf: suffix)
        return out
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
