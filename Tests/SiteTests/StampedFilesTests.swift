import Foundation
import XCTest
@testable import Site

/// The last build stamp's input index looked up in place (``StampedFiles``): every path the stamp
/// holds is found with its entry, whatever order its lines are in and whatever bytes its path has;
/// a path it does not hold is not.
final class StampedFilesTests: XCTestCase {
    /// Paths that sort differently by bytes and by `String`'s order, that are prefixes of each
    /// other, that need escaping (a tab, a backslash, a newline), and that are not ASCII.
    private let paths = ["/c/en/a.md", "/c/en/a.md.orig", "/c/en/a", "/c/en-GB/a.md", "/c/en/a-b/x.md", "/c/en/a/b.md",
                         "/c/en/tab\there.md", "/c/en/back\\slash.md", "/c/en/new\nline.md", "/c/zh/损失函数.md",
                         "/c/zh/\u{e9}.md", "/c/Z.md", "/c/en/a.mdx"]

    private func entries() -> [String: InputIndex.Entry] {
        var entries: [String: InputIndex.Entry] = [:]
        for (number, path) in paths.enumerated() {
            let n = Int64(number)
            entries[path] = InputIndex.Entry(size: 100 + n, modified: 1_700_000_000_000_000_000 + n, changed: 1_700_000_000_000_000_001 + n,
                                             inode: 5000 + UInt64(number), device: 2049, hash: 0xfeed_beef_0000 + UInt64(number),
                                             racy: number % 3 == 0)
        }
        return entries
    }

    private func lines(_ entries: [(String, InputIndex.Entry)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (path, entry) in entries { BuildStamp.appendRecord(of: entry, at: path, to: &bytes) }
        return bytes
    }

    func testEveryPathIsFoundWithItsEntryInAnyOrder() throws {
        let entries = entries()
        var generator = SystemRandomNumberGenerator()
        let orders = [entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }, entries.sorted { $0.key < $1.key },
                      entries.sorted { $0.key > $1.key }, entries.shuffled(using: &generator)]
        for (number, order) in orders.enumerated() {
            // Past a head, as in a stamp: the table is of the range it is given.
            let head = Array("f\tnot\tthis\n".utf8)
            let file = Data(head + lines(order.map { ($0.key, $0.value) }))
            let table = try XCTUnwrap(StampedFiles(file, lines: head.count..<file.count), "order \(number)")
            XCTAssertEqual(table.count, paths.count)
            if number == 3 { XCTAssertFalse(table.cameInOrder, "shuffled") }
            for (path, entry) in entries { XCTAssertEqual(table.entry(path), entry, "order \(number): \(path.debugDescription)") }
            for missing in ["/c/en/a.m", "/c/en/a.md ", "/c/en/tab\\there.md", "/c/zh", "", "/c/en/a.md.orig2", "/d"] {
                XCTAssertNil(table.entry(missing), "order \(number): \(missing.debugDescription)")
            }
            XCTAssertEqual(table.entries, entries, "order \(number)")
            // With one hint carried from lookup to lookup, as a walk carries it, asked in any order.
            for asking in [entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }, entries.shuffled(using: &generator)] {
                var hint = 0
                for (path, entry) in asking { XCTAssertEqual(table.entry(path, near: &hint), entry, "order \(number): \(path.debugDescription)") }
                for missing in ["/c/en/a.m", "/d", "/c/en/a.md.orig2"] { XCTAssertNil(table.entry(missing, near: &hint), missing) }
            }
        }
    }

    /// The stamp's own writer puts the lines in the order of their bytes (no sort when read), and
    /// a stamp read back looks up what the build's index held.
    func testAStampsFilesAreThoseItsBuildLookedAt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stamped-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for path in ["en/a.md", "en/a-b/x.md", "en/a/b.md", "en/a\tb.md", "en/tab\there.md", "zh/损失函数.md"] {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(path.utf8).write(to: file)
        }
        var index = InputIndex(), hasher = StampHasher()
        index.walk(root, kept: InputIndex(), into: &hasher)
        XCTAssertEqual(index.entries.count, 6)
        let blocks = BuildStamp.Blocks(warnings: [], index: index)
        let file = Data(blocks.files)
        let table = try XCTUnwrap(StampedFiles(file, lines: 0..<file.count))
        XCTAssertTrue(table.cameInOrder, "the writer's order is the reader's, escaped paths too")
        for (path, entry) in index.entries { XCTAssertEqual(table.entry(path), entry, path) }
        XCTAssertEqual(table.entries, index.entries)
    }

    /// A line that is not an `f` line of nine fields is a damaged stamp; a line whose numbers do not
    /// read is no entry (its file is hashed again), and the others are still found.
    func testDamagedLines() throws {
        let entries = entries().sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        let good = lines(entries.map { ($0.key, $0.value) })
        XCTAssertNotNil(StampedFiles(Data(good), lines: 0..<good.count))
        XCTAssertNotNil(StampedFiles(Data(), lines: 0..<0), "no files")
        for (name, bytes) in [("cut short", Array(good.dropLast())), ("another record", good + Array("x\tsomething\n".utf8)),
                              ("a field more", good + Array("f\t1\t2\t3\t4\t5\t6\t-\t/p\textra\n".utf8)),
                              ("a field fewer", good + Array("f\t1\t2\t3\t4\t5\t-\t/p\n".utf8)), ("an empty line", good + [0x0A])] {
            XCTAssertNil(StampedFiles(Data(bytes), lines: 0..<bytes.count), name)
        }
        let bad = Array("f\t1\tx\t3\t4\t5\tff\t-\t/bad/size\nf\t1\t2\t3\t4\t5\tff\tmaybe\t/bad/racy\nf\t1\t2\t3\t4\t5\tff\tlazy\t/bad/flag\n".utf8)
        let mixed = good + bad
        let table = try XCTUnwrap(StampedFiles(Data(mixed), lines: 0..<mixed.count))
        XCTAssertNil(table.entry("/bad/size"))
        XCTAssertNil(table.entry("/bad/racy"))
        XCTAssertNil(table.entry("/bad/flag"), "a flag of racy's length")
        for (path, entry) in entries { XCTAssertEqual(table.entry(path), entry, path) }
    }
}
