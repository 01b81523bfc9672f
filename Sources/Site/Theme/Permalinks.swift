/// Heading permalinks: every `<h2 id>`, `<h3 id>`, `<h4 id>` of a page gets a real link to itself,
/// reachable by keyboard and copyable, after its text. (A byte scan: pages carry large SVGs. Only
/// `<` bytes are looked at, found with `memchr`; the headings are found first, then the page is
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
        var html = html
        let headings = html.withUTF8 { closingTags(in: $0) }
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

    /// Each heading's closing tag (`</hN>`, where its link goes) and its id, in page order.
    private static func closingTags(in bytes: UnsafeBufferPointer<UInt8>) -> [(close: Int, id: Range<Int>)] {
        var found: [(close: Int, id: Range<Int>)] = []
        var pending: (level: UInt8, id: Range<Int>)?
        var from = 0
        // Nothing but a `<` starts or ends a heading.
        while let i = bytes.firstIndex(of: UInt8(ascii: "<"), from: from) {
            if let heading = pending, i + 4 < bytes.count, bytes[i + 1] == UInt8(ascii: "/"),
               bytes[i + 2] == UInt8(ascii: "h"), bytes[i + 3] == heading.level, bytes[i + 4] == UInt8(ascii: ">") {
                found.append((i, heading.id))
                pending = nil
            } else if pending == nil, i + 8 < bytes.count, bytes[i + 1] == UInt8(ascii: "h"),
                      (UInt8(ascii: "2")...UInt8(ascii: "4")).contains(bytes[i + 2]), bytes.hasPrefix(" id=\"", at: i + 3) {
                var end = i + 8
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                pending = (bytes[i + 2], (i + 8)..<end)
            }
            from = i + 1
        }
        return found
    }
}
