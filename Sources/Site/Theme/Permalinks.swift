/// Heading permalinks: every `<h2 id>`, `<h3 id>`, `<h4 id>` of a page gets a real link to itself,
/// reachable by keyboard and copyable, after its text. (A byte scan: pages carry large SVGs. The
/// bytes between two `<` are copied as one run, and the page is read in place, not copied first.)
enum Permalinks {
    static func add(to html: String, label: String) -> String {
        let label = Array(escapeHTML(label).utf8)
        var html = html
        return html.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 4096)
            var i = 0
            var pending: (level: UInt8, id: Range<Int>)?
            while i < bytes.count {
                // Up to the next `<`: nothing else starts or ends a heading.
                var next = i
                while next < bytes.count, bytes[next] != UInt8(ascii: "<") { next += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<next]))
                i = next
                guard i < bytes.count else { break }
                if let heading = pending, i + 4 < bytes.count, bytes[i + 1] == UInt8(ascii: "/"),
                   bytes[i + 2] == UInt8(ascii: "h"), bytes[i + 3] == heading.level, bytes[i + 4] == UInt8(ascii: ">") {
                    out.append(contentsOf: "<a class=\"permalink\" href=\"#".utf8)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[heading.id]))
                    out.append(contentsOf: "\" aria-label=\"".utf8)
                    out.append(contentsOf: label)
                    out.append(contentsOf: "\">#</a>".utf8)
                    pending = nil
                } else if pending == nil, i + 8 < bytes.count, bytes[i + 1] == UInt8(ascii: "h"),
                          (UInt8(ascii: "2")...UInt8(ascii: "4")).contains(bytes[i + 2]), bytes.hasPrefix(" id=\"", at: i + 3) {
                    var end = i + 8
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                    pending = (bytes[i + 2], (i + 8)..<end)
                }
                out.append(bytes[i])
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
