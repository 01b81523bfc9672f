/// A site path as it goes into a URL: every byte outside RFC 3986's path characters is
/// percent-encoded (a space, `#`, `?`, `%`, `'`, letters beyond ASCII), so a note named
/// `my note #1.md` links to its page rather than to a fragment of another page, and `sitemap.xml`
/// lists valid URLs. Paths of ASCII letters, digits, `-`, `_`, `.` and `/` come back unchanged,
/// as most sites' paths are.
enum URLPath {
    static func encode(_ path: some StringProtocol) -> String {
        let utf8 = path.utf8
        guard utf8.contains(where: { !allowed($0) }) else { return String(path) }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if allowed(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 3986's unreserved characters, its sub-delimiters but `'` (so a URL may stand in a
    /// single-quoted attribute), `:`, `@` and the segments' `/`.
    private static func allowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~!$&()*+,;=:@/".utf8.contains(byte)
        }
    }
}
