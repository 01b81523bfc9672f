import XCTest
import Yams
@testable import Site

/// `lossbook.yaml` written carelessly or with hostile values: each mistake is one positioned line
/// at the value that is wrong, and nothing out of range is taken silently.
final class HostileConfigTests: XCTestCase {
    let languages = "languages:\n  - code: en\n    title: Notes\n"

    func error(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            _ = try SiteConfig.parse(yaml, path: "content/lossbook.yaml")
            XCTFail("the configuration should be refused", file: file, line: line)
            return nil
        } catch {
            return (error as? Diagnostic)?.description
        }
    }

    func testALanguageListedTwiceIsAnErrorAtItsSecondCode() {
        let yaml = "languages:\n  - code: en\n    title: A\n  - code: zh\n    title: B\n  - code: en\n    title: C\n"
        XCTAssertEqual(error(yaml), "content/lossbook.yaml:6:11: error: language 'en' is listed twice "
                                  + "(hint: each language is one folder of content/; remove or rename this one)")
    }

    /// A language named `assets` would share site/assets/ with the theme: its file `style.css`
    /// was dropped for the theme's, without a word.
    func testALanguageCannotTakeTheThemesFolder() {
        XCTAssertEqual(error("languages:\n  - code: zh\n    title: A\n  - code: assets\n    title: B\n"),
                       "content/lossbook.yaml:4:11: error: language code 'assets' is the site's folder of theme files "
                       + "(hint: choose another code, and rename its folder under content/)")
    }

    func testLimitsBeyondWhatCanBeCountedOrParsedAreRefused() {
        XCTAssertEqual(error(languages + "limits:\n  tensor_elements: 99999999999999999999999\n"),
                       "content/lossbook.yaml:5:20: error: 'tensor_elements' is larger than the largest whole number lossbook can count, \(Int.max)")
        XCTAssertEqual(error(languages + "limits:\n  yaml_depth: 5000\n"),
                       "content/lossbook.yaml:5:15: error: 'yaml_depth' may be at most 1000, the YAML parser's own limit")
        XCTAssertEqual(error(languages + "limits:\n  tensor_elment: 99999999999999999999999\n"),
                       "content/lossbook.yaml:5:3: error: unknown key 'tensor_elment' (hint: did you mean 'tensor_elements'?)")
        XCTAssertEqual(try SiteConfig.parse(languages + "limits:\n  yaml_depth: 1000\n  tensor_elements: \(Int.max)\n", path: "x").limits.yamlDepth, 1000)
    }

    /// Past libyaml's own bound, its message (`… set with yaml_set_max_nest_level())`) reads like ours.
    func testTheParsersOwnNestingBoundReadsLikeTheLimit() throws {
        var reader = YAMLReader(path: "content/en/x.md", lineOffset: 1, stage: .frontMatter)
        reader.limits.yamlDepth = .max
        XCTAssertThrowsError(try reader.mapping("x: " + String(repeating: "[", count: 1500) + String(repeating: "]", count: 1500))) { error in
            let text = (error as? Diagnostic)?.description ?? "\(error)"
            XCTAssertTrue(text.hasPrefix("content/en/x.md:2:"), text)
            XCTAssertTrue(text.hasSuffix("error: YAML nested more than 1000 levels deep (hint: flatten it)"), text)
        }
        reader.limits.yamlDepth = Limits.maximumYAMLDepth
        XCTAssertEqual(try reader.mapping("x: " + String(repeating: "[", count: 990) + String(repeating: "]", count: 990)).count, 1)
    }

    /// A truth value is read from its text: a node that Yams has hashed or compared (which
    /// resolves its tag, to `str` under the reader's unresolving rules) still reads as one, and a
    /// quoted one is text.
    func testATruthValueIsReadFromItsText() throws {
        let reader = YAMLReader(path: "content/lossbook.yaml", lineOffset: 0, stage: .config)
        let pairs = try reader.mapping("a: yes\nb: Off\nc: 'true'\nd: maybe\n")
        let values = pairs.map(\.value)
        XCTAssertEqual(Set(values).count, 4) // hashes every node, as a duplicate check would
        XCTAssertEqual(try reader.bool(values[0], "a"), true)
        XCTAssertEqual(try reader.bool(values[1], "b"), false)
        for (index, key) in [(2, "c"), (3, "d")] {
            XCTAssertThrowsError(try reader.bool(values[index], key)) { error in
                XCTAssertEqual((error as? Diagnostic)?.message, "'\(key)' must be true or false")
            }
        }
    }

    func testBaseURLMustBeAnAbsoluteWebAddress() {
        for bad in ["javascript:alert(1)", "example.org/notes", "/notes/", "https://", "https://x/\"><script>alert(1)</script>", "ftp://example.org/"] {
            XCTAssertEqual(error(languages + "base_url: '\(bad)'\n"),
                           "content/lossbook.yaml:4:11: error: 'base_url' must be an absolute http or https address, not '\(bad)' "
                           + "(hint: such as https://example.org/notes/)", bad)
        }
        XCTAssertEqual(try SiteConfig.parse(languages + "base_url: http://localhost:8000/notes\n", path: "x").baseURL, "http://localhost:8000/notes/")
    }

    /// A YAML null where text is expected (`title: ~`, `title:`) was read as the text "~" or ""
    /// and built a page titled "~" or with no title; quoted, both are the text they show.
    func testANullWhereTextIsExpectedIsAnErrorAtTheValue() throws {
        XCTAssertEqual(error("languages:\n  - code: en\n    title: ~\n"),
                       "content/lossbook.yaml:3:12: error: 'title' is '~', which YAML reads as no value "
                       + "(hint: write its value after the colon, quoted if it is '~' or 'null', or remove the line)")
        XCTAssertThrowsError(try FrontMatter.split("---\ntitle:\nweight: 2\n---\n\nBody.\n", path: "content/en/a.md")) { error in
            XCTAssertEqual((error as? Diagnostic)?.description,
                           "content/en/a.md:2:7: error: 'title' has no value "
                           + "(hint: write its value after the colon, quoted if it is '~' or 'null', or remove the line)")
        }
        XCTAssertEqual(try FrontMatter.split("---\ntitle: '~'\n---\n\nBody.\n", path: "a.md").0.title, "~")
        XCTAssertEqual(try FrontMatter.split("---\ntitle: \"null\"\n---\n\nBody.\n", path: "a.md").0.title, "null")
    }

    func testAMacroNameWithoutABackslashIsAnErrorAtTheName() {
        XCTAssertEqual(error(languages + "math:\n  macros:\n    \\R: x\n    R: y\n"),
                       "content/lossbook.yaml:7:5: error: macro name 'R' must start with a backslash")
    }
}
