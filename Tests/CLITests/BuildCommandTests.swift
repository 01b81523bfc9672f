import XCTest

final class BuildCommandTests: XCTestCase {
    /// `--base-url` is held to what `base_url` is: an absolute http(s) address, checked before any work.
    func testBaseURLFlagMustBeAnAbsoluteWebAddress() throws {
        let result = try LossbookProcess.run(["build", "--base-url", "javascript:alert(1)", "--content", "/nonexistent"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--base-url must be an absolute http or https address (such as https://example.org/notes/), not 'javascript:alert(1)'"),
                      result.stderr)
    }

    /// A folder flag naming nothing was ignored: `--templates temlates` built with the built-in theme.
    func testFolderFlagsNamingNoFolderAreRefused() throws {
        let root = try LossbookProcess.basicProject("cli-folders")
        defer { try? FileManager.default.removeItem(at: root) }
        for flag in ["--templates", "--sources", "--reference-sources"] {
            let result = try LossbookProcess.run(["build", flag, "misspelt"], directory: root)
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("Error: \(flag) 'misspelt' is not a folder (leave \(flag) out to use "), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path), "nothing built")
        }
        // A file is not a folder either; a default name stays optional (the built-in theme).
        XCTAssertEqual(try LossbookProcess.run(["build", "--templates", "content/lossbook.yaml"], directory: root).status, 64)
        try FileManager.default.removeItem(at: root.appendingPathComponent("templates"))
        let built = try LossbookProcess.run(["build", "--templates", "templates"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
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
                       "content/en/x.md:5:8: error: broken link: 'nowhere.md' (no file content/en/nowhere.md) "
                       + "(hint: create content/en/nowhere.md, or write the path of an existing file relative to this one)")
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
