import Foundation

/// Writes a whole site into a fresh folder beside the output, then swaps it into place:
/// a failed build never leaves the previous site half-written.
struct SiteWriter {
    let output: URL
    let staging: URL
    private let fm = FileManager.default

    init(output: URL) throws {
        self.output = output.standardizedFileURL
        let parent = self.output.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".\(self.output.lastPathComponent).staging-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes many files at once: folders first, then the files concurrently.
    func write(_ files: [String: String]) throws {
        let paths = files.keys.sorted()
        for folder in Set(paths.map { (($0 as NSString).deletingLastPathComponent) }).sorted() where !folder.isEmpty {
            try fm.createDirectory(at: staging.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let failures = ConcurrentResults<Error>(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            do {
                try Data(files[paths[i]]!.utf8).write(to: staging.appendingPathComponent(paths[i]))
            } catch {
                failures.set(i, error)
            }
        }
        for i in paths.indices { if let error = failures[i] { throw error } }
    }

    func write(_ data: Data, to path: String) throws {
        let url = staging.appendingPathComponent(path)
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Copies a file, or a folder's files recursively (links followed).
    func copy(_ source: URL, to path: String) throws {
        let resolved = source.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue {
            for name in try fm.contentsOfDirectory(atPath: resolved.path).sorted() where !name.hasPrefix(".") {
                try copy(resolved.appendingPathComponent(name), to: "\(path)/\(name)")
            }
        } else {
            try write(try Data(contentsOf: resolved), to: path)
        }
    }

    /// Replaces the output folder by the staged one.
    func commit() throws {
        let old = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
        if fm.fileExists(atPath: output.path) {
            try fm.moveItem(at: output, to: old)
        }
        do {
            try fm.moveItem(at: staging, to: output)
        } catch {
            if fm.fileExists(atPath: old.path) { try? fm.moveItem(at: old, to: output) }
            throw error
        }
        try? fm.removeItem(at: old)
    }

    /// Drops the staged folder (after a failure).
    func discard() {
        try? fm.removeItem(at: staging)
    }
}
