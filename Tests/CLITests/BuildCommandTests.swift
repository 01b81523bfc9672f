import XCTest

final class BuildCommandTests: XCTestCase {
    /// `--base-url` is held to what `base_url` is: an absolute http(s) address, checked before any work.
    func testBaseURLFlagMustBeAnAbsoluteWebAddress() throws {
        let result = try LossbookProcess.run(["build", "--base-url", "javascript:alert(1)", "--content", "/nonexistent"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--base-url must be an absolute http or https address (such as https://example.org/notes/), not 'javascript:alert(1)'"),
                      result.stderr)
    }

    func testBuildThenBrokenLinkKeepsTheSite() throws {
        let root = try LossbookProcess.basicProject("cli")
        defer { try? FileManager.default.removeItem(at: root) }
        let built = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertTrue(built.stdout.hasPrefix("built 5 pages"), built.stdout)
        let page = root.appendingPathComponent("site/en/focal/index.html")
        let before = try Data(contentsOf: page)

        try "---\ntitle: x\n---\n\n[gone](nowhere.md)\n".write(to: root.appendingPathComponent("content/en/x.md"), atomically: true, encoding: .utf8)
        let failed = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(failed.status, 1)
        XCTAssertEqual(failed.stderr.split(separator: "\n").first.map(String.init),
                       "content/en/x.md:5:8: error: broken link: 'nowhere.md' (no file content/en/nowhere.md)")
        XCTAssertEqual(try Data(contentsOf: page), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("site/en/x").path))

        let checked = try LossbookProcess.run(["check"], directory: root)
        XCTAssertEqual(checked.status, 1)
        XCTAssertTrue(checked.stderr.contains("content/en/x.md:5:8: error: broken link"))
    }

    /// `--verbose` names the versions of Node.js, KaTeX and highlight.js preflight found (issue 11,
    /// item 2); it printed only the stages' times.
    func testVerboseBuildPrintsTheToolVersions() throws {
        let root = try LossbookProcess.basicProject("cli-versions")
        defer { try? FileManager.default.removeItem(at: root) }
        let built = try LossbookProcess.run(["build", "--verbose"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertTrue(built.stdout.split(separator: "\n").contains {
            $0.range(of: #"^  tools: Node\.js v\d+\.\S+, KaTeX \S+, highlight\.js \S+$"#, options: .regularExpression) != nil
        }, built.stdout)
    }

    /// A front matter mistake and a body mistake of one note come in one run, exit 1, site kept.
    func testFrontMatterAndBodyMistakesOfOneNoteAreReportedTogether() throws {
        let root = try LossbookProcess.basicProject("cli-front-matter")
        defer { try? FileManager.default.removeItem(at: root) }
        XCTAssertEqual(try LossbookProcess.run(["build"], directory: root).status, 0)
        let page = root.appendingPathComponent("site/en/focal/index.html")
        let before = try Data(contentsOf: page)
        try "---\ntitle: ~\n---\n\n[gone](nowhere.md)\n".write(to: root.appendingPathComponent("content/en/x.md"), atomically: true, encoding: .utf8)
        let failed = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(failed.status, 1)
        XCTAssertEqual(failed.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.map { $0.components(separatedBy: ": error: ")[0] },
                       ["content/en/x.md:2:8", "content/en/x.md:5:8"], failed.stderr)
        XCTAssertEqual(try Data(contentsOf: page), before)
    }
}
