/// Heading permalinks: every `<h2 id>`, `<h3 id>`, `<h4 id>` of a page gets a real link to itself,
/// reachable by keyboard and copyable, after its text. (A byte scan: pages carry large SVGs.)
enum Permalinks {
    static func add(to html: String, label: String) -> String {
        let bytes = Array(html.utf8)
        let label = Array(escapeHTML(label).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4096)
        let open = Array("<h".utf8), idAttribute = Array(" id=\"".utf8)
        var i = 0
        var pending: (level: UInt8, id: ArraySlice<UInt8>)?
        while i < bytes.count {
            if let heading = pending, bytes[i] == UInt8(ascii: "<"), i + 4 < bytes.count, bytes[i + 1] == UInt8(ascii: "/"),
               bytes[i + 2] == UInt8(ascii: "h"), bytes[i + 3] == heading.level, bytes[i + 4] == UInt8(ascii: ">") {
                out += Array("<a class=\"permalink\" href=\"#".utf8) + heading.id + Array("\" aria-label=\"".utf8) + label + Array("\">#</a>".utf8)
                pending = nil
            } else if pending == nil, bytes[i] == open[0], i + 8 < bytes.count, bytes[i + 1] == open[1],
                      (UInt8(ascii: "2")...UInt8(ascii: "4")).contains(bytes[i + 2]), bytes[(i + 3)..<(i + 8)].elementsEqual(idAttribute) {
                var end = i + 8
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                pending = (bytes[i + 2], bytes[(i + 8)..<end])
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
