import Foundation

/// Rendered formulas and highlighted code, kept on disk between builds.
///
/// One JSON file keyed by the request's content (so equal content always hits) and stamped
/// with the tools' fingerprint (KaTeX and highlight.js versions, macros, helper script): a
/// different fingerprint starts an empty cache. Safe to delete at any time.
struct RenderCache {
    private struct Stored: Codable {
        var fingerprint: String
        var entries: [String: RenderResult]
    }

    let file: URL?
    let fingerprint: String
    private(set) var entries: [String: RenderResult] = [:]
    private var changed = false

    init(file: URL?, fingerprint: String) {
        self.file = file
        self.fingerprint = fingerprint
        if let file, let data = try? Data(contentsOf: file),
           let stored = try? JSONDecoder().decode(Stored.self, from: data), stored.fingerprint == fingerprint {
            entries = stored.entries
        }
    }

    subscript(request: RenderRequest) -> RenderResult? { entries[request.key] }

    /// Renders what the cache lacks (one helper process at most) and remembers it.
    /// Errors are not cached, so a fixed formula is tried again.
    /// - Returns: the helper processes started: 0 when everything was cached, else 1.
    @discardableResult
    mutating func resolve(_ requests: Set<RenderRequest>, tools: RenderTools, macros: [String: String]) throws -> Int {
        let missing = requests.filter { entries[$0.key] == nil }.sorted { $0.key < $1.key }
        guard !missing.isEmpty else { return 0 }
        let results = try RenderHelper.render(missing, tools: tools, macros: macros)
        for (request, result) in zip(missing, results) {
            entries[request.key] = result
            if case .error = result { continue }
            changed = true
        }
        return 1
    }

    /// Writes the cache if anything new was rendered (errors left out).
    func save() {
        guard changed, let file else { return }
        let kept = entries.filter { if case .error = $0.value { return false }; return true }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(Stored(fingerprint: fingerprint, entries: kept)) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: file, options: .atomic)
    }
}
