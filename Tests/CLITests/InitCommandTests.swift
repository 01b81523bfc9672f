import Foundation
import XCTest
import _TestSupport

/// `lossbook init` and `lossbook new`: a site from nothing, built with the built-in theme and the
/// binary's compiled-in loss sources (no `templates/`, no `Sources/` in its folder).
final class InitCommandTests: XCTestCase {
    let fm = FileManager.default

    func testInitBuildsAtOnceWithTheBuiltInTheme() throws {
        let parent = try TemporaryFolder.make("init")
        defer { TemporaryFolder.remove(parent) }
        let created = try LossbookProcess.run(["init", "notes", "--languages", "zh,en"], directory: parent)
        XCTAssertEqual(created.status, 0, created.stderr)
        let root = parent.appendingPathComponent("notes")
        for file in ["content/lossbook.yaml", "content/zh/index.md", "content/en/index.md", "content/zh/first-note.md", "content/en/first-note.md"] {
            XCTAssertTrue(fm.fileExists(atPath: root.appendingPathComponent(file).path), file)
        }
        XCTAssertFalse(fm.fileExists(atPath: root.appendingPathComponent("templates").path))
        XCTAssertTrue(try String(contentsOf: root.appendingPathComponent("content/en/first-note.md"), encoding: .utf8).contains("source_hash: "))
        let again = try LossbookProcess.run(["init", "notes"], directory: parent)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("error: a site is already here"), again.stderr)

        let built = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        for file in ["index.html", "zh/index.html", "en/index.html", "zh/first-note/index.html", "en/first-note/index.html",
                     "en/reference/index.html", "zh/reference/index.html", "assets/style.css", "sitemap.xml"] {
            XCTAssertTrue(fm.fileExists(atPath: root.appendingPathComponent("site/\(file)").path), file)
        }
        let note = try String(contentsOf: root.appendingPathComponent("site/en/first-note/index.html"), encoding: .utf8)
        XCTAssertTrue(note.contains("<table"), "the executable block became a table")
        XCTAssertFalse(built.stderr.contains("error:"), built.stderr)
        // The catalog prose is compiled in too: a site without content/<lang>/reference/ gets every
        // loss's text (this repository's) and no warning about files it was never asked to write.
        let warnings = built.stderr.split(separator: "\n").filter { $0.contains("warning:") }
        XCTAssertEqual(warnings.count, 1, built.stderr)
        XCTAssertTrue(warnings.allSatisfy { $0.contains("no 'base_url'") }, "only the base_url reminder: \(built.stderr)")
        let repository = LossbookProcess.repository
        for language in ["zh", "en"] {
            let prose = try String(contentsOf: repository.appendingPathComponent("content/\(language)/reference/focal.md"), encoding: .utf8)
            let title = try XCTUnwrap(prose.split(separator: "\n").first { $0.hasPrefix("title:") }).dropFirst("title:".count)
                .trimmingCharacters(in: .whitespaces)
            let page = try String(contentsOf: root.appendingPathComponent("site/\(language)/reference/focal/index.html"), encoding: .utf8)
            XCTAssertTrue(page.contains(title), "the \(language) focal page has its compiled-in title '\(title)'")
        }

        // A templates/ folder replaces the built-in theme file by file.
        try fm.createDirectory(at: root.appendingPathComponent("templates/assets"), withIntermediateDirectories: true)
        try "body { color: teal }\n".write(to: root.appendingPathComponent("templates/assets/style.css"), atomically: true, encoding: .utf8)
        let rebuilt = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("site/assets/style.css"), encoding: .utf8), "body { color: teal }\n")
        XCTAssertTrue(fm.fileExists(atPath: root.appendingPathComponent("site/assets/site.js").path))
    }

    /// The smallest site a writer makes: no reference pages, notes of one paragraph (no heading, so
    /// every table of contents is empty). It builds with the built-in theme.
    func testASiteOfHeadinglessNotesWithoutReferencePagesBuilds() throws {
        let root = TemporaryFolder.path("small")
        defer { TemporaryFolder.remove(root) }
        XCTAssertEqual(try LossbookProcess.run(["init", root.path]).status, 0)
        let config = root.appendingPathComponent("content/lossbook.yaml")
        let yaml = try String(contentsOf: config, encoding: .utf8)
        XCTAssertTrue(yaml.contains("reference_pages: true"), yaml)
        try yaml.replacingOccurrences(of: "reference_pages: true", with: "reference_pages: false").write(to: config, atomically: true, encoding: .utf8)
        for language in ["zh", "en"] {
            for (name, title) in [("index", "Home"), ("first-note", "Plain")] {
                try "---\ntitle: \(title)\n---\n\nOne paragraph and no heading.\n"
                    .write(to: root.appendingPathComponent("content/\(language)/\(name).md"), atomically: true, encoding: .utf8)
            }
        }
        let built = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertFalse(built.stderr.contains("error:"), built.stderr)
        XCTAssertFalse(fm.fileExists(atPath: root.appendingPathComponent("site/en/reference").path))
        let page = try String(contentsOf: root.appendingPathComponent("site/en/first-note/index.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("One paragraph and no heading."), page)
    }

    func testNewCreatesThePageInEveryLanguage() throws {
        let root = TemporaryFolder.path("new")
        defer { TemporaryFolder.remove(root) }
        XCTAssertEqual(try LossbookProcess.run(["init", root.path]).status, 0)
        let made = try LossbookProcess.run(["new", "losses/dice.md"], directory: root)
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(made.stdout, "created content/zh/losses/dice.md\ncreated content/en/losses/dice.md\n")
        let zh = try String(contentsOf: root.appendingPathComponent("content/zh/losses/dice.md"), encoding: .utf8)
        let en = try String(contentsOf: root.appendingPathComponent("content/en/losses/dice.md"), encoding: .utf8)
        XCTAssertTrue(zh.hasPrefix("---\ntitle: "), zh)
        XCTAssertFalse(zh.contains("source_hash"))
        XCTAssertTrue(en.contains("source_hash: "), en)
        let status = try LossbookProcess.run(["translations"], directory: root)
        XCTAssertTrue(status.stdout.contains("current    en  losses/dice.md"), status.stdout)
        let twice = try LossbookProcess.run(["new", "losses/dice.md"], directory: root)
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("the page exists already"), twice.stderr)
    }

    /// `new` refuses a name the build would skip (nothing before `.md`, hidden, a backup) and the
    /// catalog prose folder, writing nothing; a name with a quote or a backslash makes a title
    /// that reads back, so the new pages build.
    func testNewRefusesNamesTheBuildSkipsAndQuotesTheTitle() throws {
        let root = TemporaryFolder.path("new-names")
        defer { TemporaryFolder.remove(root) }
        XCTAssertEqual(try LossbookProcess.run(["init", root.path]).status, 0)
        for (name, message) in [("", "a name the build skips"), ("x.md/", "a name the build skips"), (".hidden.md", "a name the build skips"),
                                ("notes~/x.md", "a name the build skips"), ("reference/mine.md", "holds the catalog prose")] {
            let result = try LossbookProcess.run(["new", name], directory: root)
            XCTAssertEqual(result.status, 1, "'\(name)': \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message) && result.stderr.split(separator: "\n").count == 1, "'\(name)': \(result.stderr)")
        }
        let left = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("content").path).sorted()
        XCTAssertEqual(left, ["en", "en/first-note.md", "en/index.md", "lossbook.yaml", "zh", "zh/first-note.md", "zh/index.md"])
        let quoted = try LossbookProcess.run(["new", "say \"hi\" \\ bye.md"], directory: root)
        XCTAssertEqual(quoted.status, 0, quoted.stderr)
        let built = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        let page = try String(contentsOf: root.appendingPathComponent("site/en/say \"hi\" \\ bye/index.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("Title: say &quot;hi&quot; \\ bye"), page)
    }
}
