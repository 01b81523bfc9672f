import XCTest
import _TestSupport
import Losses
import Yams
@testable import Site

/// Issue 11.3, 11.4, 11.6: bounded work (`limits:`), misspelt executable blocks and strict
/// templates. Each check gives one positioned line and leaves the previous site as it was.
final class LimitsTests: XCTestCase {
    let fm = FileManager.default

    func addLimits(_ limits: String) -> (SiteFixture) throws -> Void {
        { fixture in
            let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
            try fixture.write(config + "limits:\n" + limits, to: "content/lossbook.yaml")
        }
    }

    func note(_ body: String) -> (SiteFixture) throws -> Void {
        { try $0.write("---\ntitle: x\n---\n\n" + body, to: "content/en/x.md") }
    }

    // MARK: - 11.4 Bounded work

    /// 300 bytes of aliases standing for 10⁹ numbers: refused at the alias, fast, with the
    /// default limits (before this check Yams expanded them for minutes).
    /// ``Limits/key`` names every limit: each changed alone changes it (what a build keeps is kept
    /// under it), and a limit added to the type without a `lossbook.yaml` name fails here.
    func testTheLimitsKeyNamesEveryLimit() throws {
        XCTAssertEqual(Mirror(reflecting: Limits()).children.count, Limits.keys.count, "a limit without a name in Limits.keys")
        let reader = YAMLReader(path: "content/lossbook.yaml", lineOffset: 0, stage: .config)
        var seen = [Limits().key]
        for name in Limits.keys {
            let limits = try Limits.parse(try XCTUnwrap(try Yams.compose(yaml: "\(name): 7")), reader)
            XCTAssertFalse(seen.contains(limits.key), "\(name): \(limits.key)")
            XCTAssertTrue(limits.key.contains("\(name)=7"), limits.key)
            seen.append(limits.key)
        }
    }

    func testAliasBombIsRefusedBeforeExpansion() async throws {
        var lines = ["  a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
        for k in 1...8 { lines.append("  a\(k): &a\(k) [" + Array(repeating: "*a\(k - 1)", count: 10).joined(separator: ", ") + "]") }
        let start = Date()
        try await SiteFixture.expectFailure(note("```loss-table focal\nparams:\n" + lines.joined(separator: "\n") + "\n```\n")) {
            XCTAssertEqual($0.map(\.description), [
                "\($0.first?.path ?? ""):13:12: error: YAML expands to more than 2000000 values (the alias '*a5' expands what '&a5' names) "
                    + "(hint: write the values out instead of aliasing them, or raise 'limits: yaml_nodes:' in lossbook.yaml)",
            ])
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }

    /// Past `yaml_depth: 3` (four brackets under a key) and, with aliases, past `yaml_nodes: 5000`
    /// (10⁴ numbers from 40 written), yet well within the default limits: what the readers of
    /// catalog prose, cited data and UI strings let through while they kept the defaults.
    static let yamlLimits = "  yaml_depth: 3\n  yaml_nodes: 5000\n"
    static let deepValue = "[[[[x]]]]"
    static let aliasBomb = "[&a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], &b [" + Array(repeating: "*a", count: 10).joined(separator: ", ") + "], "
        + "&c [" + Array(repeating: "*b", count: 10).joined(separator: ", ") + "], [" + Array(repeating: "*c", count: 10).joined(separator: ", ") + "]]"

    /// Checks that a build whose `file` (in the site, or with `templates` in its theme) holds
    /// `value` fails with one error, at `value`'s line, on its third bracket or one of its `*c`
    /// aliases (each stands for 1 111 values; which one passes the limit depends on what the
    /// file holds besides).
    func expectYAMLLimit(_ value: String, in file: String, line: Int, column: Int,
                         templates: ((URL) throws -> Void)? = nil, _ edit: @escaping (SiteFixture) throws -> Void) async throws {
        let deep = value == Self.deepValue
        var places = [column + 2]
        if !deep {
            places = []
            var rest = Substring(value)
            while let alias = rest.range(of: "*c") {
                places.append(column + value.distance(from: value.startIndex, to: alias.lowerBound))
                rest = rest[alias.upperBound...]
            }
        }
        try await SiteFixture.expectFailure(templates: templates, { fixture in
            try self.addLimits(Self.yamlLimits)(fixture)
            try edit(fixture)
        }) {
            XCTAssertEqual($0.count, 1, file)
            guard let d = $0.first else { return }
            XCTAssertTrue(d.path.hasSuffix(file), "\(d)")
            XCTAssertEqual(d.line, line, "\(d)")
            XCTAssertTrue(places.contains(d.column), "\(d) not at one of the columns \(places)")
            XCTAssertEqual(d.message, deep ? "YAML nested more than 3 levels deep"
                                           : "YAML expands to more than 5000 values (the alias '*c' expands what '&c' names)", file)
        }
    }

    /// Each YAML file the build reads besides notes, blocks and `lossbook.yaml`, its hostile value
    /// on line 2 after `title: `: one positioned error at the configured limit.
    func testEveryYAMLFileTheBuildReadsHoldsToTheConfiguredLimits() async throws {
        for (file, text) in [("content/en/reference/focal.md", "---\ntitle: VALUE\n---\n\n## input\n\nx\n\n## gradient\n\ny\n"),
                             ("content/en/reference/_catalog.md", "---\ntitle: VALUE\n---\n"),
                             ("content/data/x.yaml", "# cited data\ntitle: VALUE\n")] {
            for value in [Self.deepValue, Self.aliasBomb] {
                try await expectYAMLLimit(value, in: file, line: 2, column: "title: ".count + 1) {
                    try $0.write(text.replacingOccurrences(of: "VALUE", with: value), to: file)
                }
            }
        }
    }

    /// `templates/strings.yaml`, the theme's YAML, is held to the site's limits too.
    func testUIStringsHoldToTheConfiguredLimits() async throws {
        let strings = try String(contentsOf: SiteFixture.repository.appendingPathComponent("templates/strings.yaml"), encoding: .utf8)
        let line = strings.split(separator: "\n", omittingEmptySubsequences: false).count
        for value in [Self.deepValue, Self.aliasBomb] {
            try await expectYAMLLimit(value, in: "templates/strings.yaml", line: line, column: "extra: ".count + 1, templates: { folder in
                try (strings + "extra: " + value + "\n").write(to: folder.appendingPathComponent("strings.yaml"), atomically: true, encoding: .utf8)
            }) { _ in }
        }
    }

    /// A focal table of `varyCount` values of p × `seriesCount` values of γ, and what a limit of
    /// 100 evaluations says of it.
    static let seriesCount = 10, varyCount = 20
    static var largeTable: String {
        let series = (1...seriesCount).map(String.init).joined(separator: ", ")
        let vary = (1...varyCount).map { "0.0\($0 % 9 + 1)" }.joined(separator: ", ")
        return "```loss-table focal\nvary: {p: [\(vary)]}\nseries: {gamma: [\(series)]}\n```\n"
    }
    static let largeTableOverLimit = "this block asks for \(varyCount * seriesCount) loss evaluations "
        + "(vary \(varyCount) × series \(seriesCount)), more than the limit of 100"

    func testEvaluationsAreCountedBeforeAnyRuns() async throws {
        try await SiteFixture.expectFailure({ fixture in
            try addLimits("  block_evaluations: 100\n")(fixture)
            try note("text\n\n" + Self.largeTable)(fixture)
        }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first.map { [$0.line, $0.column] }, [7, 1])
            XCTAssertEqual($0.first?.message, Self.largeTableOverLimit)
            XCTAssertEqual($0.first?.hint, "ask for fewer values, or raise 'limits: block_evaluations:' in lossbook.yaml")
        }
    }

    func testTensorElementsAreCountedBeforeTheTensorIsBuilt() async throws {
        try await SiteFixture.expectFailure({ fixture in
            try addLimits("  tensor_elements: 4\n")(fixture)
            try note("```loss-table l1\ncases:\n  - input: [[1, 2, 3], [4, 5, 6]]\n    target: [[1, 2, 3], [4, 5, 6]]\n```\n")(fixture)
        }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertEqual($0.first.map { [$0.line, $0.column] }, [7, 12])
            XCTAssertEqual($0.first?.message, "'input' holds 6 numbers, more than the limit of 4 per tensor")
        }
        try await SiteFixture.expectFailure({ fixture in
            try addLimits("  tensor_elements: 4\n")(fixture)
            try note("```distance-map\nmask: |\n  0 1 1\n  1 1 0\n```\n")(fixture)
        }) {
            XCTAssertEqual($0.map(\.message), ["'mask' holds 6 numbers, more than the limit of 4 per tensor"])
        }
    }

    /// A block whose result is in the execution cache is still held to the limits: lowering one
    /// after a build must fail the next build on a warm cache as it would on a cold one.
    func testLoweredLimitsAreReportedForCachedBlocks() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try note("text\n\n" + Self.largeTable + "\n"
            + "```loss-table l1\ncases:\n  - input: [[1, 2, 3], [4, 5, 6]]\n    target: [[1, 2, 3], [4, 5, 6]]\n```\n")(fixture)
        try await fixture.build()
        let before = try fixture.snapshot()
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        for (limit, expected) in [
            ("block_evaluations: 100", "7:1: error: " + Self.largeTableOverLimit),
            ("tensor_elements: 4", "14:12: error: 'input' holds 6 numbers, more than the limit of 4 per tensor"),
        ] {
            try fixture.write(config + "limits:\n  \(limit)\n", to: "content/lossbook.yaml")
            let messages = await fixture.failures().map(\.description)
            XCTAssertEqual(messages.count, 1, "\(limit): \(messages)")
            XCTAssertTrue(messages.first?.contains("content/en/x.md:" + expected) == true, "\(limit): \(messages)")
            XCTAssertEqual(try fixture.snapshot(), before, "the previous site must be left untouched")
        }
    }

    /// With the built-in reference pages on, a limit lowered below what their blocks hold is one
    /// error at the limit in lossbook.yaml (it used to be one per page, in text the author cannot
    /// edit), saying what the pages need and the way out; the note's own block is not reached.
    func testLimitsBelowTheReferencePagesAreOneErrorAtTheLimit() async throws {
        let needed = ReferencePages.limitsNeeded
        for (limit, message) in [
            ("tensor_elements: 4", "'tensor_elements' is 4, but the built-in reference pages hold a tensor of \(needed.tensorElements) numbers"),
            ("block_evaluations: 100", "'block_evaluations' is 100, but the built-in reference pages hold a block of \(needed.blockEvaluations) loss evaluations"),
        ] {
            var configLines = 0
            try await SiteFixture.expectFailure({ fixture in
                let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
                    .replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true") + "limits:\n  \(limit)\n"
                configLines = config.split(separator: "\n").count
                try fixture.write(config, to: "content/lossbook.yaml")
                try self.note("```loss-table l1\ncases:\n  - input: [[1, 2, 3], [4, 5, 6]]\n    target: [[1, 2, 3], [4, 5, 6]]\n```\n")(fixture)
            }) {
                XCTAssertEqual($0.count, 1, "\(limit): \($0)")
                XCTAssertEqual($0.first?.path.hasSuffix("content/lossbook.yaml"), true, "\(limit): \($0)")
                // At the value: the limit's line is the file's last, its value after "  key: ".
                XCTAssertEqual($0.first.map { [$0.line, $0.column] }, [configLines, limit.split(separator: " ")[0].count + 4], limit)
                XCTAssertEqual($0.first?.message, message)
                XCTAssertEqual($0.first?.hint, "raise it to at least \(limit.hasPrefix("tensor") ? needed.tensorElements : needed.blockEvaluations), "
                               + "or leave the reference pages out with 'reference_pages: false'")
            }
        }
    }

    /// `ReferencePages.limitsNeeded` is what the pages' blocks are held to: at those limits every
    /// block of every page passes the checks a build makes, one below some block is refused; and
    /// the defaults hold them (the configuration check measures only lowered limits).
    func testReferencePagesNeedExactlyTheComputedLimits() throws {
        let needed = ReferencePages.limitsNeeded
        XCTAssertLessThanOrEqual(needed.tensorElements, Limits().tensorElements)
        XCTAssertLessThanOrEqual(needed.blockEvaluations, Limits().blockEvaluations)
        func refused(_ limits: Limits) -> [String] {
            Catalog.descriptors.flatMap { descriptor -> [String] in
                let example = ReferenceExample.of(descriptor.id)
                return [(DirectiveKind.table, example.table), (.grad, example.gradient), (.plot, example.plot)].compactMap { kind, body in
                    do {
                        let spec = try DirectiveSpec(kind: kind, info: "\(kind.rawValue) \(descriptor.id)", body: body, path: "<reference>",
                                                     fenceLine: 0, fenceColumn: 1, limits: limits)
                        _ = try spec.mask()
                        _ = try spec.cases()
                        return nil
                    } catch {
                        return "\(descriptor.id) \(kind.rawValue): \(error)"
                    }
                }
            }
        }
        var limits = Limits()
        limits.tensorElements = needed.tensorElements
        limits.blockEvaluations = needed.blockEvaluations
        XCTAssertEqual(refused(limits), [])
        var fewer = limits
        fewer.tensorElements -= 1
        XCTAssertFalse(refused(fewer).isEmpty, "tensor_elements \(fewer.tensorElements) refuses no page block")
        fewer = limits
        fewer.blockEvaluations -= 1
        XCTAssertFalse(refused(fewer).isEmpty, "block_evaluations \(fewer.blockEvaluations) refuses no page block")
    }

    func testNoteSizeIsCheckedBeforeReading() async throws {
        try await SiteFixture.expectFailure({ fixture in
            try addLimits("  note_bytes: 1000\n")(fixture)
            try note(String(repeating: "words words words\n", count: 100))(fixture)
        }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertTrue($0.first?.path.hasSuffix("content/en/x.md") == true)
            XCTAssertEqual($0.first?.message, "note of 1818 bytes is larger than the limit of 1000 bytes")
        }
    }

    /// A symlinked note is measured by what it links to (the build reads that), not by the link.
    func testASymlinkedNoteIsMeasuredByItsTarget() async throws {
        let body = String(repeating: "words words words\n", count: 100)
        try await SiteFixture.expectFailure({ fixture in
            try addLimits("  note_bytes: 1000\n")(fixture)
            try fixture.write("---\ntitle: Linked\n---\n\n" + body, to: "notes/long.md")
            try FileManager.default.createSymbolicLink(atPath: fixture.content.appendingPathComponent("en/linked.md").path,
                                                       withDestinationPath: fixture.root.appendingPathComponent("notes/long.md").path)
        }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertTrue($0.first?.path.hasSuffix("content/en/linked.md") == true)
            XCTAssertTrue($0.first?.message.hasSuffix("bytes is larger than the limit of 1000 bytes") == true, $0.first?.message ?? "")
        }
    }

    func testYAMLNestingDepth() async throws {
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        try await SiteFixture.expectFailure({ try $0.write("---\ntitle: x\ndescription: \(deep)\n---\n", to: "content/en/x.md") }) {
            XCTAssertEqual($0.map { [$0.line, $0.column] }, [[3, 77]])
            XCTAssertEqual($0.first?.message, "YAML nested more than 64 levels deep")
            XCTAssertEqual($0.first?.stage, .frontMatter)
        }
    }

    /// `yaml_depth` bounds front matter too, both ways (it used to apply to blocks alone, notes
    /// keeping the default 64 whatever lossbook.yaml said).
    func testYAMLNestingDepthOfFrontMatterFollowsTheConfiguration() async throws {
        let deep = String(repeating: "[", count: 4) + String(repeating: "]", count: 4)
        try await SiteFixture.expectFailure({ fixture in
            try self.addLimits("  yaml_depth: 3\n")(fixture)
            try fixture.write("---\ntitle: x\ndescription: \(deep)\n---\n", to: "content/en/x.md")
        }) {
            XCTAssertEqual($0.map { [$0.line, $0.column] }, [[3, 16]])
            XCTAssertEqual($0.first?.message, "YAML nested more than 3 levels deep")
        }
        // Raised to 100, 70 levels pass the bound and reach the type check (no key takes a list).
        let deeper = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        try await SiteFixture.expectFailure({ fixture in
            try self.addLimits("  yaml_depth: 100\n")(fixture)
            try fixture.write("---\ntitle: x\ndescription: \(deeper)\n---\n", to: "content/en/x.md")
        }) {
            XCTAssertEqual($0.map(\.message), ["'description' must be a string"])
        }
    }

    func testLimitsKeysAreChecked() async throws {
        try await SiteFixture.expectFailure(addLimits("  tensor_element: 5\n")) {
            XCTAssertEqual($0.map { "\($0.message) (\($0.hint ?? ""))" }, ["unknown key 'tensor_element' (did you mean 'tensor_elements'?)"])
        }
        try await SiteFixture.expectFailure(addLimits("  yaml_depth: 0\n")) {
            XCTAssertEqual($0.map(\.message), ["'yaml_depth' must be a positive whole number"])
        }
    }

    // MARK: - 11.3 Misspelt executable blocks

    func testMisspeltBlockKindsAreErrors() async throws {
        for (kind, suggestion) in [("loss-tabel", "loss-table"), ("distance-mapp", "distance-map"), ("los-table", "loss-table"),
                                   ("loss-grads", "loss-grad")] {
            try await SiteFixture.expectFailure(note("text\n\n```\(kind) focal\nvary: {p: [0.5]}\n```\n")) {
                XCTAssertEqual($0.count, 1, kind)
                XCTAssertEqual($0.first.map { [$0.line, $0.column] }, [7, 1])
                XCTAssertEqual($0.first?.message, "unknown executable block '\(kind)'")
                XCTAssertEqual($0.first?.hint, "did you mean '\(suggestion)'?")
            }
        }
        try await SiteFixture.expectFailure(note("```loss-heatmap\nmask: '1'\n```\n")) {
            XCTAssertEqual($0.first?.hint, "known blocks: " + DirectiveKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        // A word is judged once a process; each block that has it is reported where it stands,
        // and a word between them (judged too) stays code.
        try await SiteFixture.expectFailure(note("```loss-tabel focal\n```\n\n```python\nx\n```\n\n```loss-tabel dice\n```\n")) {
            XCTAssertEqual($0.map { [$0.line, $0.column] }, [[5, 1], [12, 1]])
            XCTAssertEqual(Set($0.map(\.message)), ["unknown executable block 'loss-tabel'"])
        }
    }

    func testOrdinaryCodeBlocksStayCode() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try note("```python\nx = 1\n```\n\n```text\nloss-tabel\n```\n\n```lisp\n(a)\n```\n")(fixture)
        try await fixture.build()
        XCTAssertTrue(try fixture.read("en/x/index.html").contains("loss-tabel"))
    }

    func testMisspeltKeysInsideABlock() async throws {
        try await SiteFixture.expectFailure(note("```loss-table focal\nvray: {p: [0.5]}\n```\n")) {
            XCTAssertEqual($0.map { "\($0.line):\($0.column) \($0.message) (\($0.hint ?? ""))" }, ["6:1 unknown key 'vray' (did you mean 'vary'?)"])
        }
    }

    // MARK: - 11.6 Strict templates

    func edit(_ template: String, _ change: @escaping (String) -> String) -> (URL) throws -> Void {
        { folder in
            let url = folder.appendingPathComponent(template)
            try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }
    }

    func testUnknownTemplateVariableIsAnError() async throws {
        try await SiteFixture.expectFailure(templates: edit("page.mustache") { "<p>{{titlee}}</p>\n" + $0 }, { _ in }) {
            XCTAssertEqual($0.count, 1)
            XCTAssertTrue($0.first?.path.hasSuffix("templates/page.mustache") == true, $0.first?.path ?? "")
            XCTAssertEqual($0.first.map { [$0.line, $0.column] }, [1, 4])
            XCTAssertEqual($0.first?.message, "unknown variable 'titlee': no page's context has it, so it would render empty")
            XCTAssertEqual($0.first?.hint, "did you mean 'title'?")
        }
        // In a partial and in a dotted name too.
        try await SiteFixture.expectFailure(templates: edit("nav-item.mustache") { $0 + "{{#current}}{{prev.urll}}{{/current}}\n" }, { _ in }) {
            XCTAssertEqual($0.map(\.message), ["unknown variable 'urll': no page's context has it, so it would render empty"])
        }
    }

    /// Two neighbouring letters swapped are one edit, so the hint names the word the writer meant
    /// (`titel` was two plain edits from both `cited` and `title`, and `cited` sorted first).
    func testSwappedLettersSuggestTheWordMeant() {
        XCTAssertEqual(Catalog.closest(to: "titel", in: ["cited", "title"]), "title")
        XCTAssertEqual(Catalog.closest(to: "nmae", in: ["game", "name"]), "name")
        XCTAssertNil(Catalog.closest(to: "xyzzy", in: ["title"]))
    }

    /// The nearest name is the one every candidate measured would give, though candidates whose
    /// length alone puts them past the limit are not measured: words and names of a small alphabet
    /// (so that many are near), against an optimal-string-alignment distance written here.
    func testTheNearestNameIsTheOneEveryCandidateMeasuredGives() {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { d[i][0] = i }
            for j in 0...b.count { d[0][j] = j }
            for i in stride(from: 1, through: a.count, by: 1) {
                for j in stride(from: 1, through: b.count, by: 1) {
                    d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
                }
            }
            return d[a.count][b.count]
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        // ASCII letters (compared as bytes), a letter beyond ASCII and `\r\n`, one character of two
        // bytes (compared as characters): words of each kind, and of both, against each other.
        let alphabet: [Character] = ["a", "b", "c", "é", "-", "\r\n"]
        func word() -> String { String((0..<next(12)).map { _ in alphabet[next(alphabet.count)] }) }
        var suggested = 0, pruned = 0
        for _ in 0..<3000 {
            let target = word(), names = (0..<(1 + next(8))).map { _ in word() }
            let limit = max(2, target.count / 3)
            let measured = names.map { ($0, distance(Array(target), Array($0))) }.min { ($0.1, $0.0) < ($1.1, $1.0) }
            let expected = measured.flatMap { $0.1 <= limit ? $0.0 : nil }
            XCTAssertEqual(Catalog.closest(to: target, in: names), expected, "\(target) in \(names)")
            if expected != nil { suggested += 1 }
            pruned += names.filter { abs($0.count - target.count) > limit }.count
        }
        // Both kinds of case came up: a name found, and names skipped for their length.
        XCTAssertGreaterThan(suggested, 300)
        XCTAssertGreaterThan(pruned, 300)
    }

    /// A section whose list was empty (or whose flag was false) on every page never rendered its
    /// inside: the fields of its items are in no context, and that is no mistake of the template
    /// (a site whose notes have no `##` heading has empty tables of contents). A misspelling
    /// inside a section that did render is still found.
    func testTagsInsideASectionThatNeverRenderedAreNotJudged() {
        let template = "{{#hasTOC}}<ul>{{#toc}}<li id=\"{{id}}\">{{text}}</li>{{/toc}}</ul>{{/hasTOC}}{{#shownList}}{{naem}}{{/shownList}}"
        let keys = ContextKeys()
        keys.record(["hasTOC": .bool(false), "toc": .list([]), "shownList": .list([.object(["name": .text("x")])])])
        let diagnostics = TemplateUse.unknownVariables(["page": template], displayRoot: "templates", known: keys.all, shown: keys.shown)
        XCTAssertEqual(diagnostics.map(\.message), ["unknown variable 'naem': no page's context has it, so it would render empty"])
        XCTAssertEqual(diagnostics.first?.hint, "did you mean 'name'?")
        // Once one page has a contents entry, its fields are known and nothing is reported for them.
        keys.record(["hasTOC": .bool(true), "toc": .list([.object(["id": .text("a"), "text": .text("A")])])])
        XCTAssertEqual(TemplateUse.unknownVariables(["page": template], displayRoot: "templates", known: keys.all, shown: keys.shown).count, 1)
        XCTAssertEqual(Set(keys.shown), ["hasTOC", "toc", "shownList", "name", "id", "text"])
    }

    /// The check's keys stop being recorded once every name the templates' variables look up is
    /// known: the check then reports nothing, whatever later contexts hold. Section keys, `strings.*`
    /// and templates with their own delimiters are not among those names.
    func testContextKeysSettleOnceEveryLookedUpNameIsKnown() {
        let texts = ["page": "{{#a}}{{b.c}}{{/a}}{{{d}}}{{& e}}{{strings.x}}{{! f}}{{^g}}{{/g}}",
                     "other": "{{=<% %>=}}<% h %>"]
        XCTAssertEqual(TemplateUse.lookedUpNames(texts), ["b", "c", "d", "e"])
        let keys = ContextKeys(settlingOn: ["b", "c"])
        keys.record(["b": .object(["x": .text("1")])])
        XCTAssertFalse(keys.isSettled)
        keys.record(["c": .text(""), "y": .bool(true)])
        XCTAssertTrue(keys.isSettled)
        keys.record(["z": .text("late")])
        XCTAssertEqual(keys.all, ["b", "x", "c", "y"])
        XCTAssertEqual(keys.shown, ["b", "x", "y"])
        XCTAssertTrue(TemplateUse.unknownVariables(["page": "{{#y}}{{b.c}}{{/y}}"], displayRoot: "templates", known: keys.all,
                                                   shown: keys.shown).isEmpty)
        // Without names, every context is recorded.
        let every = ContextKeys()
        every.record(["z": .text("late")])
        XCTAssertFalse(every.isSettled)
        XCTAssertEqual(every.all, ["z"])
    }

    /// A name a context type offers is known to the check even when no context had a value for
    /// it, and an absent value renders as a missing key: nothing, a false section.
    func testAnAbsentOptionalIsAKnownNameThatRendersAsMissing() throws {
        let dir = try TemporaryFolder.make("theme")
        defer { TemporaryFolder.remove(dir) }
        try "[{{#children}}a{{/children}}{{^children}}b{{/children}}{{{children}}}{{#hasChildren}}c{{/hasChildren}}]"
            .write(to: dir.appendingPathComponent("nav-item.mustache"), atomically: true, encoding: .utf8)
        let theme = try Theme.load(directory: dir, displayRoot: "templates", languages: ["en"], builtIn: BuiltInTheme.files)
        XCTAssertEqual(theme.render("nav-item", NavItem(title: "t", url: "u", isHome: false)), "[b]")
        XCTAssertTrue(theme.contextKeys.all.isSuperset(of: ["children", "hasChildren"]), "\(theme.contextKeys.all.sorted())")
        XCTAssertEqual(theme.render("nav-item", NavItem(title: "t", url: "u", isHome: false, children: "<li>x</li>")), "[a<li>x</li>c]")
    }

    /// A theme folder without `nav-item.mustache` takes the built-in one (the default theme is
    /// compiled into the binary and a `templates/` folder overrides it file by file): the page
    /// list is never silently empty.
    func testMissingNavigationItemTemplateFallsBackToTheBuiltInOne() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = try fixture.optionsWithOwnTheme()
        try fm.removeItem(at: options.templatesDirectory.appendingPathComponent("nav-item.mustache"))
        _ = try await SiteBuilder.build(options)
        // The page list is in the page, or (a theme with `{{navScript}}`) in the language's shared nav.js.
        let shared = (try? fixture.read("en/nav.js")) ?? ""
        let page = try fixture.read("en/focal/index.html")
        XCTAssertTrue(shared.contains("en/focal/index.html") || page.contains("aria-current=\"page\""), "the page list holds the page")
    }

    func testUnknownPartialIsAnError() async throws {
        try await SiteFixture.expectFailure(templates: edit("page.mustache") { "{{> footer}}\n" + $0 }, { _ in }) {
            XCTAssertEqual($0.map { "\($0.line):\($0.column) \($0.message)" }, ["1:1 missing partial 'footer'"])
        }
    }

    /// A string a template uses but a language lacks stops the theme at load, naming the key and the language.
    func testMissingUIStringIsAnErrorNamingKeyAndLanguage() async throws {
        try await SiteFixture.expectFailure(templates: edit("page.mustache") { "<p>{{strings.tagline}}</p>\n" + $0 }, { _ in }) {
            let messages = $0.map(\.message)
            XCTAssertEqual(Set(messages), ["no UI string 'tagline' for language 'zh'", "no UI string 'tagline' for language 'en'"])
            XCTAssertEqual(messages.count, 2)
            XCTAssertTrue($0.allSatisfy { $0.path.hasSuffix("templates/strings.yaml") && $0.stage == .theme })
        }
    }

    /// The theme as shipped uses only variables its contexts have and strings every language has.
    func testRepositoryThemeIsClean() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let report = try await fixture.build()
        XCTAssertEqual(report.warnings.filter { $0.stage == .theme }.map(\.description), [])
    }
}

