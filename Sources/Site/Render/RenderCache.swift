import Foundation

/// Rendered formulas and highlighted code, kept on disk between builds.
///
/// Keyed by the request's content (so equal content always hits), in a folder per fingerprint
/// of the tools (KaTeX and highlight.js versions, macros, helper script): a different
/// fingerprint starts empty. Safe to delete at any time.
///
/// The entries are spread over 256 shard files by a hash of their key
/// (`render/<fingerprint>/<00…ff>.bin`, length-prefixed binary records), so that
///  - a build reads only the shards its requests fall into, concurrently, with no JSON to decode
///    (one 65 MB JSON file took a second to decode on every warm build);
///  - a change rewrites only the shards it touched (a formula edit: one or two files of ~1/256
///    of the cache), never the whole cache;
///  - `save(prune: true)` (a whole-site build) drops the entries no page asks for any more from
///    the shards it rewrites, and the folders of other fingerprints, so the cache does not grow forever.
struct RenderCache {
    static let shardCount = 256

    let folder: URL?
    private(set) var entries: [String: RenderResult] = [:]
    /// What the later stages read from each typeset formula (``FormulaFacts``), kept with it.
    private(set) var facts: [String: FormulaFacts] = [:]
    /// Shards read from disk, and those holding entries not written yet.
    private var loaded: Set<Int> = []
    private var dirty: Set<Int> = []
    /// Keys asked for by this build: what a pruning save keeps.
    private var used: Set<String> = []

    /// - Parameter cacheDirectory: `.cache/lossbook` (nil: no cache, everything is rendered).
    init(cacheDirectory: URL?, fingerprint: String) {
        folder = cacheDirectory?.appendingPathComponent("render").appendingPathComponent(fingerprint)
        if let cacheDirectory {
            // The single-file cache of earlier versions.
            try? FileManager.default.removeItem(at: cacheDirectory.appendingPathComponent("render-cache.json"))
        }
    }

    subscript(request: RenderRequest) -> RenderResult? { entries[request.key] }

    /// A typeset formula's facts (nil for code, a failure, or a request not resolved).
    func facts(_ request: RenderRequest) -> FormulaFacts? { facts[request.key] }

    /// Renders what the cache lacks and remembers it, with `workers` (spread over up to
    /// `tools.helpers` processes, each with at least `RenderHelper.minimumBatch` requests).
    /// Errors are not cached, so a fixed formula is tried again.
    /// - Parameter workers: running helpers (a `serve` session's, or those a build started
    ///   early); nil: processes started for the purpose and stopped after.
    /// - Returns: the helper processes that rendered (0 when everything was cached).
    @discardableResult
    mutating func resolve(_ requests: Set<RenderRequest>, tools: RenderTools, macros: [String: String],
                          workers: RenderWorkers? = nil) throws -> Int {
        let tools = helperTools(tools)
        // Each request's key made once: a key is a new string, and sorting 20,000 requests by
        // their keys made two per comparison (2.5 % of a cold 2,000-page build's own CPU).
        let keyed = requests.map { Keyed(key: $0.key, request: $0) }
        used.formUnion(keyed.lazy.map(\.key))
        load(shards: Set(keyed.map { Self.shard($0.key) }))
        let missing = keyed.filter { entries[$0.key] == nil }.sorted { $0.key < $1.key }
        var processes = 0
        if !missing.isEmpty {
            let pool = workers ?? RenderWorkers()
            defer { if workers == nil { pool.stop() } }
            let results: [RenderResult]
            (results, processes) = try pool.render(missing.map(\.request), tools: tools, macros: macros)
            for (item, result) in zip(missing, results) {
                entries[item.key] = result
                if result.isFailure { continue }
                dirty.insert(Self.shard(item.key))
            }
        }
        findFacts(of: keyed)
        return processes
    }

    /// `tools` as this cache's helpers run them: keeping V8's compiled KaTeX in this cache's folder
    /// (``RenderTools/codeCacheFolder``). Helpers started early (``SiteBuilder/startHelpers(_:)``)
    /// get the same, so that ``resolve(_:tools:macros:workers:)`` finds them running.
    func helperTools(_ tools: RenderTools) -> RenderTools {
        var tools = tools
        tools.codeCacheFolder = folder?.path
        return tools
    }

    /// A request and its cache key, made once (``RenderRequest/key``).
    private struct Keyed {
        var key: String
        var request: RenderRequest
    }

    /// Finds the facts of the typeset formulas among `requests` that lack them (typeset now, or
    /// read from a shard an earlier version wrote), concurrently, and marks their shards to be written.
    private mutating func findFacts(of requests: [Keyed]) {
        let (entries, known) = (entries, facts)
        let lacking = requests.filter { item in
            guard case .math = item.request, known[item.key] == nil, case .html? = entries[item.key] else { return false }
            return true
        }.map(\.key)
        guard !lacking.isEmpty else { return }
        let found = ConcurrentResults<FormulaFacts>(count: lacking.count)
        DispatchQueue.concurrentPerform(iterations: lacking.count) { index in
            if case let .html(html)? = entries[lacking[index]] { found.set(index, FormulaFacts(html: html)) }
        }
        for (index, key) in lacking.enumerated() {
            facts[key] = found[index]
            dirty.insert(Self.shard(key))
        }
    }

    /// Writes the shards that gained entries (errors left out). With `prune` (a build of the
    /// whole site), also rewrites the shards holding entries this build did not ask for, without
    /// them, and removes the folders of other fingerprints.
    func save(prune: Bool = false) {
        guard let folder else { return }
        let fm = FileManager.default
        var byShard: [Int: [Record]] = [:]
        var stale: Set<Int> = []
        for (key, result) in entries {
            if result.isFailure { continue }
            let shard = Self.shard(key)
            if prune, !used.contains(key) { stale.insert(shard); continue }
            byShard[shard, default: []].append(Record(key: key, result: result, facts: facts[key]))
        }
        let rewrite = Array(dirty.union(stale))
        let shards = byShard
        guard !rewrite.isEmpty || prune else { return }
        try? fm.createDirectory(at: folder, withIntermediateDirectories: true)
        DispatchQueue.concurrentPerform(iterations: rewrite.count) { index in
            let shard = rewrite[index]
            let file = Self.file(shard, in: folder)
            let records = (shards[shard] ?? []).sorted { $0.key < $1.key }
            if records.isEmpty { try? fm.removeItem(at: file); return }
            // Not Foundation's `.atomic` write, which `fsync`s each file (256 of them in a cold
            // build): a shard lost to a crash is formulas typeset again.
            try? Self.encode(records).withUnsafeBytes { try SiteFile.renew($0, at: file.path) }
        }
        if prune {
            // A shard no request fell into holds only entries no page asks for.
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
                // A temporary file (a shard's, ``SiteFile/renew(_:at:)-(UnsafeRawBufferPointer,_)``,
                // or the helpers' code cache's, ``RenderHelper/codeCacheName``) is removed when the
                // process that wrote it is gone (``SiteFile/isLeftOverTemporary(_:)``).
                let unused = name.hasPrefix(".") ? SiteFile.isLeftOverTemporary(name)
                    : Self.shard(named: name).map { !loaded.contains($0) } ?? false
                guard unused else { continue }
                try? fm.removeItem(at: folder.appendingPathComponent(name))
            }
            let parent = folder.deletingLastPathComponent()
            // Other tools' versions' caches (named by their fingerprint), nothing else.
            for other in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] where other != folder.lastPathComponent && isHashName(other) {
                try? fm.removeItem(at: parent.appendingPathComponent(other))
            }
        }
    }

    // MARK: - Implementation details

    static func shard(_ key: String) -> Int {
        Int(fnv1a64(key.utf8) % UInt64(shardCount))
    }

    static func file(_ shard: Int, in folder: URL) -> URL {
        folder.appendingPathComponent(String(format: "%02x.bin", shard))
    }

    /// The shard a file of the folder is (`3a.bin`), or was being written as (`.3a.bin.lossbook-…`,
    /// ``SiteFile/renew(_:at:)-(UnsafeRawBufferPointer,_)``); nil for any other name.
    static func shard(named name: String) -> Int? { shardNumber(named: name, suffix: ".bin") }

    private mutating func load(shards: Set<Int>) {
        guard let folder else { return }
        let wanted = Array(shards.subtracting(loaded))
        loaded.formUnion(wanted)
        let read = ConcurrentResults<[Record]>(count: wanted.count)
        DispatchQueue.concurrentPerform(iterations: wanted.count) { index in
            guard let data = FileManager.default.contents(atPath: Self.file(wanted[index], in: folder).path) else { return }
            read.set(index, Self.decode(data) ?? [])
        }
        for index in wanted.indices {
            for record in read[index] ?? [] where entries[record.key] == nil {
                entries[record.key] = record.result
                if let facts = record.facts { self.facts[record.key] = facts }
            }
        }
    }

    /// One entry of a shard.
    struct Record: Equatable {
        var key: String
        var result: RenderResult
        var facts: FormulaFacts?
    }

    /// `LBRC1\n`, then per entry: key length (UInt32, little-endian), key (UTF-8), kind (0 html,
    /// 1 unsupported, 2 html with its ``FormulaFacts``), payload length, payload; for kind 2, then
    /// the facts' flags (a byte) and their text's length and UTF-8 bytes. (A shard of kind 2
    /// entries is not whole to a version that knows kinds 0 and 1 only: it reads it as empty.)
    private static let magic = Array("LBRC1\n".utf8)

    static func encode(_ records: [Record]) -> Data {
        var out = magic
        func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { out += $0 }
            out += bytes
        }
        for record in records {
            switch record.result {
            case let .html(html):
                append(record.key.utf8); out.append(record.facts == nil ? 0 : 2); append(html.utf8)
                if let facts = record.facts {
                    out.append(facts.flags)
                    append(facts.text?.bytes ?? [])
                }
            case .unsupported:
                append(record.key.utf8); out.append(1); append("".utf8)
            case .error, .refused:
                continue
            }
        }
        return Data(out)
    }

    /// A field's text, bad UTF-8 repaired: a formula's HTML and KaTeX's MathML are ASCII but for a
    /// character every few hundred bytes (``MostlyASCII``: reading the shards of 4,000 formulas took
    /// 98 M instructions instead of 223 M with `String(validating:)`).
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { MostlyASCII.string(bytes) }

    /// nil for a file that is not a whole shard (then it is read as empty and rewritten when it changes).
    static func decode(_ data: Data) -> [Record]? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Record]? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else { return nil }
            var i = magic.count
            func field() -> UnsafeBufferPointer<UInt8>? {
                guard i + 4 <= bytes.count else { return nil }
                let length = Int(UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
                i += 4
                guard i + length <= bytes.count else { return nil }
                defer { i += length }
                return UnsafeBufferPointer(rebasing: bytes[i..<(i + length)])
            }
            func text() -> String? { field().map(Self.text) }
            var records: [Record] = []
            while i < bytes.count {
                guard let key = text(), i < bytes.count else { return nil }
                let kind = bytes[i]
                i += 1
                guard let payload = text() else { return nil }
                switch kind {
                case 0: records.append(Record(key: key, result: .html(payload)))
                case 1: records.append(Record(key: key, result: .unsupported))
                case 2:
                    guard i < bytes.count else { return nil }
                    let flags = bytes[i]
                    i += 1
                    guard let text = field(), let facts = FormulaFacts(flags: flags, text: Array(text)) else { return nil }
                    records.append(Record(key: key, result: .html(payload), facts: facts))
                default: return nil
                }
            }
            return records
        }
    }
}
