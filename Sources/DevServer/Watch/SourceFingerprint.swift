import Foundation
#if canImport(Glibc)
import Glibc
#endif
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
                // One lstat a file, every tick: no attribute dictionary or Date to build.
                var info = stat()
                guard lstat(full, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
                files[full] = "\(info.st_size)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
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
