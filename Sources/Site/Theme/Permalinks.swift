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
    static func add(to html: String, label: String, between prefix: Substring, and suffix: Substring) -> String {
        var html = html, prefix = prefix, suffix = suffix
        let headings = html.withUTF8 { closingTags(in: $0) }
        guard !headings.isEmpty || !prefix.isEmpty || !suffix.isEmpty else { return html }
        return html.withUTF8 { bytes in
            prefix.withUTF8 { before in
                suffix.withUTF8 { after in
                    let label = Array(escapeHTML(label).utf8)
                    let open = Array("<a class=\"permalink\" href=\"#".utf8), middle = Array("\" aria-label=\"".utf8), close = Array("\">#</a>".utf8)
                    let fixed = open.count + middle.count + label.count + close.count
                    let total = before.count + bytes.count + headings.reduce(0) { $0 + fixed + $1.id.count } + after.count
                    // The page's bytes are valid UTF-8 and what goes in is too: the result is written in place.
                    return String(unsafeUninitializedCapacity: total) { out in
                        var written = 0
                        func put(_ part: UnsafeBufferPointer<UInt8>) {
                            guard part.count > 0 else { return }
                            (out.baseAddress! + written).initialize(from: part.baseAddress!, count: part.count)
                            written += part.count
                        }
                        func put(_ part: [UInt8]) { part.withUnsafeBufferPointer { put($0) } }
                        put(before)
                        var copied = 0
                        for heading in headings {
                            put(UnsafeBufferPointer(rebasing: bytes[copied..<heading.close]))
                            put(open)
                            put(UnsafeBufferPointer(rebasing: bytes[heading.id]))
                            put(middle)
                            put(label)
                            put(close)
                            copied = heading.close
                        }
                        put(UnsafeBufferPointer(rebasing: bytes[copied...]))
                        put(after)
                        return written
                    }
                }
            }
        }
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
