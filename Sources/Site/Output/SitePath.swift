/// A site-relative path (`en/p1/index.html`) cut at its `/` bytes: every stage that finds a file's
/// folders finds the same ones. (Cut by characters, a `/` followed by a combining mark is one
/// character with it, passed over; and the search by characters was half of the output collision
/// check of 8,000 paths.)
enum SitePath {
    /// The folder holding `path` (`en/p1` for `en/p1/index.html`); nil for a path at the site's root.
    static func parent(_ path: Substring) -> Substring? {
        path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path[..<$0] }
    }

    static func parent(_ path: String) -> Substring? { parent(Substring(path)) }

    /// The names along `path`, empty ones left out.
    static func parts(_ path: String) -> [Substring] {
        path.utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
    }
}
