import Foundation

/// `serve`'s writer after its first build: instead of staging the whole site and swapping it in,
/// it replaces in place only the files whose bytes changed since the session last wrote them
/// (each by a rename, so no reader sees half a file), copies only the assets whose source
/// changed, and removes the files the site no longer has. It runs only when the output folder is
/// still the one the session wrote (same inode and modification time); otherwise the build
/// writes the whole site the usual way (``SiteWriter``).
struct SiteUpdater: SiteSink {
    /// What the session last wrote: output-relative path → FNV-1a hash of the bytes (the theme's
    /// built-in assets) or source path, size and modification time (copied files).
    struct Written: Sendable {
        var output: String
        var files: [String: String]
        /// The text of each file made from text (pages, search index, sitemap): compared byte for
        /// byte with the next build's, which costs nothing for a page whose HTML the session kept.
        var texts: [String: String] = [:]
    }

    let output: URL
    /// `output`'s path, to which a file's path is joined as a string: `URL.appendingPathComponent`
    /// and `FileManager.fileExists`, asked for each of 4,000 unchanged pages, were a tenth of a
    /// `serve` rebuild's CPU after a prose edit at 2,000 pages per language.
    private let outputPath: String
    private let fm = FileManager.default
    private(set) var written: [String: String] = [:]
    private(set) var writtenTexts: [String: String] = [:]
    private let previous: [String: String]
    private let previousTexts: [String: String]

    /// Only notes what would be written (after a whole-site write, for the next update to compare with).
    private let recordOnly: Bool

    init(output: URL, previous: Written?) {
        self.output = OutputSafety.resolvedOutput(output)
        outputPath = self.output.path
        self.previous = previous?.files ?? [:]
        previousTexts = previous?.texts ?? [:]
        recordOnly = previous == nil
    }

    /// Only the files whose bytes changed (or that are missing) are written, in path order; every
    /// file is recorded. After a prose edit that is one or two of a site's 4,000 pages: sorting
    /// them all and recording them one by one were about 4 % of a `serve` rebuild's CPU samples
    /// at 2,000 pages per language.
    mutating func write(_ files: [String: String]) throws {
        // A file is looked for from the output folder's descriptor, not by its path from the root:
        // for the 4,000 unchanged pages of a prose edit at 2,000 pages per language, 5.0–7.5 ms
        // against 6.3–8.5 ms in a C loop of the same calls.
        let folder = open(outputPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if folder >= 0 { close(folder) } }
        let changed = files.filter { path, text in
            guard let last = previousTexts[path] else { return true }
            return !Self.sameBytes(last, text) || !exists(path, in: folder)
        }
        if files.count > writtenTexts.count {
            let earlier = writtenTexts
            writtenTexts = files
            writtenTexts.merge(earlier) { this, _ in this }
        } else {
            writtenTexts.merge(files) { _, this in this }
        }
        for (path, text) in changed.sorted(by: { $0.key < $1.key }) { try place(Data(text.utf8), at: path) }
    }

    /// Whether two texts have the same UTF-8 bytes (one `memcmp`; `==` would compare Unicode
    /// canonical equivalence, slowly, for non-ASCII text). A kept page's text is the very string
    /// the last build wrote: the same storage is the same bytes, not compared again.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.baseAddress == y.baseAddress || holdsBytes(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y), at: 0))
            }
        }
    }

    /// Whether the output folder has something at `path` (links followed, as `fileExists` does).
    private func exists(_ path: String) -> Bool { access(outputPath + "/" + path, F_OK) == 0 }

    /// ``exists(_:)``, looked up from `folder`, the output folder's descriptor (when it opened).
    private func exists(_ path: String, in folder: Int32) -> Bool {
        folder >= 0 ? faccessat(folder, path, F_OK, 0) == 0 : exists(path)
    }

    mutating func write(_ data: Data, to path: String) throws {
        let hash = fnv1a64Hex(data)
        written[path] = hash
        if previous[path] == hash, exists(path) { return }
        try place(data, at: path)
    }

    /// Copies a file or a folder's files (``SiteFiles/forEachFile(in:at:_:)``); a source whose
    /// size and modification time are those of the last build is not read.
    mutating func copy(_ source: URL, to path: String) throws {
        try SiteFiles.forEachFile(in: source, at: path) { file, path in
            var info = stat()
            guard stat(file.path, &info) == 0 else { return }
            let stamp = "copy \(file.path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            written[path] = stamp
            if recordOnly || (previous[path] == stamp && exists(path)) { return }
            try place(try SiteFiles.read(file), at: path)
        }
    }

    /// Removes what the last build wrote and this one did not (a deleted or renamed page).
    func removeLeftovers() {
        if recordOnly { return }
        for path in Set(previous.keys).union(previousTexts.keys) where written[path] == nil && writtenTexts[path] == nil {
            try? fm.removeItem(at: output.appendingPathComponent(path))
            // And the folders it leaves empty (a deleted page's), up to the site's root: `rmdir`
            // removes a folder only when it is empty, so one that holds anything else stays.
            var folder = Substring(path)
            while let parent = SitePath.parent(folder) {
                folder = parent
                guard rmdir(output.appendingPathComponent(String(folder)).path) == 0 else { break }
            }
        }
    }

    private func place(_ data: Data, at path: String) throws {
        if recordOnly { return }
        let url = output.appendingPathComponent(path)
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.withUnsafeBytes { try SiteFile.replace($0, at: url.path) }
    }
}
