import Foundation
import XCTest

/// `build`/`check` with `--format json`, `--quiet`, `--strict`, `--base-url`, and colour on a terminal.
final class DiagnosticOutputTests: XCTestCase {
    let fm = FileManager.default

    /// The basic fixture with the repository's templates; without `base_url` when `baseURL` is false.
    func makeProject(baseURL: Bool = true) throws -> URL {
        let root = try LossbookProcess.basicProject("diag")
        if !baseURL {
            let config = root.appendingPathComponent("content/lossbook.yaml")
            let text = try String(contentsOf: config, encoding: .utf8)
            try text.split(separator: "\n").filter { !$0.hasPrefix("base_url:") }.joined(separator: "\n")
                .write(to: config, atomically: true, encoding: .utf8)
        }
        return root
    }

    func testJSONDiagnosticsOneObjectPerLine() throws {
        let root = try makeProject()
        defer { try? fm.removeItem(at: root) }
        try "---\ntitle: x\n---\n\n[gone](nowhere.md)\n".write(to: root.appendingPathComponent("content/en/x.md"), atomically: true, encoding: .utf8)
        let checked = try LossbookProcess.run(["check", "--format", "json"], directory: root)
        XCTAssertEqual(checked.status, 1)
        let lines = checked.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, checked.stdout)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(object["file"] as? String, "content/en/x.md")
        XCTAssertEqual(object["line"] as? Int, 5)
        XCTAssertEqual(object["column"] as? Int, 8)
        XCTAssertEqual(object["severity"] as? String, "error")
        XCTAssertEqual(object["stage"] as? String, "links")
        XCTAssertEqual(object["message"] as? String, "broken link: 'nowhere.md' (no file content/en/nowhere.md)")
        XCTAssertEqual(object["hint"] as? String, "create content/en/nowhere.md, or write the path of an existing file relative to this one")
        XCTAssertTrue(checked.stderr.contains("1 error; nothing was written"), checked.stderr)
    }

    func testMissingBaseURLWarnsAndQuietHidesIt() throws {
        let root = try makeProject(baseURL: false)
        defer { try? fm.removeItem(at: root) }
        let built = try LossbookProcess.run(["build"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertTrue(built.stderr.contains("content/lossbook.yaml:1:1: warning: no 'base_url'"), built.stderr)

        let json = try LossbookProcess.run(["check", "--format", "json"], directory: root)
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains("\"severity\":\"warning\""), json.stdout)
        XCTAssertTrue(json.stdout.contains("\"stage\":\"config\""), json.stdout)

        let quiet = try LossbookProcess.run(["build", "--quiet"], directory: root)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stdout, "")
        XCTAssertEqual(quiet.stderr, "")
        // Skipped (nothing changed): the kept warnings are not printed either.
        let skipped = try LossbookProcess.run(["build", "--quiet"], directory: root)
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertEqual(skipped.stdout + skipped.stderr, "")
        let shown = try LossbookProcess.run(["build"], directory: root)
        XCTAssertTrue(shown.stdout.contains("unchanged since the last build"), shown.stdout)
        XCTAssertTrue(shown.stderr.contains("warning:"), shown.stderr)
    }

    func testStrictFailsOnWarningsAndWritesNothing() throws {
        let root = try makeProject(baseURL: false)
        defer { try? fm.removeItem(at: root) }
        let strict = try LossbookProcess.run(["build", "--strict"], directory: root)
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stderr.contains("warning: no 'base_url'"), strict.stderr)
        XCTAssertTrue(strict.stderr.contains("2 warnings (--strict); nothing was written"), strict.stderr)
        XCTAssertFalse(fm.fileExists(atPath: root.appendingPathComponent("site").path))
        let checked = try LossbookProcess.run(["check", "--strict"], directory: root)
        XCTAssertEqual(checked.status, 1)
    }

    func testBaseURLOptionReplacesTheConfiguredOne() throws {
        let root = try makeProject(baseURL: false)
        defer { try? fm.removeItem(at: root) }
        let built = try LossbookProcess.run(["build", "--base-url", "https://preview.example.com/pr-7"], directory: root)
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertFalse(built.stderr.contains("base_url"), built.stderr)
        let sitemap = try String(contentsOf: root.appendingPathComponent("site/sitemap.xml"), encoding: .utf8)
        XCTAssertTrue(sitemap.contains("<loc>https://preview.example.com/pr-7/en/focal/</loc>"), sitemap)
    }

    /// Through a pseudo-terminal (`script`): coloured labels, unless `NO_COLOR` is set; plain into a pipe.
    func testColourOnATerminalOnly() throws {
        guard fm.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no script(1) for a pseudo-terminal") }
        let root = try makeProject(baseURL: false)
        defer { try? fm.removeItem(at: root) }
        func onTerminal(_ environment: String) throws -> String {
            let command = "\(environment) '\(LossbookProcess.executable.path)' check"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
            process.currentDirectoryURL = root
            let output = Pipe()
            process.standardOutput = output
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let coloured = try onTerminal("env -u NO_COLOR TERM=xterm")
        XCTAssertTrue(coloured.contains("\u{1B}[1;35mwarning:\u{1B}[0m no 'base_url'"), coloured)
        let plain = try onTerminal("env NO_COLOR=1 TERM=xterm")
        XCTAssertTrue(plain.contains(": warning: no 'base_url'"), plain)
        XCTAssertFalse(plain.contains("\u{1B}["), plain)
        let piped = try LossbookProcess.run(["check"], directory: root)
        XCTAssertFalse(piped.stderr.contains("\u{1B}["), piped.stderr)
    }

    /// A formula that disagrees with its loss is one short line (probe name and both values);
    /// the probe's whole tensors and the bindings come under it with `--verbose` only.
    func testFormulaDisagreementIsShortAndVerboseShowsTheProbe() throws {
        let root = try makeProject()
        defer { try? fm.removeItem(at: root) }
        let mutated = #"\mathcal{L} = \frac{1}{n}\sum_{i=1}^{n} (x_i - y_i)^3"#
        try "---\ntitle: F\n---\n\n```formula\n\(mutated)\ncheck: l2\nwhere:\n  x_i: input\n  y_i: target\n  n: size i\n```\n"
            .write(to: root.appendingPathComponent("content/en/f.md"), atomically: true, encoding: .utf8)
        let plain = try LossbookProcess.run(["check"], directory: root)
        XCTAssertEqual(plain.status, 1)
        let lines = plain.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, plain.stderr)
        XCTAssertEqual(lines.last, "1 error; nothing was written")
        let line = String(lines[0])
        XCTAssertTrue(line.hasPrefix("content/en/f.md:6:1: error: formula: the formula disagrees with 'l2' on probe "), line)
        XCTAssertTrue(line.contains("Losses computes"), line)
        XCTAssertFalse(line.contains("["), "no tensor on the line: \(line)")
        XCTAssertLessThan(line.count, 300, line)

        let verbose = try LossbookProcess.run(["check", "--verbose"], directory: root)
        XCTAssertEqual(verbose.status, 1)
        let verboseLines = verbose.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(verboseLines.first, line)
        XCTAssertTrue(verboseLines.contains { $0.hasPrefix("    probe ") && $0.contains("input = [") }, verbose.stderr)
        XCTAssertTrue(verboseLines.contains { $0.hasPrefix("    bound: ") && $0.contains("size i") }, verbose.stderr)
    }
}
