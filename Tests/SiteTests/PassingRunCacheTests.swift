import Foundation
import XCTest
import _TestSupport
@testable import Site

/// Passing runs are kept per key, the most recently written ``PassingRunCache/keptRuns`` of them.
final class PassingRunCacheTests: XCTestCase {
    func testRunsOfSeveralKeysAreKeptAndTheOldestPruned() throws {
        let folder = TemporaryFolder.path("passing-runs")
        defer { TemporaryFolder.remove(folder) }
        let file = folder.appendingPathComponent("checks.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: file) // where an earlier binary kept its one run
        // A file that only starts like a run's is not one (the theme's runs are beside a user's files).
        // A running process's temporary file is its own; and one of another name is not a run's.
        let foreign = ["checks-notes.json", "checks-0123456789abcdeg.json", "checks-0123456789abcdef.txt",
                       ".checks-0123456789abcdef.json.lossbook-1", ".notes-0123456789abcdef.json.lossbook-4194999"]
        for name in foreign { try Data("mine".utf8).write(to: folder.appendingPathComponent(name)) }
        // A run's temporary file left by a process that is gone (past the largest process number).
        let leftOver = folder.appendingPathComponent(".checks-0123456789abcdef.json.lossbook-4194999")
        try Data("{".utf8).write(to: leftOver)
        let keys = (0..<(PassingRunCache.keptRuns + 2)).map { fnv1a64Hex(Array("key\($0)".utf8)) }
        for (n, key) in keys.enumerated() {
            PassingRunCache.save([n], key: key, to: file)
            Thread.sleep(forTimeInterval: 0.02) // modification times a clock tick apart
        }
        for (n, key) in keys.enumerated() {
            let kept = PassingRunCache.load(file, key: key, entry: { try $0.int() })
            XCTAssertEqual(kept, n < 2 ? nil : [n], key)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path), "the single file of earlier binaries is gone")
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftOver.path), "a left-over temporary file is gone")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).count, PassingRunCache.keptRuns + foreign.count)
        for name in foreign { XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), name) }
        let other = PassingRunCache.load(file, key: "key9-other", entry: { try $0.int() })
        XCTAssertNil(other)
    }

    /// The checks' entries read back as they were written, an optional field present or left out,
    /// and nothing from a run of another key, a file cut short or one with bytes after the run.
    func testTheChecksEntriesReadBackAsWritten() throws {
        let folder = TemporaryFolder.path("passing-entries")
        defer { TemporaryFolder.remove(folder) }
        let formulas = folder.appendingPathComponent("formula-checks")
        let formulaEntries = [
            CatalogFormulaChecks.Entry(loss: "dice", index: 2, tex: "1 - \\frac{2|X \\cap Y|}{|X| + |Y|}", bound: true, checked: 96,
                                       failure: nil, details: nil),
            CatalogFormulaChecks.Entry(loss: "focal", index: 0, tex: "-(1-p)^{\\gamma}\\log p", bound: false, checked: 0,
                                       failure: "disagrees", details: ["probe 3", "损失 0.25"]),
        ]
        PassingRunCache.save(formulaEntries, key: "k1", to: formulas)
        XCTAssertEqual(PassingRunCache.load(formulas, key: "k1", entry: { try CatalogFormulaChecks.Entry(compact: &$0) }), formulaEntries)
        XCTAssertNil(PassingRunCache.load(formulas, key: "k2", entry: { try CatalogFormulaChecks.Entry(compact: &$0) }))

        let gradients = folder.appendingPathComponent("gradient-checks")
        let gradientEntries = [
            CatalogGradientChecks.Entry(loss: "l2", language: "zh", span: 1, tex: "\\partial \\ell/\\partial y = 2(y - x)", bound: true,
                                        checked: 12, failure: nil, path: "content/zh/reference/l2.md", line: 14, column: 3),
            CatalogGradientChecks.Entry(loss: "l1", language: "en", span: -1, tex: "", bound: true, checked: 0,
                                        failure: "the binding names spans [4]", path: "content/en/reference/l1.md", line: 1, column: 1),
        ]
        PassingRunCache.save(gradientEntries, key: "k1", to: gradients)
        let read = { PassingRunCache.load(gradients, key: "k1", entry: { try CatalogGradientChecks.Entry(compact: &$0) }) }
        XCTAssertEqual(read(), gradientEntries)
        let slot = PassingRunCache.slot(gradients, key: "k1")
        let bytes = try Data(contentsOf: slot)
        try bytes.dropLast().write(to: slot)
        XCTAssertNil(read(), "a run cut short")
        try (bytes + [0]).write(to: slot)
        XCTAssertNil(read(), "bytes after the run")
    }
}
