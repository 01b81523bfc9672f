import Foundation

/// A check whose result depends only on what its key names (catalog formulas, gradient formulas)
/// remembers a passing run on disk, `{"key": …, "entries": […]}`; a failing run is never stored,
/// so a failure is always computed again and reported.
enum PassingRunCache {
    private struct Stored<Entry: Codable>: Codable {
        var key: String
        var entries: [Entry]
    }

    /// The entries stored under `key`, or nil (no file, another key, unreadable).
    static func load<Entry: Codable>(_ file: URL?, key: String) -> [Entry]? {
        guard let file, let data = try? Data(contentsOf: file),
              let stored = try? JSONDecoder().decode(Stored<Entry>.self, from: data), stored.key == key else { return nil }
        return stored.entries
    }

    /// Stores a passing run (best effort: a cache that cannot be written only costs time).
    static func save<Entry: Codable>(_ entries: [Entry], key: String, to file: URL?) {
        guard let file else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(Stored(key: key, entries: entries)) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: file, options: .atomic)
    }
}
