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

    /// A path's parts are its bytes split at `/`, empty ones left out or kept, as the standard
    /// library's `split` gives them (a `/` before a combining mark cut too).
    func testPartsAreTheBytesSplitAtSlashes() {
        for path in ["", "/", "a", "a/b", "/a//b/", "a//b.md", "./a/../b", "en/\u{301}x/index.html", "焦点/a", "//"] {
            for keepingEmpty in [false, true] {
                let expected = Array(path.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: !keepingEmpty)
                    .map { String(decoding: $0, as: UTF8.self) }
                XCTAssertEqual(SitePath.parts(path, keepingEmpty: keepingEmpty).map(String.init), expected, "\(path) \(keepingEmpty)")
            }
        }
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
        XCTAssertEqual(LinkResolver.relativeURL(from: source, to: target), "../y/index.html", "up from the folder '\u{301}x' only")
        // Folders equal in characters but not in bytes (NFC against NFD) are different folders on disk.
        let composed = "en/\u{e9}/index.html", decomposed = "en/e\u{301}/a.png"
        XCTAssertEqual(LinkResolver.relativeURL(from: composed, to: decomposed), expectedRelativeURL(from: composed, to: decomposed))
        XCTAssertTrue(LinkResolver.relativeURL(from: composed, to: decomposed).hasPrefix("../"))
    }

    /// A few URLs written out, beside the definition the other tests compare with.
    func testRelativeURLsWrittenOut() {
        XCTAssertEqual(LinkResolver.relativeURL(from: "en/p1/index.html", to: "en/p2/index.html"), "../p2/index.html")
        XCTAssertEqual(LinkResolver.relativeURL(from: "en/p1/index.html", to: "assets/app.css"), "../../assets/app.css")
        XCTAssertEqual(LinkResolver.relativeURL(from: "index.html", to: "index.html"), "index.html")
        XCTAssertEqual(LinkResolver.relativeURL(from: "en/p1/index.html", to: "en/p10/index.html"), "../p10/index.html")
        XCTAssertEqual(LinkResolver.relativeURL(from: "en/index.html", to: "en/a b/x.png"), "a%20b/x.png")
    }

    /// A note's relative link is joined to the note's own folder, cut at its last `/` byte: a note
    /// whose name starts with a combining mark links from its folder, not its folder's parent.
    func testALinkIsResolvedFromTheNotesFolder() {
        let resolver = LinkResolver(pageOutputs: ["en/x/b.md": "en/x/b/index.html", "en/b.md": "en/b/index.html"], assetOutputs: [])
        guard case let .rewritten(url, _) = resolver.resolve("b.md", isImage: false, source: "en/x/\u{301}a.md",
                                                             sourceOutput: "en/x/\u{301}a/index.html") else {
            return XCTFail("the link resolves")
        }
        XCTAssertEqual(url, "../b/index.html", "en/x/b.md, one folder up from en/x/\u{301}a/")
    }

    /// The file a replacement is written to first lies in the replaced file's folder, as its last
    /// `/` byte ends it, whatever character follows.
    func testAReplacementIsWrittenInTheFilesFolder() {
        for path in ["/site/images/\u{301}a.png", "/site/en/p1/index.html", "index.html", "/a/b\u{600}/c"] {
            let temporary = SiteFile.temporaryPath(for: path)
            XCTAssertEqual(SitePath.parent(temporary).map(String.init), SitePath.parent(path).map(String.init), path)
            XCTAssertTrue(temporary.hasSuffix(".lossbook-\(getpid())"))
        }
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

    /// A scheme told by bytes is a scheme as told by characters (the rule it replaced, written
    /// here): an ASCII letter, then letters, digits, `+`, `.` or `-`, up to the first `:`; a
    /// scheme with letters beyond ASCII is told by characters still.
    func testASchemeIsWhatTheCharacterRuleCallsOne() {
        func byCharacters(_ url: String) -> Bool {
            guard let colon = url.firstIndex(of: ":") else { return false }
            let scheme = url[..<colon]
            guard let first = scheme.first, first.isLetter else { return false }
            return scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "." || $0 == "-" }
        }
        let urls = ["https://x.org", "HTTP://x", "mailto:a@b", "svn+ssh://h", "a.b-c:x", "x:", ":x", "1x:y", "a b:c", "a_b:c",
                    "focal.md", "../zh/focal.md#梯度", "focal.md?x=1:2", "#a:b", "注意:x.md", "é:x", "aé:x", "a1:", "@:x", "a/b:c", "",
                    "a:\u{301}x", "é:\u{301}x", "a:\u{301}b:c", "é:\u{301}b:c", "a:é"]
        var schemes = 0
        for url in urls {
            XCTAssertEqual(LinkResolver.hasScheme(url), byCharacters(url), url)
            if byCharacters(url) { schemes += 1 }
        }
        XCTAssertTrue(schemes > 0 && schemes < urls.count, "the list holds schemes and others")
    }

    /// A link's path and fragment are decoded as Foundation decodes them, and kept as they are
    /// when they do not decode.
    func testPercentDecodingIsFoundations() {
        for text in ["focal.md", "%E6%A2%AF%E5%BA%A6", "a%20b", "100%", "%zz", "梯度", "a%2Fb", "", "%"] {
            XCTAssertEqual(LinkResolver.percentDecoded(text), text.removingPercentEncoding ?? text, text)
        }
    }
}
