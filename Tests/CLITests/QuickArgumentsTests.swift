import ArgumentParser
import Foundation
import XCTest
@testable import LossbookCLI

/// ``QuickArguments`` reads a build's usual command lines as ArgumentParser reads them, and leaves
/// every other one to it.
final class QuickArgumentsTests: XCTestCase {
    /// What ArgumentParser makes of a command line: `build`'s arguments, or nil for another command
    /// or a mistake.
    private func parsed(_ arguments: [String]) -> BuildArguments? {
        (try? Lossbook.parseAsRoot(arguments) as? BuildCommand)?.arguments
    }

    func testReadsWhatArgumentParserReads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quick-arguments-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Folders that exist (`--templates`, `--sources` and `--reference-sources` must), and values
        // that look like other things: a subcommand, `=`, spaces, Chinese, a default.
        let values = [folder.path, folder.path + "/", "build", "a=b", "out put", "网站", "site", "content", ".cache/lossbook"]
        let folderOptions = ["--templates", "--sources", "--reference-sources"]
        let otherOptions = ["--content", "--output", "--cache-dir"]
        let flags = [["-q", "--quiet"], ["-v", "--verbose"], ["--strict"], ["--drafts"], ["--no-cache"]]
        // Random lines; a failure names the line.
        var random = SystemRandomNumberGenerator()
        var lines: [[String]] = [[], ["build"]]
        for _ in 0..<150 {
            var parts: [[String]] = []
            for spellings in flags where Bool.random(using: &random) { parts.append([spellings.randomElement(using: &random)!]) }
            for option in folderOptions where Bool.random(using: &random) { parts.append([option, folder.path]) }
            for option in otherOptions where Bool.random(using: &random) { parts.append([option, values.randomElement(using: &random)!]) }
            if Bool.random(using: &random) { parts.append(["--format", Bool.random(using: &random) ? "json" : "text"]) }
            lines.append(["build"] + parts.shuffled(using: &random).flatMap { $0 })
        }
        var read = 0
        for line in lines {
            let quick = QuickArguments.build(line)
            XCTAssertNotNil(quick, "\(line)")
            XCTAssertEqual(quick, parsed(line), "\(line)")
            if quick != nil, quick != BuildArguments() { read += 1 }
        }
        XCTAssertGreaterThan(read, 130, "most lines set something")
    }

    func testLeavesTheRestToArgumentParser() {
        let lines: [[String]] = [
            ["build", "--quiet", "--quiet"], ["build", "-q", "--quiet"], ["build", "-qv"],
            ["build", "--output=site"], ["build", "--output"], ["build", "--output", "--quiet"], ["build", "--output", ""],
            ["build", "--help"], ["build", "-h"], ["--help"], ["--version"], ["--quiet"],
            ["build", "--fix"], ["build", "--base-url", "https://example.org/"], ["build", "--format", "yaml"],
            ["check"], ["serve"], ["new", "x"], ["build", "--"], ["build", "extra"], ["build", "--no-such-flag"],
            ["build", "--templates", "/nonexistent/templates"], ["build", "--sources", "/nonexistent/sources"],
        ]
        for line in lines { XCTAssertNil(QuickArguments.build(line), "\(line)") }
    }
}
