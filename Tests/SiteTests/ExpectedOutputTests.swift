import Foundation
import XCTest
import _TestSupport
@testable import Site

/// The `basic` fixture site built and compared file by file with its `expected/` tree (as mdBook's
/// and zola's site tests do): a missing, extra or different file fails with the first differing
/// line. Copied assets (KaTeX's stylesheet and fonts, the theme's CSS and scripts) are left out;
/// they are the theme's and Debian's files, not output.
///
/// After an intended change of output, record the tree again and read the diff before committing:
///
///     LOSSBOOK_RECORD=1 swift test --filter ExpectedOutputTests
final class ExpectedOutputTests: XCTestCase {
    static let expected = TestRepository.root.appendingPathComponent("Tests/SiteTests/Fixtures/basic-expected")

    static func compared(_ snapshot: [String: Data]) -> [String: Data] {
        snapshot.filter { !$0.key.hasPrefix("assets/") }
    }

    func testTheBasicSiteBuildsToItsExpectedTree() async throws {
        let site = try SiteFixture("basic")
        defer { site.remove() }
        try await site.build()
        let built = Self.compared(try site.snapshot())

        if ProcessInfo.processInfo.environment["LOSSBOOK_RECORD"] == "1" {
            try? FileManager.default.removeItem(at: Self.expected)
            for (path, data) in built {
                let url = Self.expected.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            return
        }

        var expected: [String: Data] = [:]
        let base = Self.expected.path
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: base), "no expected tree at \(base)")
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { expected[path] = FileManager.default.contents(atPath: base + "/" + path) }
        }
        XCTAssertFalse(expected.isEmpty, "the expected tree is empty: record it with LOSSBOOK_RECORD=1")
        XCTAssertEqual(Set(built.keys).subtracting(expected.keys).sorted(), [], "files built but not expected")
        XCTAssertEqual(Set(expected.keys).subtracting(built.keys).sorted(), [], "files expected but not built")
        for (path, want) in expected.sorted(by: { $0.key < $1.key }) {
            guard let got = built[path], got != want else { continue }
            XCTFail("\(path) differs from the expected tree:\n" + Self.firstDifference(String(decoding: want, as: UTF8.self),
                                                                                        String(decoding: got, as: UTF8.self)))
        }
    }

    /// The first differing line of two texts, with its number and a line of context before it.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) where i >= a.count || i >= b.count || a[i] != b[i] {
            let before = i > 0 && i - 1 < a.count ? "  \(i): \(a[i - 1].prefix(200))\n" : ""
            return before
                + "- \(i + 1): \(i < a.count ? String(a[i].prefix(300)) : "(end of file)")\n"
                + "+ \(i + 1): \(i < b.count ? String(b[i].prefix(300)) : "(end of file)")"
        }
        return "(no line differs)"
    }

    func testFirstDifferenceNamesTheLine() {
        XCTAssertEqual(Self.firstDifference("a\nb\nc", "a\nB\nc"), "  1: a\n- 2: b\n+ 2: B")
        XCTAssertEqual(Self.firstDifference("a", "a\nb"), "  1: a\n- 2: (end of file)\n+ 2: b")
    }
}
