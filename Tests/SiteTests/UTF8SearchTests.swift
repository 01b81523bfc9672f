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

    func testVersionAfterTheFirstMarkerFound() {
        let script = String(repeating: "version(x) ", count: 1000) + #"var a={version:"0.16.9",x:1}"#
        XCTAssertEqual(Preflight.version(in: script, after: ["version = \"", "version:\""]), "0.16.9")
        XCTAssertEqual(Preflight.version(in: #"{"version": "11.9.0"}"#, after: [#""version": ""#]), "11.9.0")
        XCTAssertEqual(Preflight.version(in: #"version:"unterminated"#, after: ["version:\""]), "unterminated")
        XCTAssertEqual(Preflight.version(in: #"x version:""#, after: ["version:\""]), "")
        XCTAssertNil(Preflight.version(in: "no marker", after: ["version:\""]))
    }
}
