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
            let kept: [Int]? = PassingRunCache.load(file, key: key)
            XCTAssertEqual(kept, n < 2 ? nil : [n], key)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path), "the single file of earlier binaries is gone")
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftOver.path), "a left-over temporary file is gone")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).count, PassingRunCache.keptRuns + foreign.count)
        for name in foreign { XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), name) }
        let other: [Int]? = PassingRunCache.load(file, key: "key9-other")
        XCTAssertNil(other)
    }
}
