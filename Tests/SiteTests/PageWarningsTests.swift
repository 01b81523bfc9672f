import Foundation
import XCTest
@testable import Site

/// A page's warnings kept as the build stamp's lines (``PageWarnings``): a kept page's are read back
/// as the diagnostics they were made from, printed and stamped as their bytes, and a build after a
/// prose edit prints and stamps the warnings a fresh build finds.
final class PageWarningsTests: XCTestCase {
    private static func warnings() -> [Diagnostic] {
        var first = Diagnostic("content/zh/损失.md", line: 3, column: 9, stage: .proseNumbers, "number '0.5'\ttyped\u{2028}here\\", hint: "cite\nit")
        first.isWarning = true
        var second = Diagnostic("content/zh/损失.md", line: 12, column: 1, stage: .proseNumbers, "number '0.25' typed")
        second.isWarning = true
        let error = Diagnostic("content/en/a.md", line: 1, column: 2, stage: .links, "broken", hint: "fix it")
        return [first, second, error]
    }

    func testAPagesWarningsAreTheirPrintedLinesAndRecordsAndReadBackAsMade() throws {
        let made = PageWarnings(Self.warnings())
        XCTAssertFalse(made.isKept)
        XCTAssertEqual(made.count, 3)
        // The lines a build without colour prints, and the records the build stamp keeps.
        var text: [UInt8] = [], records: [UInt8] = []
        for warning in Self.warnings() {
            warning.appendDescription(to: &text)
            text.append(0x0A)
            BuildStamp.appendRecord(of: warning, to: &records)
        }
        XCTAssertEqual(made.withText { [UInt8]($0) }, text)
        XCTAssertEqual(made.withRecords { [UInt8]($0) }, records)
        // Kept as those bytes (a memo file's summary, with bytes around them), read back as made.
        let bytes = [7, 7] + text + records + [9]
        let kept = try XCTUnwrap(PageWarnings(kept: PageMemo.SummaryBytes(bytes), text: 2..<2 + text.count,
                                              records: 2 + text.count..<2 + text.count + records.count, count: 3))
        XCTAssertTrue(kept.isKept)
        XCTAssertEqual(kept.diagnostics, Self.warnings())
        XCTAssertEqual(kept.withText { [UInt8]($0) }, text)
        // Through the page memo's form and `Codable`'s, too.
        let entry = BuildSession.Entry(inputs: "i", draft: .encoded([1]), proseWarnings: made)
        let decoded = try CompactCoding.decode(BuildSession.Entry.self, from: try CompactCoding.encode(entry))
        XCTAssertEqual(decoded.proseWarnings.diagnostics, Self.warnings())
        XCTAssertEqual(PageWarnings.none.count, 0)
        XCTAssertEqual(PageWarnings.none.diagnostics, [])
    }

    func testKeptBytesThatAreNotThatManyLinesAreRefused() throws {
        let made = PageWarnings(Self.warnings())
        let text = made.withText { [UInt8]($0) }, records = made.withRecords { [UInt8]($0) }
        let all = PageMemo.SummaryBytes(text + records)
        let textRange = 0..<text.count, recordsRange = text.count..<text.count + records.count
        XCTAssertNotNil(PageWarnings(kept: all, text: textRange, records: recordsRange, count: 3))
        XCTAssertNil(PageWarnings(kept: all, text: textRange, records: recordsRange, count: 2))
        XCTAssertNil(PageWarnings(kept: all, text: textRange, records: recordsRange, count: 4))
        // Lines short in one of the two: the text's or the records' first two lines with the other's three.
        func end(ofLine line: Int, in bytes: [UInt8]) -> Int { bytes.indices.filter { bytes[$0] == 0x0A }[line - 1] + 1 }
        XCTAssertNil(PageWarnings(kept: all, text: 0..<end(ofLine: 2, in: text), records: recordsRange, count: 3))
        XCTAssertNil(PageWarnings(kept: all, text: textRange, records: text.count..<text.count + end(ofLine: 2, in: records), count: 3))
        XCTAssertNotNil(PageWarnings(kept: PageMemo.SummaryBytes(Array(text[..<end(ofLine: 2, in: text)]) + records[..<end(ofLine: 2, in: records)]),
                                     text: 0..<end(ofLine: 2, in: text),
                                     records: end(ofLine: 2, in: text)..<end(ofLine: 2, in: text) + end(ofLine: 2, in: records), count: 2))
        // Bytes after the last line, and a last line without its newline.
        XCTAssertNil(PageWarnings(kept: PageMemo.SummaryBytes(text + [0x78] + records), text: 0..<text.count + 1,
                                  records: text.count + 1..<text.count + 1 + records.count, count: 3))
        XCTAssertNil(PageWarnings(kept: all, text: textRange, records: recordsRange.lowerBound..<recordsRange.upperBound - 1, count: 3))
        XCTAssertNil(PageWarnings(kept: all, text: 0..<text.count - 1, records: recordsRange, count: 3))
        // A record that does not start as a warning's or an error's is refused with its page.
        var damaged = records
        damaged[0] = UInt8(ascii: "x")
        XCTAssertNil(PageWarnings(kept: PageMemo.SummaryBytes(text + damaged), text: textRange, records: recordsRange, count: 3))
        // Fields that do not read: refused when checked as read; else they give no diagnostics (as a
        // stamp's, ``KeptWarnings``), the lines printed as they are.
        damaged = records
        let line = try XCTUnwrap(damaged.firstIndex(of: UInt8(ascii: "3")))
        damaged[line] = UInt8(ascii: "x")
        XCTAssertNil(PageWarnings(kept: PageMemo.SummaryBytes(text + damaged), text: textRange, records: recordsRange, count: 3))
        let odd = try XCTUnwrap(PageWarnings(kept: PageMemo.SummaryBytes(text + damaged), text: textRange, records: recordsRange, count: 3,
                                             checkingFields: false))
        XCTAssertEqual(odd.diagnostics, [])
        XCTAssertEqual(odd.withText { [UInt8]($0) }, text)
        XCTAssertFalse(odd.allWarnings, "the third is an error")
        XCTAssertTrue(try XCTUnwrap(PageWarnings(kept: all, text: 0..<0, records: text.count..<text.count, count: 0)).allWarnings)
    }

    /// A report's warnings are in the order found, lists and pages' bytes mixed; told apart from
    /// errors, and counted, without making diagnostics of the pages' bytes.
    func testAReportKeepsItsWarningsInTheOrderFound() throws {
        let all = Self.warnings()
        let source = PageWarnings([all[0], all[1]])
        let text = source.withText { [UInt8]($0) }, records = source.withRecords { [UInt8]($0) }
        let page = try XCTUnwrap(PageWarnings(kept: PageMemo.SummaryBytes(text + records), text: 0..<text.count,
                                              records: text.count..<text.count + records.count, count: 2))
        var report = BuildReport()
        var base = Diagnostic("content/lossbook.yaml", stage: .config, "no 'base_url'")
        base.isWarning = true
        report.addWarnings([base])
        report.addWarnings(page)
        report.addWarnings(PageWarnings.none)
        report.addWarnings([])
        report.addWarnings([base])
        XCTAssertEqual(report.warningCount, 4)
        XCTAssertEqual(report.ownWarnings.count, 3, "empty additions add nothing")
        XCTAssertTrue(report.warningsAreAllWarnings)
        XCTAssertEqual(report.warnings, [base, all[0], all[1], base])
        report.addWarnings(PageWarnings([all[2]]))
        XCTAssertFalse(report.warningsAreAllWarnings, "an error among them")
        XCTAssertFalse(report.warningsHaveDetails)
        // The stamp's lines are the warnings' own, in order: a page's bytes as a list's made lines.
        let blocks = BuildStamp.Blocks(parts: report.ownWarnings, index: InputIndex())
        XCTAssertEqual(blocks.count, 5)
        XCTAssertEqual(String(decoding: blocks.text.data, as: UTF8.self), report.warnings.map { "\($0)\n" }.joined())
        XCTAssertEqual(blocks.records.data, BuildStamp.Blocks(warnings: report.warnings, index: InputIndex()).records.data)
        var detailed = base
        detailed.details = ["probe"]
        var withPage = report
        withPage.addWarnings(PageWarnings([detailed]))
        XCTAssertTrue(withPage.warningsHaveDetails, "a page's, made with details")
        report.addWarnings([detailed])
        XCTAssertTrue(report.warningsHaveDetails)
        report.warnings.removeLast()
        XCTAssertEqual(report.warnings, [base, all[0], all[1], base, all[2]])
        XCTAssertEqual(report.warningCount, 5)
    }

    /// After a prose edit the kept notes' warnings are their memo files' bytes, never made into
    /// diagnostics; printed and stamped, they are a fresh build's warnings.
    func testAKeptPagesWarningsArePrintedAndStampedAsAFreshBuildFindsThem() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let options = Self.keeping(fixture.options())
        try fixture.write("---\ntitle: Typed\n---\n\nThe loss here is 0.4321 and no block computes it.\n\nNor 0.125.\n", to: "content/en/typed.md")
        try fixture.write("---\ntitle: 数字\n---\n\n损失为 0.75，没有代码块算出它。\n", to: "content/zh/typed.md")
        let first = try await SiteBuilder.build(options)

        func fresh() async throws -> BuildReport {
            var fresh = options
            (fresh.keepsPages, fresh.cacheDirectory) = (false, nil)
            fresh.outputDirectory = fixture.root.appendingPathComponent("fresh")
            return try await SiteBuilder.build(fresh)
        }
        func kept(_ report: BuildReport) -> [PageWarnings] {
            report.ownWarnings.compactMap { part in
                if case let .page(page) = part, page.isKept { return page }
                return nil
            }
        }
        func printed(_ report: BuildReport) -> String { report.warnings.map { "\($0)\n" }.joined() }

        try edit(fixture, "zh/focal.md", "焦点损失为", "焦点损失（修订）为")
        let second = try await SiteBuilder.build(options)
        XCTAssertEqual(second.reusedPages, second.pages - 1)
        XCTAssertEqual(kept(second).map(\.count).sorted(), [1, 2], "the typed notes' warnings taken as their bytes")
        let expected = try await fresh()
        XCTAssertEqual(second.warningCount, expected.warningCount)
        XCTAssertEqual(second.warningsText.map { String(decoding: $0, as: UTF8.self) }, printed(expected))
        XCTAssertEqual(second.warnings, expected.warnings)
        XCTAssertEqual(first.warningsText, second.warningsText)
        XCTAssertTrue(second.warningsAreAllWarnings)
        XCTAssertFalse(second.warningsHaveDetails)
        // The stamp it saved: the next build, with nothing changed, repeats them.
        let third = try await SiteBuilder.build(options)
        XCTAssertTrue(third.upToDate)
        XCTAssertEqual(third.warnings, expected.warnings)

        // Warnings that move (a line added above them) and a note's own warnings made again beside kept ones.
        try edit(fixture, "en/typed.md", "The loss here", "A new line.\n\nThe loss here")
        let fourth = try await SiteBuilder.build(options)
        XCTAssertEqual(kept(fourth).map(\.count), [1], "the Chinese note's, kept")
        let moved = try await fresh()
        XCTAssertEqual(fourth.warningsText.map { String(decoding: $0, as: UTF8.self) }, printed(moved))
        XCTAssertEqual(fourth.warnings, moved.warnings)
        XCTAssertNotEqual(fourth.warningsText, second.warningsText)
        let fifth = try await SiteBuilder.build(options)
        XCTAssertTrue(fifth.upToDate)
        XCTAssertEqual(fifth.keptWarnings?.text, fourth.warningsText.map { [UInt8]($0) })

        // Kept pages taken from the summaries file (mapped): their warnings are its bytes.
        usleep(60_000) // past the racy margin: the memo files' records are settled
        try edit(fixture, "zh/focal.md", "焦点损失（修订）为", "焦点损失为")
        let sixth = try await SiteBuilder.build(options)
        XCTAssertGreaterThan(sixth.keptPagesFromSummaries, 0)
        XCTAssertEqual(kept(sixth).map(\.count).sorted(), [1, 2])
        let again = try await fresh()
        XCTAssertEqual(sixth.warningsText.map { String(decoding: $0, as: UTF8.self) }, printed(again))
        XCTAssertEqual(sixth.warnings, again.warnings)
    }

    /// A kept page whose warnings' records do not read is made again by a build that shows their
    /// fields (JSON, colour) or fails on them; one that prints their lines as they are keeps it.
    func testAKeptPageWithDamagedWarningFieldsIsMadeAgainWhenTheFieldsAreShown() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        var options = Self.keeping(fixture.options())
        try fixture.write("---\ntitle: Typed\n---\n\nThe loss here is 0.4321 and no block computes it.\n", to: "content/en/typed.md")
        try await SiteBuilder.build(options)
        // The line number of its record made a letter, in place (the file's lengths unchanged).
        let record = Array("w\twarning\tprose-numbers\t".utf8)
        var damaged = 0
        for (name, data) in try Self.memoFiles(options) {
            let file = Self.memo(options).appendingPathComponent(name)
            var bytes = [UInt8](data)
            guard let start = (0..<bytes.count - record.count).first(where: { bytes[$0..<$0 + record.count].elementsEqual(record) }) else { continue }
            var tabs = 0, at = start
            while tabs < 4 { if bytes[at] == 0x09 { tabs += 1 }; at += 1 } // to the line's field
            bytes[at] = UInt8(ascii: "x")
            try Data(bytes).write(to: file)
            damaged += 1
        }
        XCTAssertEqual(damaged, 1, "one memo file holds the typed note's warning")

        try edit(fixture, "zh/focal.md", "焦点损失为", "焦点损失（修订）为")
        options.warningFieldsShown = false
        let printing = try await SiteBuilder.build(options)
        XCTAssertEqual(printing.reusedPages, printing.pages - 1, "lines printed as they are: the page kept")
        XCTAssertEqual(printing.warnings.filter { $0.stage == .proseNumbers }, [], "its fields do not read")

        try edit(fixture, "zh/focal.md", "焦点损失（修订）为", "焦点损失为")
        options.warningFieldsShown = true
        let showing = try await SiteBuilder.build(options)
        XCTAssertEqual(showing.reusedPages, showing.pages - 2, "the page with the damaged record made again")
        XCTAssertEqual(showing.warnings.filter { $0.stage == .proseNumbers && $0.path.hasSuffix("en/typed.md") }.count, 1)
    }
}
