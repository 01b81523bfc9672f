import XCTest
import Losses
@testable import Site

/// The execution cache's shards (``ExecutionCache``): a result is found again by a later process,
/// a build reads and rewrites only the shards its blocks fall into, and a whole-site build drops
/// what it did not use, and nothing the cache did not write.
final class ExecutionCacheTests: XCTestCase {
    let fm = FileManager.default

    func testShardsKeepResultsAcrossProcessesAndArePrunedByAWholeSiteBuild() throws {
        let root = fm.temporaryDirectory.appendingPathComponent("exec-cache-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: root) }
        let folder = root.appendingPathComponent(ExecutionCache.folderName)
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        let earlier = root.appendingPathComponent("exec-cache.json")
        try Data("{}".utf8).write(to: earlier)
        let sources = LossSources.compiled("Sources/Losses")
        let expander = DirectiveExpander(language: "en", strings: [:], names: [:], sources: sources, fix: false)
        func cache() -> ExecutionCache { ExecutionCache(folder: folder, sources: sources, fingerprint: "f") }
        func block(_ id: String) -> DirectiveExpander.CodeBlockInfo {
            .init(info: "loss-table \(id)", code: "cases:\n  - input: [[1, 2, 3]]\n    target: [[1, 2, 4]]\n", line: 1, column: 1)
        }
        // Two blocks whose keys fall into different shards.
        let first = block("l1")
        let keyOfFirst = cache().key(first, expander: expander)
        let second = try XCTUnwrap(["l2", "smooth-l1", "huber", "log-cosh"].map(block).first {
            ExecutionCache.shard(cache().key($0, expander: expander)) != ExecutionCache.shard(keyOfFirst)
        })
        let keyOfSecond = cache().key(second, expander: expander)
        func shardFile(_ key: String) -> String { ExecutionCache.file(ExecutionCache.shard(key), in: folder).path }

        let cold = cache()
        let made = try [first, second].map { try cold.expansion($0, path: "x.md", expander: expander) }
        XCTAssertEqual(cold.executed, 2)
        cold.save(prune: true)
        XCTAssertTrue(fm.fileExists(atPath: shardFile(keyOfFirst)) && fm.fileExists(atPath: shardFile(keyOfSecond)))
        XCTAssertFalse(fm.fileExists(atPath: earlier.path), "the single file of earlier versions is removed")

        // A shard no block of the next build falls into is neither read nor rewritten.
        let untouched = (0..<ExecutionCache.shardCount).first {
            ![ExecutionCache.shard(keyOfFirst), ExecutionCache.shard(keyOfSecond)].contains($0)
        }!
        let unread = ExecutionCache.file(untouched, in: folder)
        try Data("not a shard".utf8).write(to: unread)
        let foreign = folder.appendingPathComponent("notes.txt")
        try Data("mine".utf8).write(to: foreign)
        let secondShard = try Data(contentsOf: URL(fileURLWithPath: shardFile(keyOfSecond)))

        let warm = cache()
        let found = try warm.expansion(first, path: "x.md", expander: expander)
        XCTAssertEqual(warm.executed, 0, "found in its shard by a later process")
        XCTAssertEqual(found.output, made[0].output)
        warm.save(prune: false)
        XCTAssertEqual(try Data(contentsOf: unread), Data("not a shard".utf8))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: shardFile(keyOfSecond))), secondShard)

        // A whole-site build that used the first block alone drops the second and the shard it did not read.
        let pruning = cache()
        _ = try pruning.expansion(first, path: "x.md", expander: expander)
        pruning.save(prune: true)
        XCTAssertFalse(fm.fileExists(atPath: shardFile(keyOfSecond)))
        XCTAssertFalse(fm.fileExists(atPath: unread.path))
        XCTAssertTrue(fm.fileExists(atPath: shardFile(keyOfFirst)))
        XCTAssertEqual(try Data(contentsOf: foreign), Data("mine".utf8), "a file the cache did not write is left")
        let after = cache()
        _ = try after.expansion(second, path: "x.md", expander: expander)
        _ = try after.expansion(first, path: "x.md", expander: expander)
        XCTAssertEqual(after.executed, 1, "the pruned block runs again, the kept one does not")
    }

    /// The fingerprint of the sources a list of losses runs is kept for a later process of the same
    /// sources, and ignored by one of other sources.
    func testLossFingerprintsAreKeptForTheSameSourcesOnly() throws {
        let root = fm.temporaryDirectory.appendingPathComponent("exec-cache-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: root) }
        let folder = root.appendingPathComponent(ExecutionCache.folderName)
        let sources = LossSources.compiled("Sources/Losses")
        let first = ExecutionCache(folder: folder, sources: sources, fingerprint: "f")
        let computed = first.lossFingerprint(["l1", "l2"])
        first.save(prune: false)
        let file = folder.appendingPathComponent("loss-fingerprints")
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains("\nl1,l2 \(computed)\n"), text)
        // A later process takes it from the file (shown by a file that says otherwise).
        try text.replacingOccurrences(of: "l1,l2 \(computed)", with: "l1,l2 0123456789abcdef").write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(ExecutionCache(folder: folder, sources: sources, fingerprint: "f").lossFingerprint(["l1", "l2"]), "0123456789abcdef")
        XCTAssertEqual(ExecutionCache(folder: nil, sources: sources, fingerprint: "f").lossFingerprint(["l1", "l2"]), computed)
        // Sources that differ by a comment ignore the file.
        var files = sources.files
        let l1 = try XCTUnwrap(files.keys.first { $0.hasSuffix("/L1Loss.swift") })
        files[l1]! += "\n// a comment\n"
        let other = ExecutionCache(folder: folder, sources: LossSources(files: files, fingerprint: LossSources.fingerprint(files)), fingerprint: "f")
        XCTAssertNotEqual(other.lossFingerprint(["l1", "l2"]), "0123456789abcdef")
        XCTAssertNotEqual(other.lossFingerprint(["l1", "l2"]), computed)
    }

    /// A shard read by a whole-site build is rewritten without the entries it did not use and with
    /// those it did; a shard that does not decode is read as empty and rewritten; names that are
    /// not the cache's shards stay, a shard's leftover temporary file goes.
    func testAReadShardKeepsWhatWasUsedAndStrangeNamesStay() throws {
        let root = fm.temporaryDirectory.appendingPathComponent("exec-cache-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: root) }
        let folder = root.appendingPathComponent(ExecutionCache.folderName)
        let sources = LossSources.compiled("Sources/Losses")
        let expander = DirectiveExpander(language: "en", strings: [:], names: [:], sources: sources, fix: false)
        func cache() -> ExecutionCache { ExecutionCache(folder: folder, sources: sources, fingerprint: "f") }
        func block(_ target: Int) -> DirectiveExpander.CodeBlockInfo {
            .init(info: "loss-table l1", code: "cases:\n  - input: [[1, 2]]\n    target: [[1, \(target)]]\n", line: 1, column: 1)
        }
        let keyer = cache()
        let used = block(3), shard = ExecutionCache.shard(keyer.key(used, expander: expander))
        // Another block whose key falls into the same shard.
        let neighbour = try XCTUnwrap((4..<5000).lazy.map(block).first { ExecutionCache.shard(keyer.key($0, expander: expander)) == shard })
        let first = cache()
        _ = try first.expansion(used, path: "x.md", expander: expander)
        _ = try first.expansion(neighbour, path: "x.md", expander: expander)
        first.save(prune: true)
        let file = ExecutionCache.file(shard, in: folder)
        let strange = ["-1.json", "+a.json", "AB.json", "3a.json.bak", "notes.txt"]
        for name in strange { try Data("mine".utf8).write(to: folder.appendingPathComponent(name)) }
        let temporary = folder.appendingPathComponent("." + file.lastPathComponent + ".lossbook-4194999")
        try Data("cut short".utf8).write(to: temporary)

        let pruning = cache()
        _ = try pruning.expansion(used, path: "x.md", expander: expander)
        XCTAssertEqual(pruning.executed, 0)
        pruning.save(prune: true)
        let after = cache()
        _ = try after.expansion(used, path: "x.md", expander: expander)
        _ = try after.expansion(neighbour, path: "x.md", expander: expander)
        XCTAssertEqual(after.executed, 1, "the shard kept the used block and dropped the other")
        for name in strange { XCTAssertTrue(fm.fileExists(atPath: folder.appendingPathComponent(name).path), name) }
        XCTAssertFalse(fm.fileExists(atPath: temporary.path))

        // A shard that does not decode: its block runs again and the shard is written anew.
        try Data("not a shard".utf8).write(to: file)
        let damaged = cache()
        _ = try damaged.expansion(used, path: "x.md", expander: expander)
        XCTAssertEqual(damaged.executed, 1)
        damaged.save(prune: false)
        let mended = cache()
        _ = try mended.expansion(used, path: "x.md", expander: expander)
        XCTAssertEqual(mended.executed, 0)
    }

    /// `build --fix` keeps the execution cache: its expansions bypass the cache, and saving after
    /// them used to prune every entry, so the build after it ran every block again.
    func testAFixRunKeepsTheExecutionCache() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write("---\ntitle: x\n---\n\n```loss-table l1\ncases:\n  - input: [[1, 2, 3]]\n    target: [[1, 2, 4]]\n```\n",
                          to: "content/en/x.md")
        let cold = try await fixture.build()
        XCTAssertGreaterThan(cold.executedBlocks, 0)
        var fix = fixture.options()
        fix.fix = true
        try await SiteBuilder.build(fix)
        var again = fixture.options()
        again.keepsPages = false
        try fm.removeItem(at: try XCTUnwrap(again.cacheDirectory).appendingPathComponent("build-stamp"))
        let after = try await SiteBuilder.build(again)
        XCTAssertEqual(after.executedBlocks, 0)
    }
}
