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

    /// The names along `path`, empty ones left out unless `keepingEmpty` (`lossbook new` refuses
    /// `a//b.md`).
    static func parts(_ path: String, keepingEmpty: Bool = false) -> [Substring] {
        var path = path
        let ranges = path.withUTF8 { partRanges($0, keepingEmpty: keepingEmpty) }
        let utf8 = path.utf8
        return ranges.map { range in path[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)] }
    }

    /// Where each of ``parts(_:keepingEmpty:)`` is in `path`'s bytes.
    static func partRanges(_ path: UnsafeBufferPointer<UInt8>, keepingEmpty: Bool = false) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for index in path.indices where path[index] == UInt8(ascii: "/") {
            if keepingEmpty || index > start { ranges.append(start..<index) }
            start = index + 1
        }
        if keepingEmpty || path.count > start { ranges.append(start..<path.count) }
        return ranges
    }
}

/// File system paths compared as the file system compares them, byte for byte: `String`'s `==`
/// and `hasPrefix` compare characters under canonical equivalence, so an NFC and an NFD spelling
/// of one name (two folders on disk) were the same folder, and `/a/b/\u{301}x` (a folder whose name
/// starts with a combining mark) was not inside `/a/b`, whose `/` the mark joins.
enum PathBytes {
    static func equal(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// Whether `path` lies inside `folder`: its bytes start with the folder's and a `/` (everything
    /// but `/` itself is inside `/`).
    static func isInside(_ path: String, _ folder: String) -> Bool {
        if equal(folder, "/") { return !equal(path, "/") }
        let inner = path.utf8, outer = folder.utf8
        guard inner.count > outer.count, inner.starts(with: outer) else { return false }
        return inner[inner.index(inner.startIndex, offsetBy: outer.count)] == UInt8(ascii: "/")
    }
}
