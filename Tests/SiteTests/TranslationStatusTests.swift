import XCTest
@testable import Site

final class TranslationStatusTests: XCTestCase {
    func testStampThenStaleThenNotice() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let translation = fixture.content.appendingPathComponent("en/focal.md").path
        let before = try String(contentsOfFile: translation, encoding: .utf8)

        // Unstamped: listed, but no warning; the zh-only page is a warning.
        var status = try TranslationStatus.load(contentDirectory: fixture.content)
        XCTAssertEqual(status.entries.first { $0.path == "focal.md" }?.state, .unstamped)
        XCTAssertEqual(status.warnings.map(\.message), ["page exists in one language only (no en version)"])

        // Stamping adds exactly one front-matter line.
        let hash = try TranslationStatus.stamp(translation, contentDirectory: fixture.content)
        let after = try String(contentsOfFile: translation, encoding: .utf8)
        XCTAssertEqual(after, before.replacingOccurrences(of: "weight: 20\n", with: "weight: 20\nsource_hash: \(hash)\n"))
        status = try TranslationStatus.load(contentDirectory: fixture.content)
        XCTAssertEqual(status.entries.first { $0.path == "focal.md" }?.state, .current)

        // The source changes: the translation is stale, the build warns and the page says so.
        let source = fixture.content.appendingPathComponent("zh/focal.md")
        try (try String(contentsOf: source, encoding: .utf8) + "\n补充一句。\n").write(to: source, atomically: true, encoding: .utf8)
        let report = try await fixture.build()
        XCTAssertEqual(report.warnings.filter { $0.message.hasPrefix("translation is older") }.map(\.path), [translation])
        XCTAssertTrue(report.warnings.allSatisfy(\.isWarning))
        XCTAssertTrue(report.warnings.first?.description.contains(": warning: ") == true)
        XCTAssertTrue(try fixture.read("en/focal/index.html").contains("may be out of date"))
        XCTAssertFalse(try fixture.read("zh/focal/index.html").contains("class=\"notice\""))
        status = try TranslationStatus.load(contentDirectory: fixture.content)
        XCTAssertTrue(status.isStale(language: "en", path: "focal.md"))
        XCTAssertFalse(status.isStale(language: "zh", path: "focal.md"))
        XCTAssertFalse(status.isStale(language: "en", path: "index.md"))
        status.entries.removeAll { $0.path == "focal.md" }
        XCTAssertFalse(status.isStale(language: "en", path: "focal.md"), "follows its entries")
    }

    /// A CRLF translation (or one with a byte order mark) was stamped as if it had no front matter:
    /// a second one went in front of its own. Its endings, mark and fence blanks are kept now.
    func testStampKeepsLineEndingsByteOrderMarkAndFenceBlanks() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let translation = fixture.content.appendingPathComponent("en/focal.md").path
        let lf = try String(contentsOfFile: translation, encoding: .utf8)
        XCTAssertTrue(lf.hasPrefix("---\n") && lf.contains("weight: 20\n---\n"), "the fixture's front matter")
        for (name, form) in [("CRLF", { (text: String) in text.replacingOccurrences(of: "\n", with: "\r\n") }),
                             ("BOM", { "\u{FEFF}" + $0 }),
                             ("CRLF, BOM and blanks after the fences", { "\u{FEFF}" + $0.replacingOccurrences(of: "---\n", with: "--- \t\n")
                                 .replacingOccurrences(of: "\n", with: "\r\n") })] {
            try form(lf).write(toFile: translation, atomically: true, encoding: .utf8)
            let hash = try TranslationStatus.stamp(translation, contentDirectory: fixture.content)
            let stamped = lf.replacingOccurrences(of: "weight: 20\n", with: "weight: 20\nsource_hash: \(hash)\n")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: translation)), Data(form(stamped).utf8), name)
            let status = try TranslationStatus.load(contentDirectory: fixture.content)
            XCTAssertEqual(status.entries.first { $0.path == "focal.md" && $0.language == "en" }?.state, .current, name)
        }
        // A front matter never closed is said so, and the note left as it is.
        try "---\ntitle: x\n\nbody\n".write(toFile: translation, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TranslationStatus.stamp(translation, contentDirectory: fixture.content))
        XCTAssertEqual(try String(contentsOfFile: translation, encoding: .utf8), "---\ntitle: x\n\nbody\n")
    }

    func testStampRejectsASourcePage() throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        XCTAssertThrowsError(try TranslationStatus.stamp(fixture.content.appendingPathComponent("zh/focal.md").path,
                                                         contentDirectory: fixture.content))
    }
}
