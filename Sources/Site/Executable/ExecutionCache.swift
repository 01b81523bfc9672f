import Foundation
import Losses

/// Results of executed blocks, kept on disk between builds.
///
/// The key hashes the block (kind, info string, body — not where it stands), the page language
/// and theme strings, lossbook's version, the fingerprint of the reference implementations and
/// of the code that runs and checks blocks, and that of the sources of exactly the losses the
/// block names (their own files, the files declaring the types they name, transitively, and the
/// shared core and distance code) — all as compiled into this binary, so a stale result never
/// survives a change of binary, and a change to one loss's code re-runs the blocks that use it,
/// and only those. The block limits (`limits:` but `note_bytes`) are in the key too: a result is
/// reused only under the limits it was checked against. Of the catalog prose
/// (`content/<lang>/reference/`) only the names of those
/// losses enter the key, as a block may show them: editing a description, gradient or note
/// re-runs nothing. Expansions made with `--fix` are never stored.
///
/// The entries are spread over 256 shard files by their key (`exec/<00…ff>.json`, the key's first
/// two hexadecimal digits), as the render cache spreads its own (``RenderCache``): a build reads
/// only the shards its blocks fall into, when it first asks for one of them, and a change rewrites
/// only the shards it touched. One file of every entry (2.6 MB of JSON for this repository's 1,216
/// blocks) was decoded whole by a build that needed any block: 22 % of the CPU of a prose edit of a
/// note with blocks, and rewritten whole when one block changed.
final class ExecutionCache: @unchecked Sendable {
    private struct Stored: Codable {
        var version: Int
        var entries: [String: Entry]
    }
    private struct Entry: Codable {
        var output: BlockOutput
        var mentions: [String]
    }
    private static let version = 2
    static let shardCount = 256
    /// The cache's folder under the cache folder.
    static let folderName = "exec"

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    /// Shards read from disk (or found missing), and those holding entries not written yet.
    private var loaded = [Bool](repeating: false, count: ExecutionCache.shardCount)
    private var dirty: Set<Int> = []
    private var used: Set<String> = []
    private let folder: URL?
    let sources: LossSources
    /// Of the reference implementations and of the code that runs and checks blocks.
    let fingerprint: String
    private(set) var executed = 0

    /// - Parameter folder: where the shards are (`.cache/lossbook/exec`; nil: nothing is kept).
    init(folder: URL?, sources: LossSources, fingerprint: String) {
        self.folder = folder
        self.sources = sources
        self.fingerprint = fingerprint
        sharedFiles = Set(sources.files.keys.filter { path in ["/Core/", "/Distance/"].contains { path.contains($0) } })
    }

    /// The single file of earlier versions, beside the folder: removed by the first build that saves.
    private var earlierFile: URL? { folder?.deletingLastPathComponent().appendingPathComponent("exec-cache.json") }

    /// The shard a key falls into: its first two hexadecimal digits (keys are ``fnv1a64Hex(_:)``s).
    static func shard(_ key: String) -> Int {
        let digits = key.utf8.prefix(2)
        guard digits.count == 2, let shard = Int(String(decoding: digits, as: UTF8.self), radix: 16) else { return 0 }
        return shard
    }

    static func file(_ shard: Int, in folder: URL) -> URL {
        folder.appendingPathComponent(String(format: "%02x.json", shard))
    }

    /// Reads a shard on first use (the lock held): a build whose pages all come from a kept
    /// session (``PageMemo``) asks for no block and reads none; a prose edit reads the shards of
    /// its page's blocks. A shard that cannot be read or decoded is read as empty (its blocks run
    /// again, and it is rewritten).
    private func loadIfNeeded(_ shard: Int) {
        guard !loaded[shard] else { return }
        loaded[shard] = true
        guard let folder, let data = FileManager.default.contents(atPath: Self.file(shard, in: folder).path),
              let stored = try? JSONDecoder().decode(Stored.self, from: data), stored.version == Self.version else { return }
        for (key, entry) in stored.entries where Self.shard(key) == shard && entries[key] == nil { entries[key] = entry }
    }

    /// Starts another build with the entries in memory (a `serve` session's next rebuild): nothing
    /// used or executed yet (the shards it has read stay read).
    func beginBuild() {
        lock.lock()
        used = []
        executed = 0
        lock.unlock()
    }

    /// The expansion of a block: from memory or disk if its key is known, else computed.
    func expansion(_ block: DirectiveExpander.CodeBlockInfo, path: String, expander: DirectiveExpander) throws -> Expansion {
        if expander.fix || DirectiveKind.of(block.info)?.cached == false { return try expander.expand(block, path: path) }
        let key = self.key(block, expander: expander)
        let shard = Self.shard(key)
        lock.lock()
        loadIfNeeded(shard)
        if let entry = entries[key] {
            used.insert(key)
            lock.unlock()
            return Expansion(output: entry.output, mentions: Set(entry.mentions), fixes: [])
        }
        lock.unlock()
        let expansion = try expander.expand(block, path: path)
        lock.lock()
        entries[key] = Entry(output: expansion.output, mentions: expansion.mentions.sorted())
        used.insert(key)
        dirty.insert(shard)
        executed += 1
        lock.unlock()
        return expansion
    }

    func key(_ block: DirectiveExpander.CodeBlockInfo, expander: DirectiveExpander) -> String {
        let settings = self.settings(of: expander)
        var text = "\(Self.version)\u{1}\(block.info)\u{1}\(block.code)\u{1}\(expander.language)\u{1}strings=\(settings.strings)"
        // A `loss-properties` block that names no loss tabulates them all.
        let kind = DirectiveKind.of(block.info)
        var ids = Self.ids(in: block.info + " " + block.code)
        if kind == .properties, ids.isEmpty { ids = Catalog.ids }
        text += "\u{1}\(LossbookVersion.current)\u{1}\(fingerprint)\u{1}" + lossFingerprint(ids)
        // Of the catalog prose only the names of those losses, as a block may show them (prose that
        // cannot be read leaves the id: expanding the block then reports why).
        text += "\u{1}" + ids.map { "\($0)=\((try? expander.names.name(of: $0)) ?? $0)" }.joined(separator: "\u{2}")
        // The limits a block is held to: a stored result was checked against the limits of its
        // build, so a lowered one must re-run the block (and report it), not reuse the result.
        let limits = expander.limits
        text += "\u{1}limits=\(limits.tensorElements),\(limits.blockEvaluations),\(limits.yamlDepth),\(limits.yamlNodes)"
        if kind == .checkedFormula { text += "\u{1}macros=" + settings.macros }
        return fnv1a64Hex(text.utf8)
    }

    /// Fingerprints of an expander's strings and macros, made once per language: sorting and
    /// joining a language's hundred-odd strings for every block cost more than the rest of its key
    /// (a note of thousands of blocks paid it thousands of times). An expander whose strings or
    /// macros are not the remembered ones (compared by `==`, which sees at once that two copies
    /// of the same dictionary are equal) is fingerprinted again.
    private func settings(of expander: DirectiveExpander) -> (strings: String, macros: String) {
        lock.lock()
        defer { lock.unlock() }
        if let known = settingsByLanguage[expander.language], known.strings == expander.strings, known.macros == expander.macros {
            return known.fingerprints
        }
        let fingerprints = (fnv1a64Hex(DirectiveExpander.pairs(expander.strings, separator: "\u{2}").utf8),
                            fnv1a64Hex(DirectiveExpander.pairs(expander.macros, separator: "\u{2}").utf8))
        settingsByLanguage[expander.language] = (expander.strings, expander.macros, fingerprints)
        return fingerprints
    }

    private var settingsByLanguage: [String: (strings: [String: String], macros: [String: String], fingerprints: (strings: String, macros: String))] = [:]

    /// Fingerprint of the sources the named losses run: the shared code, each one's own file, and
    /// every file declaring a type those files name, transitively (a compound loss's parts).
    /// Kept on disk beside the shards (``fingerprintsFile``) under the fingerprint of the sources
    /// they are made from: finding them needs an index of every loss file's identifiers, a tenth of
    /// the CPU of a prose edit of a note with blocks, for a result that is the same for every
    /// process of one binary.
    func lossFingerprint(_ ids: [String]) -> String {
        lock.lock()
        if let known = fingerprints[ids] {
            lock.unlock()
            return known
        }
        if storedFingerprints == nil { storedFingerprints = readFingerprints() }
        if let stored = storedFingerprints?[Self.fingerprintName(ids)] {
            fingerprints[ids] = stored
            lock.unlock()
            return stored
        }
        lock.unlock()
        let fingerprint = computeFingerprint(ids)
        lock.lock()
        fingerprints[ids] = fingerprint
        fingerprintsFound = true
        lock.unlock()
        return fingerprint
    }

    private var fingerprints: [[String]: String] = [:]
    /// Those of ``fingerprintsFile`` (empty when it is of other sources, or cannot be read).
    private var storedFingerprints: [String: String]?
    /// Whether this process found fingerprints the file lacks.
    private var fingerprintsFound = false

    /// `loss-fingerprints`: a head naming the sources' fingerprint, then a line per list of ids
    /// (``fingerprintName(_:)``) and its fingerprint. Not a shard: pruning leaves it.
    private var fingerprintsFile: URL? { folder?.appendingPathComponent("loss-fingerprints") }
    private var fingerprintsHead: String { "lossbook loss fingerprints 1 \(sources.fingerprint)" }

    /// How a list of ids is named in ``fingerprintsFile`` (ids are letters, digits and `-`).
    static func fingerprintName(_ ids: [String]) -> String { ids.isEmpty ? "-" : ids.joined(separator: ",") }

    private func readFingerprints() -> [String: String] {
        guard let file = fingerprintsFile, let data = FileManager.default.contents(atPath: file.path) else { return [:] }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard lines.first.map(String.init) == fingerprintsHead else { return [:] }
        var stored: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, isHashName(String(parts[1])) else { return [:] }
            stored[String(parts[0])] = String(parts[1])
        }
        return stored
    }

    /// Writes the fingerprints of ``fingerprintsFile`` and those found since (the lock held).
    private func saveFingerprints() {
        guard fingerprintsFound, let file = fingerprintsFile else { return }
        var all = storedFingerprints ?? readFingerprints()
        for (ids, fingerprint) in fingerprints { all[Self.fingerprintName(ids)] = fingerprint }
        let text = ([fingerprintsHead] + all.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }).joined(separator: "\n") + "\n"
        try? Array(text.utf8).withUnsafeBytes { try SiteFile.renew($0, at: file.path) }
        storedFingerprints = all
        fingerprintsFound = false
    }

    /// The catalog ids a block's text names, in catalog order. Words are runs of ASCII letters,
    /// digits and `-` (ids are ASCII): any other character ends a word, so an id is never missed
    /// (`dice，focal` names both), read byte by byte.
    static func ids(in text: String) -> [String] {
        var words = Set<Substring>()
        var start: String.UTF8View.Index?
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            let inWord = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            if inWord, start == nil { start = index }
            if !inWord, let from = start { words.insert(Substring(utf8[from..<index])); start = nil }
            index = utf8.index(after: index)
        }
        if let from = start { words.insert(Substring(utf8[from..<utf8.endIndex])) }
        return Catalog.ids.filter { words.contains(Substring($0)) }
    }

    private func computeFingerprint(_ ids: [String]) -> String {
        var included = sharedFiles
        for id in ids { included.formUnion(files(for: id)) }
        let parts = included.sorted().map { "\($0)=\(sources.fileHashes[$0] ?? "")" }
        return fnv1a64Hex(Array(parts.joined(separator: "\n").utf8))
    }

    private var filesByID: [String: Set<String>] = [:]

    /// The shared core and distance code every loss runs, found once (a `contains` per file and
    /// folder bridges each path to `NSString`: it was paid for every new list of ids).
    private let sharedFiles: Set<String>

    private var neighboursByFile: [String: [String]] = [:]

    /// The files declaring a name that the file at `path` uses (`named`), found once per file: every
    /// loss's search passes through the shared files again.
    private func neighbours(of path: String, named: Set<String>) -> [String] {
        lock.lock()
        if let known = neighboursByFile[path] { lock.unlock(); return known }
        lock.unlock()
        var found = Set<String>()
        let declarers = sources.declarers
        for name in named { found.formUnion(declarers[name] ?? []) }
        let list = Array(found)
        lock.lock()
        neighboursByFile[path] = list
        lock.unlock()
        return list
    }

    /// The file declaring the loss's type and every file declaring a type it names, transitively.
    private func files(for id: String) -> Set<String> {
        lock.lock()
        if let known = filesByID[id] { lock.unlock(); return known }
        lock.unlock()
        guard let type = try? Catalog.type(for: id) else { return [] }
        let typeName = String(describing: type)
        var included = Set<String>()
        var frontier = sources.declarers[typeName] ?? []
        while let path = frontier.popLast() {
            // The catalog names every loss type: it is where a loss is listed, not code a loss runs.
            guard included.insert(path).inserted, !path.contains("/Catalog/"), let named = sources.identifiers[path] else { continue }
            frontier += neighbours(of: path, named: named).filter { !included.contains($0) }
        }
        lock.lock()
        filesByID[id] = included
        lock.unlock()
        return included
    }

    /// Writes the shards that gained entries. With `prune` (a build of the whole site), also
    /// rewrites the shards holding entries this build did not use, without them, and removes the
    /// shards none of its blocks fell into.
    /// - Parameter prune: drop what this build did not use (a whole-site build); a `serve`
    ///   rebuild that reused pages without running their blocks keeps everything.
    func save(prune: Bool = true) {
        lock.lock()
        defer { lock.unlock() }
        guard let folder else { return }
        let fm = FileManager.default
        var byShard: [Int: [String: Entry]] = [:]
        var stale: Set<Int> = []
        for (key, entry) in entries {
            let shard = Self.shard(key)
            if prune, !used.contains(key) { stale.insert(shard); continue }
            byShard[shard, default: [:]][key] = entry
        }
        let rewrite = Array(dirty.union(stale))
        dirty = []
        if fingerprintsFound {
            try? fm.createDirectory(at: folder, withIntermediateDirectories: true)
            saveFingerprints()
        }
        guard !rewrite.isEmpty || prune else { return }
        if let earlierFile { try? fm.removeItem(at: earlierFile) }
        try? fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let shards = byShard
        DispatchQueue.concurrentPerform(iterations: rewrite.count) { index in
            let file = Self.file(rewrite[index], in: folder)
            guard let kept = shards[rewrite[index]], !kept.isEmpty else { try? fm.removeItem(at: file); return }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            guard let data = try? encoder.encode(Stored(version: Self.version, entries: kept)) else { return }
            // Without `fsync`, as the render cache: a shard lost to a crash is blocks run again.
            try? data.withUnsafeBytes { try SiteFile.renew($0, at: file.path) }
        }
        guard prune else { return }
        // What was not used is gone from memory too (a `serve` session's next save would write it back).
        entries = entries.filter { used.contains($0.key) }
        // A shard no block fell into holds only entries no block asks for, and a temporary file
        // whose process is gone is what a process stopped while writing left (another build's,
        // still writing, is left to it); nothing else is removed.
        for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
            guard let shard = Self.shard(named: name), name.hasPrefix(".") ? SiteFile.isLeftOverTemporary(name) : !loaded[shard] else { continue }
            try? fm.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The shard a file of the folder is (`3a.json`), or was being written as (`.3a.json.lossbook-…`,
    /// ``SiteFile/renew(_:at:)-(UnsafeRawBufferPointer,_)``); nil for any other name.
    static func shard(named name: String) -> Int? { shardNumber(named: name, suffix: ".json") }
}
