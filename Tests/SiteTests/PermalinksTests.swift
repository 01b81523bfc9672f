import XCTest
@testable import Site

/// ``Permalinks`` finds the headings with `strstr` (``UnsafeBufferPointer/cStringOffset(of:from:)``);
/// what it writes is what reading the page `<` by `<` writes (``permalinkedByEveryTag``, the scan
/// as it was before), on pages made to trip a jump from one ` id="` to the next.
final class PermalinksTests: XCTestCase {
    /// The links put in by looking at every `<`: an `<h2 id="`, `<h3 id="` or `<h4 id="` opens a
    /// heading, the next `</hN>` of its level closes it and gets the link.
    func permalinkedByEveryTag(_ html: String, label: String) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        var pending: (level: UInt8, id: [UInt8])?
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<") {
                if let heading = pending, Array(bytes[i...].prefix(5)) == Array("</h".utf8) + [heading.level, UInt8(ascii: ">")], i + 4 < bytes.count {
                    out += Array("<a class=\"permalink\" href=\"#".utf8) + heading.id + Array("\" aria-label=\"\(escapeHTML(label))\">#</a>".utf8)
                    pending = nil
                } else if pending == nil, i + 8 < bytes.count, bytes[i + 1] == UInt8(ascii: "h"), (UInt8(ascii: "2")...UInt8(ascii: "4")).contains(bytes[i + 2]),
                          Array(bytes[(i + 3)..<(i + 8)]) == Array(" id=\"".utf8) {
                    pending = (bytes[i + 2], Array(bytes[(i + 8)...].prefix { $0 != UInt8(ascii: "\"") }))
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    func testHeadingsFoundByJumpsAreThoseFoundTagByTag() {
        let pages = [
            "<h2 id=\"a\">A &amp; B</h2>\n<p>x ü</p>\n<h3 id=\"定义\">定义</h3>\n<h1>top</h1>\n<h4 id=\"d\">d</h4><p>end</p>\n",
            // Another element's id right before a heading's; ids of h1, h5 and of a closing tag.
            "<p id=\"p\"><h2 id=\"x\">X</h2></p><h1 id=\"one\">1</h1><h5 id=\"five\">5</h5></h2 id=\"c\">",
            // A heading inside an open heading is not one; the first heading's own `</hN>` closes it.
            "<h2 id=\"outer\">O <h3 id=\"inner\">I</h3> still</h2><h3 id=\"next\">N</h3>",
            // A `</h3>` does not close an `<h2>`; an unclosed heading at the end gets no link.
            "<h2 id=\"two\">T</h3> text</h2><h4 id=\"open\">never closed",
            // NUL bytes before, inside and after headings: the search goes on past each.
            "\u{0}<h2 id=\"n\u{0}ul\">a\u{0}b</h2>\u{0}\u{0}<h3 id=\"after\">c</h3>\u{0}",
            // Ids at the very start and at the very end; a tag cut off there.
            " id=\"start\"><h2 id=\"s\">S</h2><h2 id=\"",
            "<h2 id=\"s\">S</h2><h3 id=\"x\">", "<h3 id=\"x\">y</h3", "",
        ]
        for page in pages {
            XCTAssertEqual(Permalinks.add(to: page, label: "Link to \"here\""), permalinkedByEveryTag(page, label: "Link to \"here\""), page.debugDescription)
        }
    }

    /// The `strstr` search finds what the `memchr` one (``UnsafeBufferPointer/firstOffset(of:from:)``)
    /// finds, from every start, NUL bytes in the text included.
    func testCStringOffsetIsFirstOffsetPastNULs() {
        let texts = ["- -- -> --->", "aaab", "abab", "\u{0}ab\u{0}\u{0}a\u{0}b ab", "文中<h2 id=\"x\">", "ab\u{0}", "\u{0}", "", "</h2></h2"]
        for text in texts {
            let count = text.utf8.count
            text.withCString { base in
                let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(base).assumingMemoryBound(to: UInt8.self), count: count)
                for from in 0...count {
                    XCTAssertEqual(bytes.cStringOffset(of: "ab", from: from), bytes.firstOffset(of: "ab", from: from), "\(text.debugDescription) from \(from)")
                    XCTAssertEqual(bytes.cStringOffset(of: "-->", from: from), bytes.firstOffset(of: "-->", from: from), "\(text.debugDescription) from \(from)")
                    XCTAssertEqual(bytes.cStringOffset(of: "</h2>", from: from), bytes.firstOffset(of: "</h2>", from: from), "\(text.debugDescription) from \(from)")
                }
            }
        }
    }
}
