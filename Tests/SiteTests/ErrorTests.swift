import XCTest
import Losses
import _TestSupport
@testable import Site

/// Each user mistake gives one `path:line:col: error:` and leaves the previous site as it was.
final class ErrorTests: XCTestCase {
    /// A diagnostic is one line whatever newline its message or hint holds, and its bytes appended
    /// to a buffer (how thousands of warnings are printed) are its description's.
    func testADiagnosticIsOneLineAndItsAppendedBytesAreItsDescription() {
        var warning = Diagnostic("content/zh/焦点.md", line: 12, column: 7, stage: .math, "a\nb\r\nc\u{2028}d\u{85}e", hint: "f\u{2029}g")
        warning.isWarning = true
        XCTAssertEqual(warning.description, "content/zh/焦点.md:12:7: warning: a b c d e (hint: f g)")
        let plain = Diagnostic("x.md", line: 1, column: 2, stage: .links, "broken link: 'é'")
        XCTAssertEqual(plain.description, "x.md:1:2: error: broken link: 'é'")
        // Bytes that only look like a newline's (the continuation bytes of 'ą' and '…'): kept.
        XCTAssertEqual(Diagnostic("x.md", stage: .links, "ą…").description, "x.md:1:1: error: ą…")
        var bytes = Array("before\n".utf8)
        for diagnostic in [warning, plain] { diagnostic.appendDescription(to: &bytes) }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "before\n" + warning.description + plain.description)
        // Positions of every width are appended as their decimal digits.
        for (line, column) in [(0, 10), (9, 100), (1_234_567, Int.max), (-3, Int.min)] {
            var bytes: [UInt8] = []
            let diagnostic = Diagnostic("y.md", line: line, column: column, stage: .links, "m")
            diagnostic.appendDescription(to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "y.md:\(line):\(column): error: m")
        }
    }

    func testBrokenLink() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\n---\n\nline\n\nsee [gone](missing.md) ok\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.count, 1)
            let d = $0.first
            let root = String(d?.path.dropLast("/en/x.md".count) ?? "")
            XCTAssertTrue(root.hasSuffix("/content"), d?.path ?? "")
            XCTAssertEqual(d?.description, "\(root)/en/x.md:7:12: error: broken link: 'missing.md' (no file \(root)/en/missing.md) "
                           + "(hint: create \(root)/en/missing.md, or write the path of an existing file relative to this one)")
        }
    }

    /// A link that climbs out of the content folder says how to mend it too.
    func testALinkOutOfTheContentFolderHasAHint() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\n---\n\nsee [up](../../README.md)\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first?.message.hasPrefix("link '../../README.md' points outside"), true, $0.first?.description ?? "")
            XCTAssertEqual($0.first?.hint?.hasPrefix("keep links inside"), true, $0.first?.description ?? "")
        }
    }

    /// A link to a draft says so, and how to publish it, rather than that there is no file.
    func testALinkToADraftSaysItIsADraft() async throws {
        try await SiteFixture.expectFailure({
            try $0.write("---\ntitle: d\ndraft: true\n---\n\nNot yet.\n", to: "content/en/unfinished.md")
            try $0.write("---\ntitle: x\n---\n\nsee [soon](unfinished.md)\n", to: "content/en/x.md")
        }) {
            XCTAssertEqual($0.count, 1, $0.map(\.description).joined(separator: "\n"))
            let d = $0.first
            let root = String(d?.path.dropLast("/en/x.md".count) ?? "")
            XCTAssertEqual(d?.description, "\(root)/en/x.md:5:12: error: broken link: 'unfinished.md' is a draft (\(root)/en/unfinished.md says 'draft: true'), "
                           + "which this build leaves out (hint: remove 'draft: true' from it to publish it, or build with --drafts)")
        }
    }

    /// Of several names as close to a mistyped link, the hint names the first in order, whatever
    /// order the site's pages were listed in (a build and the next gave different hints).
    func testTheClosestNameIsTheFirstOfItsTies() {
        XCTAssertEqual(Catalog.closest(to: "zh/p9.md", in: ["zh/p8.md", "zh/p6.md", "zh/p7.md"]), "zh/p6.md")
        XCTAssertEqual(Catalog.closest(to: "zh/p9.md", in: ["zh/p7.md", "zh/p6.md", "zh/p8.md"]), "zh/p6.md")
    }

    /// Mistakes of different stages (formula, link, executable block) are reported together.
    func testEveryMistakeOfABuildAtOnce() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\n---\n\n$\\frac{1}{$ and [y](nowhere.md)\n\n```loss-table focla\nvary: {p: [0.5]}\n```\n",
                                                to: "content/en/x.md") }) {
            XCTAssertEqual($0.map(\.stage.rawValue).sorted(), ["execute", "links", "math"], $0.map(\.description).joined(separator: "\n"))
            XCTAssertEqual($0.map(\.line).sorted(), [5, 5, 7])
        }
    }

    /// A page whose front matter is broken does not stop the rest of the site from being built
    /// far enough to report its own mistakes in the same run; links to the broken page are not
    /// reported as broken too (it would be published if it were mended).
    func testBrokenFrontMatterDoesNotHideTheOtherPagesMistakes() async throws {
        try await SiteFixture.expectFailure({
            try $0.write("---\ntitle: y\nweight: [1\n---\n\n## Part\n", to: "content/en/y.md")
            try $0.write("---\ntitle: x\n---\n\nsee [y](y.md) and [its part](y.md#part)\n\n```loss-table focla\nvary: {p: [0.5]}\n```\n",
                         to: "content/en/x.md")
        }) {
            XCTAssertEqual($0.map { "\($0.path.split(separator: "/").last ?? ""):\($0.line) \($0.stage.rawValue)" },
                           ["x.md:7 execute", "y.md:3 front-matter"], $0.map(\.description).joined(separator: "\n"))
        }
    }

    /// A note whose front matter is broken is still read for the rest of its mistakes: the front
    /// matter's errors (every key in error) and its body's formula and link come in one run, the
    /// keys in error left at their defaults.
    func testBrokenFrontMatterDoesNotHideTheSameNotesBodyMistakes() async throws {
        try await SiteFixture.expectFailure({
            try $0.write("---\ntitle: ~\nweigth: 2\n---\n\n$\\frac{1}{$ and [y](nowhere.md)\n", to: "content/en/x.md")
        }) {
            XCTAssertEqual($0.map { "\($0.line):\($0.column) \($0.stage.rawValue)" }, ["2:8 front-matter", "3:1 front-matter", "6:11 math", "6:21 links"],
                           $0.map(\.description).joined(separator: "\n"))
        }
    }

    /// A front matter whose YAML fails may have lost the `slug` that chose the page's path: where
    /// the path it has without one is another page's, the note is set aside, not reported as a
    /// collision that mending it would remove. A draft with a front matter mistake stays out.
    func testBrokenFrontMatterInventsNoCollisionAndKeepsADraftOut() async throws {
        try await SiteFixture.expectFailure({
            try $0.write("---\nslug: elsewhere\nweight: [1\n---\n\n## Part\n", to: "content/en/x.md")
            try $0.write("---\ntitle: x index\n---\n\nsee [x](../x.md#part)\n", to: "content/en/x/index.md")
            try $0.write("---\ndraft: true\ntitle: ~\n---\n\n[gone](nowhere.md)\n", to: "content/en/d.md")
        }) {
            XCTAssertEqual($0.map { "\($0.path.split(separator: "/").last ?? ""):\($0.line) \($0.stage.rawValue)" },
                           ["d.md:3 front-matter", "x.md:3 front-matter"], $0.map(\.description).joined(separator: "\n"))
        }
    }

    /// A link repeated on a page is resolved once but reported at each place it is written.
    func testARepeatedBrokenLinkOrAnchorIsReportedAtEachPlace() async throws {
        try await SiteFixture.expectFailure({
            try $0.write("---\ntitle: x\n---\n\n[a](missing.md) [b](missing.md)\n\n[c](focal.md#nope) [d](focal.md#nope)\n", to: "content/en/x.md")
        }) {
            XCTAssertEqual($0.map(\.line), [5, 5, 7, 7], $0.map(\.description).joined(separator: "\n"))
            XCTAssertEqual($0.map(\.column), [5, 21, 5, 24])
            XCTAssertEqual($0.map { $0.message.hasPrefix("broken anchor") }, [false, false, true, true])
        }
    }

    /// cmark-gfm gives a block in a list item or block quote without the item's indentation or
    /// the quote's `>`: its errors are still at the columns of the file, not of the block's text.
    /// The same blocks at the top level give the columns in their text (an unknown key, a YAML
    /// mistake, an `expected:` number, a grid's word); indented, each is that many columns further right.
    func testAnExecutableBlockInAListItemOrQuoteIsPositionedAtTheFilesColumns() async throws {
        let blocks = [
            "```loss-table focal\nvary: {p: [0.5]}\nvarry: 1\n```",
            "```loss-table focal\nvary: {p: [0.5]}\nloss: focal: 2\n```",
            "```loss-table focal\nvary: {p: [0.5]}\nexpected:\n  - [0.5]\n```",
            "```loss-table dice\nmask: |\n  1 0\n  0 1 1\n```",
        ]
        // Each block after a list item's first line (its fence on line 7), so that every case has the same lines.
        func note(_ block: String, prefix: String) -> String {
            "---\ntitle: x\n---\n\n- item\n\n" + block.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n") + "\n"
        }
        func positions(_ prefix: String, top: Bool) async throws -> [String] {
            var found: [String] = []
            try await SiteFixture.expectFailure({ fixture in
                for (index, block) in blocks.enumerated() {
                    // At the top level the list item is closed first by a line of its own.
                    let text = top ? "---\ntitle: x\n---\n\nitem\n\n" + block + "\n" : note(block, prefix: prefix)
                    try fixture.write(text, to: "content/en/n\(index).md")
                }
            }) {
                found = $0.filter { $0.stage == .execute }.map { "\($0.path.split(separator: "/").last ?? ""):\($0.line):\($0.column)" }.sorted()
            }
            return found
        }
        let top = try await positions("", top: true)
        XCTAssertEqual(top.count, blocks.count, top.joined(separator: "\n"))
        func shifted(_ by: Int) -> [String] {
            top.map { place in
                let parts = place.split(separator: ":")
                return "\(parts[0]):\(parts[1]):\(Int(parts[2])! + by)"
            }
        }
        let inItem = try await positions("  ", top: false), inQuote = try await positions("  > ", top: false)
        XCTAssertEqual(inItem, shifted(2), "a list item's block")
        XCTAssertEqual(inQuote, shifted(4), "a block quote's block in a list item")
    }

    func testBrokenAnchor() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\n---\n\n[a](focal.md#nope)\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first.map { [$0.line, $0.column] }, [5, 5])
            XCTAssertTrue($0.first?.message.contains("broken anchor") == true)
        }
    }

    func testMissingImage() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\n---\n\n![plot](img/none.png)\n", to: "content/zh/x.md") }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first?.path.hasSuffix("content/zh/x.md"), true)
            XCTAssertEqual($0.first.map { [$0.line, $0.column] }, [5, 9])
            XCTAssertTrue($0.first?.message.hasPrefix("missing image") == true)
        }
    }

    func testMissingImageInRawHTML() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\n---\n\n<center>\n<img src='resource/img_02.png' height=75>\n</center>\n", to: "content/zh/x.md") }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first.map { [$0.line, $0.column] }, [6, 11])
            XCTAssertTrue($0.first?.message.hasPrefix("missing image") == true, $0.first?.message ?? "")
        }
    }

    /// An unclosed list is reported at its '[' (line 3, column 9), not where the front matter ends.
    func testBadFrontMatterYAML() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\nweight: [1\n---\n\nbody\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first.map { [$0.line, $0.column] }, [3, 9])
            XCTAssertTrue($0.first?.message.hasPrefix("invalid YAML") == true)
            XCTAssertEqual($0.first?.hint, "close the list with ']' on its line, or quote a value that starts with '['")
        }
    }

    /// Every YAML mistake in front matter comes with a hint, at the place to mend: the common ones
    /// with what usually causes them (TeX in double quotes, a colon in a title, an unclosed quote).
    func testEveryFrontMatterYAMLMistakeHasAHint() async throws {
        let cases: [(yaml: String, at: [Int], hint: String)] = [
            ("title: \"unclosed\n", [2, 8], "close the quote"),
            ("title: \"\\mathcal{L}\"\n", [2, 9], "write TeX in single quotes"),
            ("title: Loss: a note\n", [2, 12], "quote a value that holds ': '"),
            ("title: @home\n", [2, 8], "quote a value that starts with '@'"),
            ("title: *ref\n", [2, 8], "quote a value that starts with '*'"),
            ("title: x\n\tweight: 3\n", [3, 1], "indent with spaces"),
            ("title: x\nweight\n", [3, 1], "'key: value'"),
            ("title: {a: 1\n", [2, 8], "close the mapping with '}'"),
            ("- a\ntitle: x\n", [3, 1], "not both"),
        ]
        for (yaml, at, hint) in cases {
            try await SiteFixture.expectFailure({ try $0.write("---\n" + yaml + "---\n\nbody\n", to: "content/en/x.md") }) {
                XCTAssertEqual($0.count, 1, yaml)
                XCTAssertEqual($0.first.map { [$0.line, $0.column] }, at, "\(yaml): \($0.first?.description ?? "")")
                XCTAssertTrue($0.first?.message.hasPrefix("invalid YAML") == true, yaml)
                XCTAssertTrue($0.first?.hint?.contains(hint) == true, "\(yaml): \($0.first?.hint ?? "no hint")")
            }
        }
    }

    /// A slug is one visible path segment: `a/b`, `..`, an empty one and a hidden `.x` are each
    /// one error at the value.
    func testSlugIsOneVisibleSegment() async throws {
        for slug in ["a/b", "..", "\"\"", ".hidden"] {
            try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\nslug: \(slug)\n---\n", to: "content/en/x.md") }) {
                XCTAssertEqual($0.map { [$0.line, $0.column] }, [[3, 7]], slug)
                XCTAssertTrue($0.first?.message.hasPrefix("'slug'") == true, "\(slug): \($0)")
            }
        }
    }

    func testUnknownFrontMatterKey() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\nwieght: 3\n---\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.map { [$0.line, $0.column] }, [[3, 1]])
            XCTAssertEqual($0.first?.hint, "did you mean 'weight'?")
        }
    }

    func testUnknownConfigKey() async throws {
        try await SiteFixture.expectFailure({ fixture in
            let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
            try fixture.write(config + "colour: blue\n", to: "content/lossbook.yaml")
        }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertTrue($0.first?.message == "unknown key 'colour'")
            XCTAssertEqual($0.first?.line, 14)
        }
    }

    func testMalformedFormula() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\n---\n\nok $a$ then $\\frac{1}{$ end\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first?.line, 5)
            XCTAssertTrue($0.first?.message.hasPrefix("KaTeX parse error") == true, $0.first?.message ?? "")
            XCTAssertEqual($0.first?.stage, .math)
        }
    }

    func testUnclosedDisplayMath() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\n---\n\ntext\n$$\na + b\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.map { [$0.line, $0.column] }, [[6, 1]])
            XCTAssertTrue($0.first?.message.contains("unclosed") == true)
        }
    }

    func testDuplicateOutputPath() async throws {
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\nslug: focal\n---\n", to: "content/en/other.md") }) {
            XCTAssertTrue($0.contains { $0.message.contains("also written by") })
        }
    }

    func testBrokenTemplateIsReportedWithPosition() throws {
        let dir = try TemporaryFolder.make("theme")
        defer { TemporaryFolder.remove(dir) }
        for name in ["home", "404"] { try "ok".write(to: dir.appendingPathComponent("\(name).mustache"), atomically: true, encoding: .utf8) }
        try "line\n{{#open}}\n".write(to: dir.appendingPathComponent("page.mustache"), atomically: true, encoding: .utf8)
        try "en: {}\n".write(to: dir.appendingPathComponent("strings.yaml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Theme.load(directory: dir, displayRoot: "templates", languages: ["en"])) { error in
            let diagnostics = (error as? BuildFailure)?.diagnostics ?? []
            XCTAssertEqual(diagnostics.first?.path, "templates/page.mustache")
        }
    }

    /// A UI string the templates or the Swift code use, missing in one language: that language
    /// shows the source language's text, under one warning at its line in strings.yaml naming the
    /// keys; missing in the source language too, it is an error there.
    func testMissingUIStringFallsBackToTheSourceLanguageWithOneWarning() throws {
        let dir = try TemporaryFolder.make("theme")
        defer { TemporaryFolder.remove(dir) }
        for name in ["home", "404"] { try "ok".write(to: dir.appendingPathComponent("\(name).mustache"), atomically: true, encoding: .utf8) }
        try "{{strings.greeting}} {{strings.farewell}}\n".write(to: dir.appendingPathComponent("page.mustache"), atomically: true, encoding: .utf8)
        let codeKeys = Theme.codeStringKeys.map { "  \($0): x" }.joined(separator: "\n")
        try "en:\n  greeting: hi\n  farewell: bye\n\(codeKeys)\nzh:\n\(codeKeys)\n".write(to: dir.appendingPathComponent("strings.yaml"), atomically: true, encoding: .utf8)
        let theme = try Theme.load(directory: dir, displayRoot: "templates", languages: ["en", "zh"])
        XCTAssertEqual(theme.strings["zh"]?["greeting"], "hi")
        XCTAssertEqual(theme.warnings.map(\.description),
                       ["templates/strings.yaml:\(Theme.codeStringKeys.count + 4):1: warning: UI strings missing for language 'zh', "
                        + "shown from the source language or the built-in theme: 'farewell', 'greeting' (hint: add them under 'zh:')"])

        try "en:\n  farewell: bye\n\(codeKeys)\nzh:\n\(codeKeys)\n".write(to: dir.appendingPathComponent("strings.yaml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Theme.load(directory: dir, displayRoot: "templates", languages: ["en", "zh"])) { error in
            let diagnostics = (error as? BuildFailure)?.diagnostics ?? []
            XCTAssertEqual(diagnostics.map(\.description),
                           ["templates/strings.yaml:1:1: error: no UI string 'greeting' for language 'en' "
                            + "(hint: a template uses 'strings.greeting'; add 'greeting: …' under 'en:')",
                            "templates/strings.yaml:\(Theme.codeStringKeys.count + 3):1: error: no UI string 'greeting' for language 'zh' "
                            + "(hint: a template uses 'strings.greeting'; add 'greeting: …' under 'zh:')"])
            XCTAssertEqual(diagnostics.first?.stage, .theme)
        }
    }

    /// A diagnostic prints on one line whatever line breaks its message holds (each of Unicode's
    /// newline characters), and a message without one, multi-byte text included, as it is.
    func testADiagnosticIsOneLine() {
        let breaks = ["\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]
        for line in breaks {
            let d = Diagnostic("x.md", stage: .math, "KaTeX: a\(line)b", hint: "c\(line)d")
            XCTAssertFalse(d.description.contains(where: \.isNewline), d.description.debugDescription)
            XCTAssertTrue(d.description.hasSuffix("a b (hint: c d)"), d.description.debugDescription)
        }
        // é, è, ¨ and Ņ hold 0xA9, 0xA8 and 0x85, the last bytes of U+2029, U+2028 and U+0085: not line breaks.
        let message = "caf\u{E9} \u{E8} \u{A8} \u{145}"
        XCTAssertTrue(Diagnostic("x.md", stage: .math, message).description.hasSuffix(message))
    }
}
