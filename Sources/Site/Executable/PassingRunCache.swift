import Foundation

/// A check whose result depends only on what its key names (catalog formulas, gradient formulas)
/// remembers a passing run on disk, its key and entries in ``CompactCoding``'s form; a failing run
/// is never stored, so a failure is always computed again and reported. (They were JSON, which
/// `JSONDecoder` read in 19 M instructions a build, 8 % of a prose edit of this repository.)
///
/// Each key has a file of its own beside the one named (``slot(_:key:)``), and the most recently
/// written ``keptRuns`` are kept: the per-user folder serves every binary of its user (two
/// checkouts, a debug and a release build, the benchmarks' old and new binaries). With one file
/// for all, two binaries used in turn each checked the catalog again at every build (a prose edit
/// in this repository 0.5 s → 5 s, `scripts/bench/prose-edit.sh OLD NEW`).
enum PassingRunCache {
    /// How many keys' runs are kept per check.
    static let keptRuns = 8

    /// What a run's file holds: the key it was made under, then the run (``CompactCoding``'s form).
    /// ``KeptBetweenBuilds`` keeps its values in the same form.
    private struct Kept<Value: Encodable>: Encodable {
        var key: String
        var value: Value
    }

    /// The entries stored under `key`, each read by `entry` as its `Encodable` conformance wrote it,
    /// or nil (no file, another key, unreadable).
    static func load<Entry>(_ file: URL?, key: String, entry: (inout CompactReader) throws -> Entry) -> [Entry]? {
        guard let file else { return nil }
        return read(slot(file, key: key).path, key: key) { try $0.array(entry) }
    }

    /// Stores a passing run (best effort: a cache that cannot be written only costs time).
    static func save<Entry: Encodable>(_ entries: [Entry], key: String, to file: URL?) {
        guard let file else { return }
        write(entries, key: key, to: slot(file, key: key).path, runsOf: file)
    }

    /// The value of the file at `path`, read by `read`, when the file is a whole ``Kept`` of `key`;
    /// else nil (no file, another key, bytes cut short or left over).
    static func read<Value>(_ path: String, key: String, _ read: (inout CompactReader) throws -> Value) -> Value? {
        guard let bytes = SiteFile.contents(of: path) else { return nil }
        return bytes.withUnsafeBytes { raw in
            var reader = CompactReader(raw)
            let value = try? reader.keyed { reader -> Value? in
                try reader.key("key")
                guard try reader.string(equals: key) else { return nil }
                try reader.key("value")
                return try read(&reader)
            }
            return reader.isAtEnd ? value ?? nil : nil
        }
    }

    /// Writes `value` as a ``Kept`` of `key` to `path`, a run of `file` (``slot(_:key:)``), then
    /// prunes `file`'s runs (``prune(_:removingEarlierFile:)``). Best effort: a run that cannot be
    /// written is made again.
    static func write<Value: Encodable>(_ value: Value, key: String, to path: String, runsOf file: URL,
                                        removingEarlierFile: Bool = true) {
        guard let bytes = try? CompactCoding.encode(Kept(key: key, value: value)) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Without Foundation's `.atomic`, which `fsync`s: a run lost to a crash is checked again.
        try? bytes.withUnsafeBytes { try SiteFile.renew($0, at: path) }
        prune(file, removingEarlierFile: removingEarlierFile)
    }

    /// The file of `key`'s run: `file`'s name with `-key` before its extension, beside it.
    static func slot(_ file: URL, key: String) -> URL {
        let suffix = file.pathExtension.isEmpty ? "" : "." + file.pathExtension
        return file.deletingLastPathComponent().appendingPathComponent(file.deletingPathExtension().lastPathComponent + "-" + key + suffix)
    }

    /// Whether `name` is the name of a run of `file` (``slot(_:key:)``): its name, `-`, a key (a
    /// hash), its extension.
    static func isRun(_ name: String, of file: URL) -> Bool {
        let prefix = file.deletingPathExtension().lastPathComponent + "-"
        let suffix = file.pathExtension.isEmpty ? "" : "." + file.pathExtension
        return name.hasPrefix(prefix) && name.hasSuffix(suffix) && isHashName(String(name.dropFirst(prefix.count).dropLast(suffix.count)))
    }

    /// Removes all but the ``keptRuns`` most recently written runs of `file`, and `file` itself
    /// (where earlier binaries kept their one run) unless `removingEarlierFile` is false (a kind of
    /// run no binary kept so). A run's file is named by its key (a hash): a file that only starts
    /// like one is not lossbook's (the theme's runs are in the project's cache folder, beside what
    /// a user may put there).
    static func prune(_ file: URL, removingEarlierFile: Bool = true) {
        let folder = file.deletingLastPathComponent().path
        if removingEarlierFile { try? FileManager.default.removeItem(at: file) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let runs = names.filter { isRun($0, of: file) }.compactMap { name in
            SiteFile.status(folder + "/" + name).map { (name, Int64($0.st_mtim.tv_sec) * 1_000_000_000 + Int64($0.st_mtim.tv_nsec)) }
        }
        for (name, _) in runs.sorted(by: { ($0.1, $0.0) > ($1.1, $1.0) }).dropFirst(keptRuns) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        // A run's temporary file (``SiteFile/renew(_:at:)-(UnsafeRawBufferPointer,_)``) left by a
        // process stopped while it wrote.
        for name in names where SiteFile.isLeftOverTemporary(name) {
            guard let target = SiteFile.temporaryParts(name)?.target, isRun(String(target), of: file) else { continue }
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }
}
