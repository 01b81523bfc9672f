import Foundation
import Site

/// Paths, sizes and modification times of every file below some folders: a change to any note,
/// template, asset or loss source changes it. Names the build ignores (hidden files, editor
/// backups, an atomic save's temporary file) are ignored here too: they start no rebuild.
struct SourceFingerprint: Equatable, Sendable {
    var files: [String: String]

    init(_ folders: [String]) {
        var files: [String: String] = [:]
        for folder in folders {
            guard let enumerator = FileManager.default.enumerator(atPath: folder) else { continue }
            for case let path as String in enumerator {
                if ContentTree.isIgnored((path as NSString).lastPathComponent) {
                    enumerator.skipDescendants()
                    continue
                }
                let full = "\(folder)/\(path)"
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: full),
                      attributes[.type] as? FileAttributeType != .typeDirectory else { continue }
                files[full] = "\(attributes[.size] ?? 0)|\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
            }
        }
        self.files = files
    }

    init(files: [String: String]) { self.files = files }

    /// Files added, removed or changed since `earlier`, sorted.
    func changes(since earlier: SourceFingerprint) -> [String] {
        let keys = Set(files.keys).union(earlier.files.keys)
        return keys.filter { files[$0] != earlier.files[$0] }.sorted()
    }
}
