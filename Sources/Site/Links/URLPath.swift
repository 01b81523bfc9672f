import Foundation

/// A site path as it goes into a URL: every byte outside RFC 3986's path characters is
/// percent-encoded (a space, `#`, `?`, `%`, `'`, letters beyond ASCII), so a note named
/// `my note #1.md` links to its page rather than to a fragment of another page, and `sitemap.xml`
/// lists valid URLs. Paths of ASCII letters, digits, `-`, `_`, `.` and `/` come back unchanged,
/// as most sites' paths are, without Foundation's encoder being asked.
enum URLPath {
    static func encode(_ path: some StringProtocol) -> String {
        guard path.utf8.contains(where: { $0 >= 0x80 || !allowedASCII[Int($0)] }) else { return String(path) }
        return String(path).addingPercentEncoding(withAllowedCharacters: allowed) ?? String(path)
    }

    /// RFC 3986's unreserved characters, its sub-delimiters but `'` (so a URL may stand in a
    /// single-quoted attribute), `:`, `@` and the segments' `/`.
    private static let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&()*+,;=:@/")
    private static let allowedASCII: [Bool] = (0..<128).map { allowed.contains(Unicode.Scalar(UInt8($0))) }
}
