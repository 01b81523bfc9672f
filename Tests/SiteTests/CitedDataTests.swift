import Foundation
import XCTest
import Losses
@testable import Site

/// Cited data (`content/data/`, `cited-table`, `cited-plot`), the family tree (`loss-family`) and
/// the warning about numbers typed into prose.
final class CitedDataTests: XCTestCase {
    static var repositoryData: URL { SiteFixture.repository.appendingPathComponent("content/data") }

    func expander(_ language: String = "en") throws -> DirectiveExpander {
        let theme = try Theme.load(directory: SiteFixture.repository.appendingPathComponent("templates"), displayRoot: "templates",
                                   languages: ["zh", "en"])
        let data = try CitedDataset.loadAll(directory: Self.repositoryData, displayRoot: "content/data")
        let prose = try CatalogProse.load(contentDirectory: SiteFixture.repository.appendingPathComponent("content"),
                                          displayRoot: "content", languages: ["zh", "en"])
        return DirectiveExpander(language: language, strings: theme.strings[language] ?? [:], names: LossNames(prose.names(in: language)),
                                 sources: LossSources.compiled("Sources/Losses"), fix: false, context: DirectiveContext(citedData: data, graphviz: Graphviz(cacheDirectory: nil)))
    }

    func expand(_ info: String, _ body: String, language: String = "en") throws -> Expansion {
        try expander(language).expand(.init(info: info, code: body, line: 10, column: 1), path: "content/en/x.md")
    }

    // MARK: - Cited data

    func testCitedTableShowsTheSourcesDigitsAndProvenance() throws {
        let expansion = try expand("cited-table loss-odyssey", "rows: [dice, generalized-dice, pGDice]\ncolumns: [multi-organ]\nmetric: dsc\n")
        guard case let .table(table) = expansion.output else { return XCTFail("not a table") }
        XCTAssertEqual(table.rows.map { $0.last }, [.text("0.8449"), .text("0.0132"), .text("0.0595")])
        XCTAssertEqual(table.header.count, 2)
        XCTAssertEqual(expansion.mentions, ["dice", "generalized-dice", "penalty-generalized-dice"])
        // The cited mark, not the verified one, with where the numbers come from.
        XCTAssertFalse(table.verified.contains("class=\"verified\""))
        for needle in ["class=\"cited\"", "reported by Ma et al. (2021), not computed here", "doi:10.1016/j.media.2021.102035",
                       "JunMa11/SegLossOdyssey/test/README.md @ 1149f17", "transcribed by"] {
            XCTAssertTrue(table.verified.contains(needle), "provenance lacks '\(needle)': \(table.verified)")
        }
        // The source's trailing zeros are kept.
        let nsd = try expand("cited-table loss-odyssey", "rows: [cross-entropy]\ncolumns: multi-organ\nmetric: dsc\n")
        guard case let .table(ce) = nsd.output else { return XCTFail("not a table") }
        XCTAssertEqual(ce.rows.first?.last, .text("0.8483"))
    }

    func testCitedTableInChinese() throws {
        let expansion = try expand("cited-table loss-odyssey", "rows: [dice]\ncolumns: [multi-organ]\nmetric: dsc\n", language: "zh")
        guard case let .table(table) = expansion.output else { return XCTFail("not a table") }
        XCTAssertTrue(table.verified.contains("由 Ma 等（2021）报告"), table.verified)
        XCTAssertEqual(table.header.last, .text("多器官 DSC"))
    }

    func testCitedErrorsPointAtTheBlock() throws {
        XCTAssertThrowsError(try expand("cited-table loss-odysey", "")) { error in
            XCTAssertEqual((error as? Diagnostic)?.hint, "did you mean 'loss-odyssey'?")
        }
        XCTAssertThrowsError(try expand("cited-table loss-odyssey", "columns: [livre]\n")) { error in
            XCTAssertEqual((error as? Diagnostic)?.line, 11)
            XCTAssertEqual((error as? Diagnostic)?.hint, "did you mean 'liver'?")
        }
    }

    func testDataFileMistakesAreReported() {
        let text = "title: x\nreported_by: y\nsource: {paper: p}\ntranscribed: {by: me}\ncolumns: {a: A}\nmetrics: {m: M}\nfields: [a/m]\nrows: []\n"
        XCTAssertThrowsError(try CitedDataset.parse(text, id: "x", path: "content/data/x.yaml")) { error in
            XCTAssertTrue((error as? Diagnostic)?.message.contains("'transcribed' needs 'by' and 'on'") == true, "\(error)")
        }
        let badLoss = text.replacingOccurrences(of: "{by: me}", with: "{by: me, on: today}")
            .replacingOccurrences(of: "rows: []", with: "rows:\n  - {label: F, loss: focla, values: [\"0.5\"]}")
        XCTAssertThrowsError(try CitedDataset.parse(badLoss, id: "x", path: "content/data/x.yaml")) { error in
            XCTAssertEqual((error as? Diagnostic)?.line, 9)
            XCTAssertEqual((error as? Diagnostic)?.hint, "did you mean 'focal'?")
        }
    }

    func testRankPlotIsSortedAndAccessible() throws {
        let expansion = try expand("cited-plot loss-odyssey", "column: multi-organ\nmetric: dsc\n")
        guard case let .figure(html) = expansion.output else { return XCTFail("not a figure") }
        XCTAssertTrue(html.contains("role=\"img\""))
        XCTAssertTrue(html.contains("<title id="))
        XCTAssertTrue(html.contains("class=\"cited\""))
        let best = try XCTUnwrap(html.range(of: ">0.8554<")), worst = try XCTUnwrap(html.range(of: ">0.0132<"))
        XCTAssertLessThan(best.lowerBound, worst.lowerBound, "best first")
        XCTAssertTrue(html.contains("xlink:href=\"ref:dice-focal\""))
    }

    // MARK: - Family tree

    func testFamilyDiagramHasATitleAndLinksToEveryNode() throws {
        try XCTSkipIf(Graphviz.executable == nil, "Graphviz is not installed")
        let expansion = try expand("loss-family", "around: focal\n")
        guard case let .figure(html) = expansion.output else { return XCTFail("not a figure") }
        XCTAssertTrue(html.contains("role=\"img\""))
        XCTAssertTrue(html.contains("<title id=\"family-\(BlockOutput.fenceLineToken)-title\">Relatives of Focal"), html)
        XCTAssertEqual(html.components(separatedBy: "<title").count - 1, 1, "one accessible name, dot's own titles dropped")
        // Focal and every loss one relation away, as the catalog declares them (cross-entropy, dice-focal, …).
        let neighbourhood = Set(Catalog.relations(around: "focal").flatMap { [$0.from, $0.to] })
        XCTAssertTrue(neighbourhood.isSuperset(of: ["focal", "cross-entropy", "dice-focal"]), "\(neighbourhood)")
        for id in neighbourhood { XCTAssertTrue(html.contains("xlink:href=\"ref:\(id)\""), id) }
        XCTAssertTrue(html.contains("prefers-color-scheme: dark"))
        XCTAssertFalse(html.contains("<?xml"))
        XCTAssertEqual(Set(expansion.mentions), neighbourhood)

        let whole = try expand("loss-family", "", language: "zh")
        guard case let .figure(tree) = whole.output else { return XCTFail("not a figure") }
        XCTAssertTrue(tree.contains(">损失函数家族</title>"))
        for relation in Catalog.relations { XCTAssertTrue(tree.contains("xlink:href=\"ref:\(relation.to)\""), relation.to) }
    }

    func testFamilyWithUnknownLoss() {
        XCTAssertThrowsError(try expand("loss-family", "around: focla\n")) { error in
            XCTAssertEqual((error as? Diagnostic)?.hint, "did you mean 'focal'?")
        }
    }

    // MARK: - Numbers typed into prose

    func testProseNumberDetector() {
        let markdown = """
        The loss is 0.6931 here, but 0.1234 was typed.
        Code `x = 0.5` and $p = 0.25$ and [arXiv 1708.02002](https://arxiv.org/abs/1708.02002) are not prose numbers.
        With $\\gamma$ = 0.25, version 1.2.3, doi:10.1016/j.media, §6.2, MONAI (from 1.6), PyTorch 2.1 and 2021 none warns.

        ```
        0.9999
        ```
        """
        let findings = ProseNumbers(shown: [0.693147]).findings(in: markdown, lineOffset: 3, codeLines: [8...10])
        XCTAssertEqual(findings, [ProseNumbers.Finding(line: 4, column: 30, text: "0.1234")])
    }

    /// `forEachLine` cuts with `memchr` and reads a line only up to its first byte that may open
    /// something: the same lines, offsets and plain flags as reading every byte, which the
    /// reference below does (a `\r\n` does not end a line, a lone `\r` does not either, a pattern
    /// never spans two lines, the last line is visited even when empty).
    func testProseNumberLinesAsEveryByteCutsThem() {
        func reference(_ markdown: String) -> [String] {
            var found: [String] = []
            let bytes = Array(markdown.utf8)
            var index = 0, start = 0
            var previous: UInt8 = 0, beforePrevious: UInt8 = 0, plain = true
            func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
            for i in 0..<bytes.count {
                let byte = bytes[i]
                if byte == 0x0A, previous != 0x0D {
                    found.append("\(index) \(start)..<\(i) \(plain)")
                    (index, start, previous, beforePrevious, plain) = (index + 1, i + 1, 0, 0, true)
                    continue
                }
                let opens: Bool
                switch previous {
                case UInt8(ascii: "."): opens = digit(byte) && digit(beforePrevious)
                case UInt8(ascii: "$"): opens = byte == UInt8(ascii: "$")
                case UInt8(ascii: "\\"): opens = byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[")
                case UInt8(ascii: "<"): opens = byte == UInt8(ascii: "!")
                default: opens = false
                }
                if plain, opens { plain = false }
                beforePrevious = previous
                previous = byte
            }
            found.append("\(index) \(start)..<\(bytes.count) \(plain)")
            return found
        }
        let texts = [
            "", "\n", "\n\n", "a", "a\n", "1.5\nplain\n", "1.\n5", ".5 and 5.", "x1.5", "12.34",
            "$ $$ \\( \\[ <!-- -->", "$\n$", "\\\n(", "<\n!", "a\r\nb 1.5\r\nc", "\r\n", "\r", "\r\r\n\n",
            "\n1.5", "损失 0.6931\n$x$\n", "end 9.9", "a.b 1.a .1 1. 2", "\t\u{0B}0.5\n<b>\n",
        ]
        for text in texts {
            var got: [String] = []
            ProseNumbers.forEachLine(of: text) { index, range, plain in got.append("\(index) \(range) \(plain)") }
            XCTAssertEqual(got, reference(text), text.debugDescription)
        }
    }

    func testProseNumberBytesAndCharactersAgree() {
        // An ASCII line is read byte by byte, any other character by character: each line read both
        // ways (a trailing `é` made of `e` and a combining accent sends it down the character path)
        // reports the same numbers at the same columns.
        let lines = [
            "The loss is 0.6931 here, but 0.1234 was typed.",
            "Code `x = 0.5` and $p = 0.25$ and 0.4242 and \\(q = 0.75\\) then 0.9090.",
            "See https://example.org/0.5555 and <b>0.3333</b> and [link](https://x.org/0.7777) 0.2222.",
            "\tA tab\u{0B}then 0.1111, version 1.2.3, PyTorch 2.1, $ 0.6666 $ and $\t0.5151$.",
        ]
        for line in lines {
            let bytes = ProseNumbers().findings(in: line, lineOffset: 0, codeLines: [])
            let characters = ProseNumbers().findings(in: line + " e\u{301}", lineOffset: 0, codeLines: [])
            XCTAssertFalse(bytes.isEmpty, line)
            XCTAssertEqual(bytes, characters, line)
        }
    }

    /// The checks a typed number goes through, each with a quick path, answer as their reference:
    /// a release of a named library read from ASCII units byte by byte (``ProseNumbers/isVersion(_:at:)``)
    /// as from their lower-cased, split text (``ProseNumbers/isVersionOfText(_:at:)``), over bytes,
    /// scalars and characters; a reference word found by its last byte first as by `hasSuffix`
    /// over every word; a run of scalars made a string from its bytes as scalar by scalar.
    func testProseNumberQuickPathsAnswerAsTheirReferences() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let words = ["PyTorch", "monai", "MONAI", "from", "From", "since", "release", "torch-2", "v", "scipy", "NumPy", "x_1",
                     "swift", "Tensorflow", "nnU-Net", "自", "从", "表", "é", "e\u{301}", "Σ", "section", "Table", "fig.", "§", "表\u{301}", "版本", "本"]
        let gaps = [" ", "(", ", ", "-", "_", "/", "\t", "  ", ") ", "="]
        var versions = 0, asciiWindows = 0, referenceWords = 0, nonASCIIReferenceWords = 0
        for _ in 0..<4000 {
            var text = ""
            for _ in 0..<(1 + next(9)) { text += words[next(words.count)] + gaps[next(gaps.count)] }
            let checker = ProseNumbers()
            let line = text + "1.25"
            let characters = Array(line), i = characters.count - 4
            let reference = checker.isVersionOfText(characters, at: i)
            XCTAssertEqual(checker.isVersion(characters, at: i), reference, line)
            if reference { versions += 1 }
            if line.unicodeScalars.allSatisfy(\.isASCII) {
                asciiWindows += 1
                let bytes = line.utf8.map { ASCIIByte(ascii: $0) }
                XCTAssertEqual(checker.isVersion(bytes, at: bytes.count - 4), reference, line)
            }
            let scalars = Array(line.unicodeScalars)
            XCTAssertEqual(checker.isVersion(scalars, at: scalars.count - 4), checker.isVersionOfText(scalars, at: scalars.count - 4), line)
            let head = String(text.suffix(12)).trimmingCharacters(in: .whitespaces).lowercased()
            let every = ProseNumbers.referenceWords.contains { head.hasSuffix($0) }
            XCTAssertEqual(ProseNumbers.endsWithReferenceWord(head), every, head)
            if every { referenceWords += 1 }
            if every, let last = head.last, !last.isASCII { nonASCIIReferenceWords += 1 }
            var slow = ""
            slow.unicodeScalars.append(contentsOf: scalars[...])
            XCTAssertEqual(Unicode.Scalar.string(scalars[...]), slow)
        }
        // Each answer came up often, on the quick paths too.
        XCTAssertGreaterThan(versions, 400)
        XCTAssertGreaterThan(asciiWindows, 400)
        XCTAssertGreaterThan(referenceWords, 200)
        XCTAssertGreaterThan(nonASCIIReferenceWords, 50, "words ending in CJK or '§' found too")
    }

    func testProseNumberScalarsAndCharactersAgree() {
        // A line whose every scalar is a character of its own (Chinese prose, English with dashes,
        // Greek letters and operators) is read scalar by scalar: each line read both ways (a
        // trailing `é` made of `e` and a combining accent sends it down the character path)
        // reports the same numbers at the same columns.
        let lines = [
            "损失为 0.6931，但 0.1234 是手写的。",
            "Lin et al. — “focal” loss: γ = 2, α ≥ 0.25 → 0.1234 × 2 ≈ 0.4321, pp. 79–86, 0.5 ∈ [0, 1], Dollár 0.7070.",
            "σ(z) − y is 0.6931 · ½ at 0.1234 … ¬ 0.9999 ∑ 0.3333 ⇒ 0.8181 ‰ 0.2424 © 0.1515 ↔ 0.3535.",
            "代码 `x = 0.5`、公式 $p = 0.25$ 与 0.4242，\\(q = 0.75\\) 然后 0.9090。",
            "见 https://example.org/0.5555 与 <b>0.3333</b>、[链接](https://x.org/0.7777) 0.2222。",
            "（全角括号）0.1111，版本 1.2.3，PyTorch 2.1，$ 0.6666 $ 与 $　0.5151$，表 0.3131〜0.4141。",
        ]
        for line in lines {
            XCTAssertTrue(ProseNumbers.isOneScalarPerCharacter(line[...]), line)
            let scalars = ProseNumbers().findings(in: line, lineOffset: 0, codeLines: [])
            let characters = ProseNumbers().findings(in: line + " e\u{301}", lineOffset: 0, codeLines: [])
            XCTAssertFalse(scalars.isEmpty, line)
            XCTAssertEqual(scalars, characters, line)
        }
        // A tone mark (U+302A) combines with the ideograph before it: that line is read by characters.
        let combined = "声\u{302A}调 0.1234"
        XCTAssertFalse(ProseNumbers.isOneScalarPerCharacter(combined[...]))
        XCTAssertEqual(ProseNumbers().findings(in: combined, lineOffset: 0, codeLines: []).map(\.column), [4])
    }

    /// A line that may be raw HTML or a link definition (`<…`, `[…`) is trimmed unit by unit on the
    /// byte and scalar paths: to what Foundation's `trimmingCharacters(in: .whitespaces)` leaves,
    /// which the character path still calls. Trailing white space decides whether `[0.1234]: ` is a
    /// link definition (it is not: nothing follows the colon once trimmed), so the number warns.
    func testProseNumberLinesTrimmedAsFoundationTrimsThem() {
        for byte in UInt8(0)..<0x80 {
            XCTAssertEqual(ASCIIByte(ascii: byte).isTrimmedAsWhiteSpace, CharacterSet.whitespaces.contains(Unicode.Scalar(byte)), "\(byte)")
        }
        let accepted = (UInt32(0)...0xFFFF).compactMap(Unicode.Scalar.init).filter { ProseNumbers.isOneScalarPerCharacter(String($0)[...]) }
        for scalar in accepted {
            XCTAssertEqual(scalar.isTrimmedAsWhiteSpace, CharacterSet.whitespaces.contains(scalar), "U+\(String(scalar.value, radix: 16))")
        }
        let texts = ["", " ", "\t", " \t <b>x</b> \t ", "\u{0B}[a]: x", "[a]: ", "[a]:\t", " [a]: x \u{0C}", "\u{A0}[a]:\u{A0}",
                     "\u{3000}<!-- x", "\u{3000}[链接]：x\u{3000}", "\u{0C}<b>", "  x  ", "\u{A0}\u{A0}"]
        for text in texts {
            let expected = text.trimmingCharacters(in: .whitespaces)
            if text.utf8.allSatisfy({ $0 < 0x80 }) {
                XCTAssertEqual(ASCIIByte.trimmedString(text.utf8.map { ASCIIByte(ascii: $0) }[...]), expected, text.debugDescription)
            }
            XCTAssertEqual(Unicode.Scalar.trimmedString(Array(text.unicodeScalars)[...]), expected, text.debugDescription)
        }
        // Each line on the byte path (`x`), the scalar path (`é`, one scalar) and the character
        // path (`e` and a combining accent): the same findings, where the trimmed line says.
        let lines = [
            ("[0.1234]: ", [1]), ("[0.1234]:\t", [1]), (" [0.1234]:\t ", [1]), ("[0.1234]: x", []), ("[0.1234]:\u{0B}x", [1]), ("[0.1234]:\u{0C}x", []),
            ("\t<b>0.1234</b> ", []), ("  <http://a.org> 0.1234", [1]), ("<!-- x 0.1234\nstill 0.5555 --> 0.4321", [2]),
            (" <!-- x 0.1234 -->\n0.4321", [2]),
        ]
        for (line, findingLines) in lines {
            var found: [[ProseNumbers.Finding]] = []
            for letter in ["x", "\u{E9}", "e\u{301}"] {
                let text = line.replacingOccurrences(of: "x", with: letter)
                found.append(ProseNumbers().findings(in: text, lineOffset: 0, codeLines: []))
            }
            XCTAssertEqual(found[0].map(\.line), findingLines, line.debugDescription)
            XCTAssertEqual(found[1], found[0], line.debugDescription)
            XCTAssertEqual(found[2], found[0], line.debugDescription)
        }
        // The scalar path with white space Foundation trims and ASCII does not hold.
        for space in ["\u{A0}", "\u{3000}"] {
            XCTAssertEqual(ProseNumbers().findings(in: "[0.1234]:" + space, lineOffset: 0, codeLines: []).map(\.column), [2], space.debugDescription)
            XCTAssertEqual(ProseNumbers().findings(in: space + "[0.1234]: é" + space, lineOffset: 0, codeLines: []), [], space.debugDescription)
        }
    }

    /// Every scalar the scalar path accepts is a character of its own beside itself, an ASCII
    /// letter and an ideograph, on either side, and gets `Character`'s answers from its properties.
    func testEveryScalarReadAloneIsACharacterOfItsOwn() {
        let accepted = (UInt32(0)...0xFFFF).compactMap(Unicode.Scalar.init).filter { ProseNumbers.isOneScalarPerCharacter(String($0)[...]) }
        XCTAssertGreaterThan(accepted.count, 20_000)
        for scalar in accepted {
            for other in [scalar, "a", "中"] as [Unicode.Scalar] {
                for pair in [[scalar, other], [other, scalar]] {
                    var text = ""
                    text.unicodeScalars.append(contentsOf: pair)
                    XCTAssertEqual(text.count, 2, "U+\(String(pair[0].value, radix: 16)) U+\(String(pair[1].value, radix: 16))")
                }
            }
            let character = Character(scalar)
            XCTAssertEqual([character.isASCII, character.isLetter, character.isNumber, character.isWhitespace],
                           [scalar.isASCII, scalar.isLetter, scalar.isNumber, scalar.isWhitespace], "U+\(String(scalar.value, radix: 16))")
        }
    }

    func testBuildWarnsAboutATypedDecimalNotAComputedOne() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let note = "---\ntitle: Numbers\n---\n\n```loss-table focal\nvary: {p: [0.5]}\nseries: {gamma: [0]}\n```\n\n"
            + "At p = 0.5 the table gives 0.6931, and someone typed 0.4242.\n"
        try fixture.write(note, to: "content/en/numbers.md")
        let report = try await fixture.build()
        let warnings = report.warnings.filter { $0.stage == .proseNumbers && $0.path.hasSuffix("numbers.md") }
        XCTAssertEqual(warnings.map { "\($0.line):\($0.column)" }, ["10:54"], "only the typed 0.4242 warns")
        XCTAssertEqual(warnings.first?.isWarning, true)
        XCTAssertEqual(warnings.first?.message, "number '0.4242' typed in the prose: neither computed nor cited")
    }
}
