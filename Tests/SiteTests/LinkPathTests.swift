import XCTest
@testable import Site

/// `LinkResolver`'s path arithmetic: a link's URL relative to the linking page, and a relative
/// link joined to the linking note's folder. Both cut paths at their `/` bytes (``SitePath``).
final class LinkPathTests: XCTestCase {
    /// The URL as the path arithmetic defines it, written plainly over the byte-cut parts: climb
    /// from the source's folder to the deepest folder both share, then go down to the target.
    private func expectedRelativeURL(from source: String, to target: String) -> String {
        let cut = { (path: String) in Array(path.utf8).split(separator: UInt8(ascii: "/")).map { Array($0) } }
        let from = Array(cut(source).dropLast()), to = cut(target)
        var common = 0
        while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
        let parts = Array(repeating: Array("..".utf8), count: from.count - common) + to[common...]
        let joined = String(decoding: Array(parts.joined(separator: [UInt8(ascii: "/")])), as: UTF8.self)
        return joined.isEmpty ? "./" : URLPath.encode(joined)
    }

    /// Site paths of every shape a build makes (pages, assets, the root page, a folder of one
    /// language seen from the other), paired every way, give the URL the plain definition gives.
    func testARelativeURLClimbsToTheSharedFolderAndGoesDown() {
        let paths = ["index.html", "en/index.html", "zh/index.html", "en/p1/index.html", "en/p2/index.html",
                     "en/guide/intro/index.html", "en/guide/index.html", "zh/guide/intro/index.html",
                     "en/images/a.png", "en/guide/images/b b.png", "assets/app.css", "en/焦点/index.html",
                     "en/p1/a/index.html", "en/p1", "en/p10/index.html", "en/p/index.html"]
        var seen = Set<String>()
        for source in paths {
            for target in paths {
                let url = LinkResolver.relativeURL(from: source, to: target)
                XCTAssertEqual(url, expectedRelativeURL(from: source, to: target), "\(source) → \(target)")
                seen.insert(url)
            }
        }
        // A premise of the comparison: the pairs climb, descend, stay in place and percent-encode.
        XCTAssertTrue(seen.contains("./") || seen.contains("index.html"))
        XCTAssertTrue(seen.contains { $0.hasPrefix("../../") })
        XCTAssertTrue(seen.contains { $0.contains("%") })
    }

    /// A folder whose name starts with a combining mark is a folder of its own: cut by characters,
    /// the `/` before it and the mark were one character and the two folders one name.
    func testARelativeURLCutsAtSlashBytes() {
        let source = "en/\u{301}x/index.html", target = "en/y/index.html"
        XCTAssertEqual(LinkResolver.relativeURL(from: source, to: target), expectedRelativeURL(from: source, to: target))
        XCTAssertTrue(LinkResolver.relativeURL(from: source, to: target).hasPrefix("../"))
        // Folders equal in characters but not in bytes (NFC against NFD) are different folders on disk.
        let composed = "en/\u{e9}/index.html", decomposed = "en/e\u{301}/a.png"
        XCTAssertEqual(LinkResolver.relativeURL(from: composed, to: decomposed), expectedRelativeURL(from: composed, to: decomposed))
        XCTAssertTrue(LinkResolver.relativeURL(from: composed, to: decomposed).hasPrefix("../"))
    }

    /// `.` stays, `..` climbs one folder, a path climbing out of the root is nil, and a trailing
    /// `/` is kept: compared with the parts stepped through by hand.
    func testALinkIsJoinedToItsFolder() {
        for (directory, relative) in [("zh/guide", "../en/x.md"), ("en", "./a/./b.md"), ("en/a/b", "../../c/"), ("", "x.md"),
                                      ("en", "../../x.md"), ("en", "../"), ("en", "a//b.md"), ("en/\u{301}x", "../y.md"), ("zh", "焦点/../a.md")] {
            var parts = Array(directory.utf8).split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
            var climbedOut = false
            for part in Array(relative.utf8).split(separator: UInt8(ascii: "/")).map({ String(decoding: $0, as: UTF8.self) }) {
                if part == "." { continue }
                if part == ".." { if parts.isEmpty { climbedOut = true; break }; parts.removeLast(); continue }
                parts.append(part)
            }
            let expected = climbedOut ? nil : parts.joined(separator: "/") + (relative.hasSuffix("/") && !parts.isEmpty ? "/" : "")
            XCTAssertEqual(LinkResolver.normalize(directory, relative), expected, "\(directory) + \(relative)")
        }
        XCTAssertNil(LinkResolver.normalize("en", "../../x.md"))
        XCTAssertEqual(LinkResolver.normalize("en/\u{301}x", "../y.md"), "en/y.md")
    }
}
