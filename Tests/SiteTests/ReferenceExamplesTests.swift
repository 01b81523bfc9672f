import XCTest
import Losses
@testable import Site

/// The examples of the generated reference pages: captioned in every language, probed where
/// each loss's additions to its base loss show, and exact zeros printed as 0.
final class ReferenceExamplesTests: XCTestCase {
    static let languages = ["zh", "en"]

    static let theme = Result {
        try Theme.load(directory: SiteFixture.repository.appendingPathComponent("templates"), displayRoot: "templates", languages: languages)
    }
    static let prose = Result {
        try CatalogProse.load(contentDirectory: SiteFixture.repository.appendingPathComponent("content"), displayRoot: "content",
                              languages: languages)
    }

    func strings(_ language: String) throws -> [String: String] { try Self.theme.get().strings[language] ?? [:] }

    func pages(_ language: String) throws -> ReferencePages {
        ReferencePages(language: language, strings: try strings(language), prose: try Self.prose.get(), sourceLanguageName: "中文")
    }

    func expander(_ language: String = "en") throws -> DirectiveExpander {
        DirectiveExpander(language: language, strings: try strings(language), names: LossNames(try Self.prose.get().names(in: language)),
                          sources: LossSources.compiled("Sources/Losses"), fix: false)
    }

    /// The fenced blocks of a page: info string and body.
    func blocks(_ body: String) -> [(info: String, body: String)] {
        var result: [(String, String)] = []
        var current: (info: String, lines: [Substring])?
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let open = current {
                    result.append((open.info, open.lines.map { $0 + "\n" }.joined()))
                    current = nil
                } else {
                    current = (String(line.dropFirst(3)), [])
                }
            } else {
                current?.lines.append(line)
            }
        }
        return result
    }

    /// The page's block of `kind` (`loss-table`, `loss-grad`).
    func block(_ kind: String, of id: String, language: String = "en") throws -> (info: String, body: String) {
        let descriptor = try Catalog.descriptor(for: id)
        return try XCTUnwrap(blocks(try pages(language).page(descriptor, weight: 0).body).first { $0.info == "\(kind) \(id)" })
    }

    /// The numbers of a table block as the page shows them, row by row (the row label dropped).
    func shown(_ info: String, _ body: String) throws -> [[String]] {
        let expansion = try expander().expand(.init(info: info, code: body, line: 1, column: 1), path: "test.md")
        guard case let .table(table) = expansion.output else { XCTFail("\(info): not a table"); return [] }
        return table.rows.map { row in row.dropFirst().map { cell in
            if case let .text(text) = cell { return text }
            return "?"
        } }
    }

    func testEveryExampleIsCaptionedInEveryLanguage() throws {
        let prose = try Self.prose.get()
        for language in Self.languages {
            let strings = try strings(language)
            for d in Catalog.descriptors {
                let example = ReferenceExample.of(d.id)
                // The caption's parts exist in this language: no key shown as text, no fallback.
                for key in ["ref_probe_\(example.probe.rawValue)", "ref_gradient_caption", "ref_example_reduction", "ref_example_no_reduction"] {
                    XCTAssertNotNil(strings[key], "\(language): no string '\(key)'")
                }
                if example.probe == .torchNN {
                    let remark = prose.text(.example, of: d.id, in: language)
                    XCTAssertFalse(remark.text.isEmpty || remark.isFallback, "\(language)/\(d.id): what x is, in '## example'")
                }
                let reduction: String
                if let spec = d.parameters.first(where: { $0.name == "reduction" }) {
                    reduction = strings["ref_example_reduction", default: "?"]
                        .replacingOccurrences(of: "{reduction}", with: "`\(spec.defaultValue.description)`")
                } else {
                    reduction = strings["ref_example_no_reduction", default: "?"]
                }
                let examples = blocks(try pages(language).page(d, weight: 0).body)
                    .filter { $0.info == "loss-table \(d.id)" || $0.info == "loss-grad \(d.id)" }
                XCTAssertEqual(examples.count, 2, "\(language)/\(d.id)")
                let plot = try XCTUnwrap(blocks(try pages(language).page(d, weight: 0).body).first { $0.info == "loss-plot \(d.id)" })
                XCTAssertTrue(plot.body.contains("title: \""), "\(language)/\(d.id): the plot has no caption")
                for block in examples {
                    let expansion = try expander(language).expand(.init(info: block.info, code: block.body, line: 1, column: 1), path: "t.md")
                    guard case let .table(table) = expansion.output else { return XCTFail("\(block.info): not a table") }
                    let caption = try XCTUnwrap(table.caption, "\(language)/\(d.id): \(block.info) has no caption")
                    XCTAssertTrue(caption.contains(reduction), "\(language)/\(d.id): the caption states the reduction: \(caption)")
                    XCTAssertFalse(["{rows}", "{columns}", "{object}", "{background}", "{reduction}", "ref_"].contains { caption.contains($0) }, "\(language)/\(d.id): unfilled caption \(caption)")
                }
            }
        }
    }

    /// A loss that reweights or selects the positions of `base`, and the compound losses holding one:
    /// on its page's probe its numbers differ from its base's, and its table from the base's page.
    static let reweighted: [(id: String, base: String)] = [
        ("weighted-cross-entropy", "cross-entropy"), ("dpce", "cross-entropy"), ("topk", "cross-entropy"),
        ("topk-threshold", "cross-entropy"), ("dice-topk", "dice-ce"),
    ]

    func testReweightingLossesDifferFromTheirBaseOnTheirPage() throws {
        for (id, base) in Self.reweighted {
            let table = try block("loss-table", of: id)
            let values = try shown(table.info, table.body)
            // The page tables differ.
            let basePage = try block("loss-table", of: base)
            XCTAssertNotEqual(values, try shown(basePage.info, basePage.body), "\(id)'s page table is \(base)'s")
            // The same inputs through the base loss (the column at the loss's defaults if the page varies a parameter).
            var column = 0
            var body = table.body
            if let series = ReferenceExample.of(id).series {
                let spec = try XCTUnwrap(try Catalog.descriptor(for: id).parameters.first { $0.name == series.name })
                guard case let .number(value) = spec.defaultValue else { return XCTFail("\(id): series of a non-number") }
                column = try XCTUnwrap(series.values.firstIndex(of: value), "\(id): the series shows the default \(series.name)")
                body = body.split(separator: "\n").filter { !$0.hasPrefix("series:") }.joined(separator: "\n") + "\n"
            }
            let baseValues = try shown("loss-table \(base)", body)
            XCTAssertEqual(baseValues.count, values.count)
            let differing = zip(values, baseValues).filter { $0[column] != $1[0] }.count
            XCTAssertGreaterThan(differing, values.count / 2, "\(id) gives \(base)'s numbers on most of its probe points: \(values) vs \(baseValues)")
        }
    }

    func testExactZerosPrintAsZero() throws {
        // KL(p‖q) with q = p: the probe gives input and target as the same stored numbers.
        let point = try ProbeVariable.q.point(id: "kl-divergence", value: 0.5, mask: nil)
        let loss = try Catalog.make("kl-divergence", point.parameters)
        XCTAssertEqual(try loss.evaluate(point.input, target: point.target, gradient: false).value.data, [0])
        let table = try block("loss-table", of: "kl-divergence")
        let row = try XCTUnwrap(ReferenceExample.of("kl-divergence").values.firstIndex(of: 0.5))
        XCTAssertEqual(try shown(table.info, table.body)[row], ["0"])
        // Not by rounding: a genuinely small number is printed as it is.
        XCTAssertEqual(DirectiveExpander.display(9.5e-10, digits: 4), "9.5e−10")
    }

    /// A table cell: line breaks become spaces and pipes outside `$…$` are escaped, as a walk over
    /// the text's Characters does it (the test's own), whichever bytes the cell holds.
    func testACellIsTheTextWithBreaksSpacedAndPipesEscapedOutsideFormulas() throws {
        func walked(_ s: String) -> String {
            var (out, inMath, previous) = ("", false, Character(" "))
            for c in s {
                if c == "$", previous != "\\" { inMath.toggle() }
                out += c == "\n" ? " " : (c == "|" && !inMath ? "\\|" : String(c))
                previous = c
            }
            return out
        }
        let pages = try pages("en")
        let texts = ["", "plain words", "a | b", "$|x|$ and |y|", "one\ntwo", "crlf\r\nline", "\\$ | $a|b$", "中文 | 𝔼\n$\\|x\\|$"]
        for text in texts { XCTAssertEqual(pages.cell(text), walked(text), text.debugDescription) }
        XCTAssertEqual(pages.cell("a | b $|x|$\nc"), "a \\| b $|x|$ c")
    }
}
