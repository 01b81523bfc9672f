import XCTest
@testable import Site

/// The byte searches of `UTF8Search.swift`, and Preflight's version lookup that uses them.
final class UTF8SearchTests: XCTestCase {
    func offset(_ needle: StaticString, in text: String, from: Int = 0) -> Int? {
        var text = text
        return text.withUTF8 { $0.firstOffset(of: needle, from: from) }
    }

    func testFirstOffsetSkipsFalseStartsAndStopsAtTheEnd() {
        XCTAssertEqual(offset("-->", in: "- -- -> --->"), 9)
        XCTAssertEqual(offset("ab", in: "aaab", from: 1), 2)
        XCTAssertEqual(offset("ab", in: "abab", from: 1), 2)
        XCTAssertNil(offset("ab", in: "aaaa"))
        XCTAssertNil(offset("abc", in: "xab"), "a partial match at the end")
        XCTAssertNil(offset("a", in: "abc", from: 3))
        XCTAssertEqual(offset("中", in: "文中"), 3)
        XCTAssertNil(offset("", in: "abc"))
    }

    /// Occurrences left to right, never overlapping, up to the last byte; false starts skipped.
    func testOccurrencesDoNotOverlap() {
        XCTAssertEqual("aaaaa".utf8Occurrences(of: "aa"), [0..<2, 2..<4])
        XCTAssertEqual("xabab abx ab".utf8Occurrences(of: "ab"), [1..<3, 3..<5, 6..<8, 10..<12])
        XCTAssertEqual("a-a-a".utf8Occurrences(of: "a-"), [0..<2, 2..<4])
        XCTAssertEqual("中文中".utf8Occurrences(of: "中"), [0..<3, 6..<9])
        XCTAssertEqual("abc".utf8Occurrences(of: "abcd"), [])
        XCTAssertEqual("".utf8Occurrences(of: "a"), [])
        XCTAssertEqual("x LOSSBOOKFENCELINE y".utf8Replacing("LOSSBOOKFENCELINE", with: "12"), "x 12 y")
    }

    /// Every ` id="…"` of a page and nothing else: not `data-id`, not an unclosed value; an id at
    /// the very start of the text and one right after another are found.
    func testHTMLIDsAreEveryIdAttribute() {
        let html = #" id="first"><h2 id="a">A</h2><span data-id="no" id="">x</span><p id="b" id="c">y</p><div id="open"#
        XCTAssertEqual(htmlIDs(html), ["first", "a", "", "b", "c"])
        XCTAssertEqual(htmlIDs(""), [])
        XCTAssertEqual(htmlIDs(#"<b id="中文">"#), ["中文"])
        XCTAssertEqual(htmlIDs("<a id=\"x\">\u{0}<b id=\"y\">\u{0}"), ["x", "y"], "past a NUL in the page")
        // Many ids, each twice, the last one at the page's end: every one, once.
        let many = (0..<5_000).map { "eq-\($0)" }
        XCTAssertEqual(htmlIDs((many + many).map { "<a id=\"\($0)\">" }.joined()), Set(many))
    }

    /// `memmem` (looked up by name) and the search it falls back to find what a byte-by-byte search
    /// finds, on random bytes of a small alphabet (many false starts) and at the edges.
    func testByteSearchesAgreeWithComparingEveryPlace() throws {
        XCTAssertNotNil(ByteSearch.memmem, "glibc's memmem is found")
        func naive(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
            guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
            return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
        }
        var generator = SystemRandomNumberGenerator()
        var cases: [([UInt8], [UInt8])] = [([], [1]), ([1], []), ([1, 2], [1, 2, 3]), ([1, 2, 3], [1, 2, 3]), ([0, 0, 1], [0, 1]),
                                          ([1, 2, 1, 2, 3], [1, 2, 3]), ([2, 2, 2, 1], [1])]
        for _ in 0..<2_000 {
            let haystack = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0..<3, using: &generator) }
            let needle = (0..<Int.random(in: 1..<5, using: &generator)).map { _ in UInt8.random(in: 0..<3, using: &generator) }
            cases.append((haystack, needle))
        }
        for (haystack, needle) in cases {
            let expected = naive(haystack, needle)
            haystack.withUnsafeBytes { h in
                needle.withUnsafeBytes { n in
                    // A haystack's bytes past its count are not read: here they would match.
                    guard let hay = h.baseAddress ?? UnsafeRawPointer(bitPattern: 1), let pin = n.baseAddress ?? UnsafeRawPointer(bitPattern: 1) else { return }
                    for search in [findBytes, findBytesByFirstByte] {
                        let found = search(hay, h.count, pin, n.count).map { hay.distance(to: $0) }
                        XCTAssertEqual(found, expected, "\(needle) in \(haystack)")
                    }
                }
            }
        }
    }

    func testVersionAfterTheFirstMarkerFound() {
        let script = String(repeating: "version(x) ", count: 1000) + #"var a={version:"0.16.9",x:1}"#
        XCTAssertEqual(Preflight.version(in: script, after: ["version = \"", "version:\""]), "0.16.9")
        XCTAssertEqual(Preflight.version(in: #"{"version": "11.9.0"}"#, after: [#""version": ""#]), "11.9.0")
        XCTAssertEqual(Preflight.version(in: #"version:"unterminated"#, after: ["version:\""]), "unterminated")
        XCTAssertEqual(Preflight.version(in: #"x version:""#, after: ["version:\""]), "")
        XCTAssertNil(Preflight.version(in: "no marker", after: ["version:\""]))
    }

    /// ``holdsBytes(_:_:at:)`` answers as comparing the slice does: every offset of a buffer
    /// (and past it, and before it), bytes of every length up to past its end, empty buffers.
    func testHoldsBytesIsTheSliceCompared() {
        let buffer = Array("abcabcab".utf8)
        var held = 0
        for offset in -1...(buffer.count + 1) {
            for length in 0...(buffer.count + 1) {
                for source in [buffer, Array("xbc".utf8)] where length <= source.count {
                    let bytes = Array(source.prefix(length))
                    let expected = offset >= 0 && offset + length <= buffer.count && Array(buffer[offset..<offset + length]) == bytes
                    let answer = buffer.withUnsafeBytes { whole in bytes.withUnsafeBytes { holdsBytes(whole, $0, at: offset) } }
                    XCTAssertEqual(answer, expected, "\(bytes) at \(offset)")
                    if answer { held += 1 }
                }
            }
        }
        XCTAssertGreaterThan(held, buffer.count)
        XCTAssertTrue([UInt8]().withUnsafeBytes { empty in [UInt8]().withUnsafeBytes { holdsBytes(empty, $0, at: 0) } })
    }

    /// A site path's folders are cut at its `/` bytes (``SitePath``), a `/` before a combining mark
    /// too (one character with it, which a search by characters passes over): each parent and the
    /// names along the path against the bytes split by hand.
    func testASitePathIsCutAtItsSlashBytes() {
        for path in ["en/p1/index.html", "index.html", "en/\u{301}x/index.html", "zh/焦点/a/\u{301}/b.html", "/a//b/"] {
            let bytes = Array(path.utf8)
            let slashes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "/") }
            var parents: [String] = [], folder = Substring(path)
            while let parent = SitePath.parent(folder) { parents.append(String(parent)); folder = parent }
            XCTAssertEqual(parents, slashes.reversed().map { String(decoding: bytes[..<$0], as: UTF8.self) }, path.debugDescription)
            XCTAssertEqual(SitePath.parts(path).map(String.init),
                           bytes.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }, path.debugDescription)
        }
        XCTAssertEqual(SitePath.parent("en/\u{301}x/index.html").map(String.init), "en/\u{301}x")
        XCTAssertEqual(SitePath.parent(SitePath.parent("en/\u{301}x/index.html")!).map(String.init), "en")
    }

    /// Paths compared as the file system does: byte for byte. Inside means past the folder's
    /// bytes and a `/`; the expectations are those byte rules applied by hand.
    func testPathsAreComparedByTheirBytes() {
        // `hasPrefix(folder + "/")`, as the checks said it, on bytes.
        func inside(_ path: String, _ folder: String) -> Bool {
            let p = Array(path.utf8), f = Array(folder.utf8)
            if f == [UInt8(ascii: "/")] { return p != f }
            return Array(p.prefix(f.count + 1)) == f + [UInt8(ascii: "/")]
        }
        let paths = ["/", "/a", "/a/b", "/a/bc", "/a/b/c", "/a/b/", "/a/b/\u{301}x", "/a/\u{e9}", "/a/e\u{301}", "/a/e\u{301}/x",
                     "/a/\u{e9}/x", "/\u{301}"]
        var insides = 0
        for path in paths {
            for folder in paths {
                XCTAssertEqual(PathBytes.isInside(path, folder), inside(path, folder), "\(path) in \(folder)")
                XCTAssertEqual(PathBytes.equal(path, folder), Array(path.utf8) == Array(folder.utf8))
                if inside(path, folder) { insides += 1 }
            }
        }
        XCTAssertGreaterThan(insides, 15)
        // What characters got wrong, named:
        XCTAssertTrue(PathBytes.isInside("/a/b/\u{301}x", "/a/b"), "a name starting with a combining mark")
        XCTAssertFalse(PathBytes.isInside("/a/e\u{301}/x", "/a/\u{e9}"), "an NFD name is another folder than its NFC one")
        XCTAssertFalse(PathBytes.equal("/a/\u{e9}", "/a/e\u{301}"))
        XCTAssertTrue(SourceFiles.isInside("/a/b/\u{301}x", "/a/b"))
        XCTAssertFalse(SourceFiles.isInside("/a/e\u{301}/x", "/a/\u{e9}"))
    }

    /// A hidden file or an editor's leftover is told by its name's first and last bytes.
    func testIgnoredNamesAreToldByTheirBytes() {
        for name in [".x.md", ".x.md.swp", ".#x.md", "x.md~", "#x.md#", ".\u{301}x.md"] {
            XCTAssertTrue(ContentTree.isIgnored(name), name)
        }
        for name in ["x.md", "#", "a#b.md", "x~.md", "", "x.md~\u{301}", "\u{301}.x.md"] {
            XCTAssertFalse(ContentTree.isIgnored(name), name)
        }
    }

    /// A path inside the current folder is shown relative to it, cut at the folder's bytes.
    func testADisplayPathIsCutAtTheCurrentFoldersBytes() {
        let cwd = FileManager.default.currentDirectoryPath
        for name in ["a.md", "content/en/a.md", "\u{301}x/a.md"] {
            XCTAssertEqual(SiteBuilder.displayPath(URL(fileURLWithPath: cwd + "/" + name)), name)
        }
        XCTAssertEqual(SiteBuilder.displayPath(URL(fileURLWithPath: "/")), "/")
    }
}
