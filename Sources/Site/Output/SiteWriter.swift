import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a whole site into a staging folder beside the output, then swaps it into place:
/// a failed build never leaves the previous site half-written.
///
/// The staging folder is the *spare* site when there is one: the site this build's predecessor
/// replaced, kept in the cache folder (``spareName``) instead of being removed. A build then
/// writes only the files that differ from it and removes what the new site no longer has, where
/// a fresh folder would take a `mkdir` per page and the replaced site's removal an `rmdir` per
/// page (at 2,000 pages per language, 12 % and 12 % of a prose edit's CPU samples, and on a disk
/// that discards freed blocks each `rmdir` waits for the disk). An unchanged file is the previous
/// site's own inode, hard-linked, in both, so the spare takes the space of its folders and of the
/// files that changed. Nothing in the spare is trusted: each of its files is compared with the
/// bytes it must hold (or is the very inode of the previous site's file that was compared).
///
/// Only a folder lossbook made is ever replaced: `OutputSafety` refuses the project, its
/// `content/` and `templates/` and any folder without lossbook's marker before a build starts.
/// A symlinked output keeps its link: the site is swapped in at the link's target.
struct SiteWriter: SiteSink {
    /// The folder that receives the site (the target when the output is a symlink).
    let output: URL
    let staging: URL
    /// The site being replaced, if any: files with the same bytes are hard-linked from it,
    /// so an unchanged file keeps its inode and modification time.
    private let previous: URL?
    /// `staging` and `previous` as paths, to which each file's path is joined (``place(_:at:)``).
    private let stagingPath: String, previousPath: String?
    /// Where the replaced site is kept for the next build (nil: it is removed).
    private let spare: URL?
    /// The paths placed into a staging folder that was the spare site (nil for a fresh folder):
    /// what else it holds is removed before the swap (``removeLeftovers()``).
    private let placed: PlacedPaths?
    /// The spare's entries, walked once when first asked for (nil for a fresh folder).
    private let listing: SpareListing?
    /// Whether ``listing`` is the one walked before the claim (``SpareListing/Early``).
    let listsEarlyWalk: Bool
    private let fm = FileManager.default
    /// The device and inode of a file of the previous site that the build found unchanged
    /// (``AssembledPages/keptFile(_:)``): ``keep(_:)`` takes them instead of looking again.
    var vouched: (@Sendable (String) -> (device: UInt64, inode: UInt64)?)?

    /// The spare site's folder in the cache folder.
    static let spareName = "spare-site"

    /// - Parameters:
    ///   - spare: where the replaced site is kept and the next build finds it (in the cache
    ///     folder; nil: the replaced site is removed, as without a cache).
    ///   - claimingSpare: `false` stages into a fresh folder even when there is a spare.
    ///   - early: the spare's listing, walked while the build made the site (``SpareListing/early(_:)``):
    ///     taken when the spare claimed is the folder it walked, unchanged since.
    init(output: URL, spare: URL? = nil, claimingSpare: Bool = true, early: Ahead<SpareListing.Early?>? = nil) throws {
        self.output = OutputSafety.resolvedOutput(output)
        let parent = self.output.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        staging = parent.appendingPathComponent(".\(self.output.lastPathComponent).staging-\(pid)")
        self.spare = spare
        SiteWriter.removeStale(beside: self.output)
        try? fm.removeItem(at: staging)
        // Looked at right before the claim: a spare renamed since the walk (claimed by another
        // build, or put back by one) has another change time.
        let walked = claimingSpare ? spare.flatMap { spare in early?.value.flatMap { $0.isCurrent(at: spare.path) ? $0 : nil } } : nil
        // Claimed by one rename: a concurrent build finds no spare and stages a fresh folder.
        if claimingSpare, let spare, rename(spare.path, staging.path) == 0 {
            if SiteFile.status(staging.appendingPathComponent(OutputSafety.marker).path).map({ $0.st_mode & S_IFMT == S_IFDIR }) == true {
                placed = PlacedPaths()
            } else {
                FolderRemoval.remove(staging)
                placed = nil
            }
        } else {
            placed = nil
        }
        // The folder claimed is the one walked (its claim is a rename: only its identity is compared).
        let claimed = staging.path
        var early: SpareListing.Walked?
        if placed != nil, let walked, walked.isCurrent(at: claimed, renamed: true) { early = walked.walked }
        if placed == nil {
            listing = nil
        } else if let early {
            listing = SpareListing(root: claimed, walked: early)
        } else {
            listing = SpareListing(root: claimed)
        }
        listsEarlyWalk = early != nil
        do {
            if placed == nil {
                try fm.createDirectory(at: staging, withIntermediateDirectories: true)
                // The marker is a folder (not a file) so that it adds no file to the site's listing.
                try fm.createDirectory(at: staging.appendingPathComponent(OutputSafety.marker), withIntermediateDirectories: false)
            }
        } catch {
            throw Diagnostic(SiteBuilder.displayPath(output), stage: .output, "cannot write the site: \(FileError.cause(error))")
        }
        var isDirectory: ObjCBool = false
        previous = fm.fileExists(atPath: self.output.path, isDirectory: &isDirectory) && isDirectory.boolValue ? self.output : nil
        stagingPath = staging.path
        previousPath = previous?.path
    }

    /// Whether the staging folder is the spare site of an earlier build.
    var reusesSpare: Bool { placed != nil }

    func write(_ text: String, to path: String) throws {
        try createFolder(of: path)
        try place(text, at: path)
    }

    /// Writes many files at once, concurrently, each job making its file's folder first: the
    /// ~4,000 page folders of a big site are made beside the files being written, not one after
    /// the other before any file (a serial `mkdir` loop was 4 % of a full rebuild's CPU samples
    /// at 2,000 pages per language, with one core idle).
    func write(_ files: [String: String]) throws {
        try write(files) { text, path in try place(text, at: path) }
    }

    /// Pages and site-wide files, each written from its slices or bytes (``PageFile``), not from one
    /// joined copy.
    func write(_ pages: [String: PageFile]) throws {
        try write(pages) { page, path in try page.withPieces { try place($0, at: path) } }
    }

    private func write<File: Sendable>(_ files: [String: File], _ place: @Sendable (File, String) throws -> Void) throws {
        let paths = files.keys.sorted()
        let failures = ConcurrentResults<Error>(count: paths.count)
        let walked = spareFolders
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            do {
                try makeFolder(of: paths[i], walked: walked)
                try place(files[paths[i]]!, paths[i])
            } catch {
                failures.set(i, error)
            }
        }
        for i in paths.indices { if let error = failures[i] { throw error } }
    }

    /// The staging folder that will hold `path`, with the parents it lacks: one `mkdir` when the
    /// parent is there (a page's folder), otherwise the parents first. Another job making the same
    /// folder at the same time is no failure (`EEXIST`). In a spare, a folder its walk did not go
    /// into (`walked`: ``spareFolders``) is made one part of the way at a time
    /// (``makeRealFolders(_:)``): what stands there may be a link, and a file written through it
    /// would land outside the site (and the link, not a folder to the walk, be removed as a leftover).
    private func makeFolder(of path: String, walked: [String: [SpareListing.Entry]]?) throws {
        guard let parent = SitePath.parent(path) else { return }
        let relative = String(parent)
        if placed != nil, walked?[relative] == nil { return try makeRealFolders(relative) }
        let folder = stagingPath + "/" + relative
        if mkdir(folder, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw SiteFile.failure(errno, folder) }
        try makeFolder(of: relative, walked: walked)
        if mkdir(folder, 0o755) != 0, errno != EEXIST { throw SiteFile.failure(errno, folder) }
    }

    /// The spare's folders as its walk found them (each a folder, never a link: the walk goes into
    /// folders only), once per batch of files; nil for a fresh staging folder.
    private var spareFolders: [String: [SpareListing.Entry]]? { placed == nil ? nil : listing?.walked.folders }

    /// Makes `relative` and each folder above it in a spare staging folder a folder: what is there
    /// and is not one (a link, perhaps out of the site; a file) is removed first. Other jobs doing
    /// the same at the same time are no failure.
    private func makeRealFolders(_ relative: String) throws {
        var folder = stagingPath
        for part in SitePath.parts(relative) {
            folder += "/" + part
            for _ in 0..<4 {
                var info = stat()
                if lstat(folder, &info) == 0 {
                    if info.st_mode & S_IFMT == S_IFDIR { break }
                    try Self.clear(folder)
                } else if errno != ENOENT {
                    throw SiteFile.failure(errno, folder)
                }
                if mkdir(folder, 0o755) != 0, errno != EEXIST { throw SiteFile.failure(errno, folder) }
            }
        }
    }

    func write(_ data: Data, to path: String) throws {
        try createFolder(of: path)
        try place(data, at: path)
    }

    /// The staging folder that will hold `path`, with its parents (in a spare, each a folder, not a link: ``makeRealFolders(_:)``).
    private func createFolder(of path: String) throws {
        if placed != nil {
            if let parent = SitePath.parent(path) { try makeRealFolders(String(parent)) }
            return
        }
        try fm.createDirectory(at: staging.appendingPathComponent(path).deletingLastPathComponent(), withIntermediateDirectories: true)
    }

    /// Writes `data` at `path` in the staging folder, or hard-links the previous site's file when
    /// it already holds exactly these bytes. No per-file `fsync`: the one swap at the end is
    /// what makes the new site appear whole or not at all.
    private func place(_ data: Data, at path: String) throws {
        try data.withUnsafeBytes { try place(UnsafeRawBufferPointer($0), at: path) }
    }

    /// A text's UTF-8 bytes, written from the string itself (a big page is not copied into a `Data` first).
    private func place(_ text: String, at path: String) throws {
        var text = text
        try text.withUTF8 { try place(UnsafeRawBufferPointer($0), at: path) }
    }

    /// Paths are joined as strings: `URL.appendingPathComponent` calls `stat` to learn whether the
    /// result is a folder, one system call per file for nothing.
    private func place(_ bytes: UnsafeRawBufferPointer, at path: String) throws {
        try place([bytes], at: path)
    }

    /// A file made of `pieces`, one after the other.
    private func place(_ pieces: [UnsafeRawBufferPointer], at path: String) throws {
        let target = stagingPath + "/" + path
        placed?.insert(path)
        if let previousPath {
            let old = previousPath + "/" + path
            let size = pieces.reduce(0) { $0 + $1.count }
            if let info = SiteFile.status(old), info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == size,
               Self.holds(old, pieces) {
                if placed != nil {
                    // The spare's file may already be this inode (unchanged in the last two builds).
                    if let kept = SiteFile.status(target), kept.st_ino == info.st_ino, kept.st_dev == info.st_dev { return }
                    try Self.clear(target)
                }
                if link(old, target) == 0 { return }
            }
        }
        if placed != nil {
            if let kept = SiteFile.status(target), kept.st_mode & S_IFMT == S_IFREG, Int(kept.st_size) == pieces.reduce(0, { $0 + $1.count }),
               Self.holds(target, pieces) {
                return
            }
            // Removed, not truncated: the spare's file may be the previous site's inode.
            try Self.clear(target)
        }
        if pieces.count == 1 { return try SiteFile.write(pieces[0], to: target) }
        try SiteFile.write(pieces, to: target)
    }

    /// Keeps the previous site's files at `paths` (``AssembledPages`` vouched for them: unchanged
    /// since the last build wrote them), hard-linked without being read; in a spare staging folder,
    /// a file that is already that inode is left as it is. The spare's inodes are taken from its
    /// listing (``SpareListing``), not from an `lstat` of each file: after a prose edit at 2,000
    /// pages per language, those 4,000 calls were most of this step's 4.6 % of the CPU samples.
    func keep(_ paths: Set<String>) throws {
        guard let previousPath else {
            guard paths.isEmpty else { throw SiteFile.failure(ENOENT, output.path) }
            return
        }
        let spare = listing?.walked
        placed?.insert(contentsOf: paths)
        // The files the spare already holds as the previous site's inode, left out here, one
        // lookup each on this thread: dispatched with the others, 4,000 such lookups after a prose
        // edit took the vouching lock from two threads at once.
        var toLink: [(path: String, file: (device: UInt64, inode: UInt64)?)] = []
        for path in paths {
            // The file as the build found it (a file replaced since is linked as it is now, as
            // when it is replaced between this look and the swap).
            let file = vouched?(path)
            if let file, let spare, spare.device == file.device, spare.files[path] == file.inode { continue }
            toLink.append((path, file))
        }
        let linked = toLink
        let walked = spareFolders
        let failures = ConcurrentResults<Error>(count: linked.count)
        DispatchQueue.concurrentPerform(iterations: linked.count) { i in
            let (path, file) = linked[i]
            let old = previousPath + "/" + path, target = stagingPath + "/" + path
            do {
                guard let file = file ?? SiteFile.status(old).map({ (UInt64($0.st_dev), UInt64($0.st_ino)) }) else {
                    throw SiteFile.failure(ENOENT, old)
                }
                if placed != nil {
                    if let kept = SiteFile.status(target), UInt64(kept.st_ino) == file.inode, UInt64(kept.st_dev) == file.device { return }
                    try Self.clear(target)
                }
                try makeFolder(of: path, walked: walked)
                if link(old, target) == 0 { return }
                // A file system without hard links (or a full link count): the same bytes, copied.
                let code = errno
                guard let bytes = SiteFile.contents(of: old) else { throw SiteFile.failure(code, target) }
                try bytes.withUnsafeBytes { try SiteFile.write($0, to: target) }
            } catch {
                failures.set(i, error)
            }
        }
        for i in linked.indices { if let error = failures[i] { throw error } }
    }

    /// Removes what a spare site holds at `path` (a file, a link or a folder), if anything.
    private static func clear(_ path: String) throws {
        if unlink(path) == 0 || errno == ENOENT { return }
        guard errno == EISDIR || errno == EPERM else { throw SiteFile.failure(errno, path) }
        FolderRemoval.removeTree(path)
    }

    /// Removes from a spare site the files this build did not place, and the folders left empty
    /// (a page deleted or renamed since the spare was the site), as its listing shows them
    /// (``SpareListing``): what the build placed since is all in `placed`, or a folder of it.
    func removeLeftovers() {
        guard let placed, let listing else { return }
        let paths = placed.paths
        var folders: Set<Substring> = []
        for path in paths {
            var folder = Substring(path)
            while let parent = SitePath.parent(folder) {
                guard folders.insert(parent).inserted else { break }
                folder = parent
            }
        }
        listing.remove(keeping: paths, folders: folders)
    }

    /// Copies a file, or a folder's files recursively (``SiteFiles/forEachFile(in:at:_:)``).
    func copy(_ source: URL, to path: String) throws {
        try SiteFiles.forEachFile(in: source, at: path) { file, path in try write(try SiteFiles.read(file), to: path) }
    }

    /// Replaces the output folder by the staged one in one step: `renameat2(RENAME_EXCHANGE)`
    /// on Linux, two renames where the file system does not support it. Then makes the swap
    /// durable (`fsync` of the parent folder) and keeps the previous site as the spare, or removes it.
    func commit() throws {
        removeLeftovers()
        let parent = output.deletingLastPathComponent()
        let old = parent.appendingPathComponent(".\(output.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
        var replaced: URL?
        if fm.fileExists(atPath: output.path) {
            if Self.exchange(staging.path, output.path) {
                // `staging` now holds the previous site.
                replaced = staging
            } else {
                try fm.moveItem(at: output, to: old)
                do {
                    try fm.moveItem(at: staging, to: output)
                } catch {
                    try? fm.moveItem(at: old, to: output)
                    throw error
                }
                replaced = old
            }
        } else {
            try fm.moveItem(at: staging, to: output)
        }
        Self.syncFolder(parent.path)
        if let replaced {
            // A rename fails when the spare is on another file system, or a concurrent build kept one.
            if let spare, (try? fm.createDirectory(at: spare.deletingLastPathComponent(), withIntermediateDirectories: true)) != nil,
               rename(replaced.path, spare.path) == 0 {
                return
            }
            if replaced == staging { try? fm.moveItem(at: staging, to: old) }
            FolderRemoval.remove(old)
        }
        try? fm.removeItem(at: staging)
    }

    /// Drops the staged folder (after a failure).
    func discard() {
        FolderRemoval.remove(staging)
    }

    // MARK: - Implementation details

    /// Whether the file at `path` holds exactly `bytes`, read a block at a time: a big page's
    /// previous version is compared without being loaded whole.
    static func holds(_ path: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        holds(path, [bytes])
    }

    /// Whether the file at `path` holds exactly `pieces`, one after the other (a ``PageFile``'s
    /// slices), read a block at a time and compared with the pieces it spans.
    static func holds(_ path: String, _ pieces: [UnsafeRawBufferPointer]) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let block = 1 << 16
        // Not cleared first (`read` fills what is compared): clearing 64 KB for each of 4,000 pages
        // was 2 % of the instructions of a build that renders them all.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 16)
        defer { buffer.deallocate() }
        // The next byte to compare: `offset` into `pieces[piece]`.
        var piece = 0, offset = 0
        while true {
            let n = read(fd, buffer.baseAddress!, block)
            if n < 0, errno == EINTR { continue }
            if n <= 0 {
                while piece < pieces.count, offset == pieces[piece].count { piece += 1; offset = 0 }
                return n == 0 && piece == pieces.count
            }
            var compared = 0
            while compared < n {
                while piece < pieces.count, offset == pieces[piece].count { piece += 1; offset = 0 }
                guard piece < pieces.count else { return false }
                let length = min(n - compared, pieces[piece].count - offset)
                guard memcmp(buffer.baseAddress! + compared, pieces[piece].baseAddress! + offset, length) == 0 else { return false }
                compared += length
                offset += length
            }
        }
    }

    /// Swaps two paths atomically; `false` where the kernel or file system cannot.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let renameat2 = cFunction("renameat2", as: RenameAt2.self) else { return false }
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
        return false
        #endif
    }

    private static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Removes `.NAME.staging-PID` and `.NAME.old-PID` folders left by builds that were killed
    /// (their process is gone); a concurrent build's folders are left alone.
    static func removeStale(beside output: URL) {
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries {
            for kind in [".staging-", ".old-"] {
                let prefix = ".\(name)\(kind)"
                guard entry.hasPrefix(prefix), let pid = Int32(entry.dropFirst(prefix.count)), pid > 0 else { continue }
                guard pid == ProcessInfo.processInfo.processIdentifier || (kill(pid, 0) != 0 && errno == ESRCH) else { continue }
                FolderRemoval.remove(parent.appendingPathComponent(entry))
            }
        }
    }
}

/// The paths a build placed into a reused staging folder, from several threads.
final class PlacedPaths: @unchecked Sendable {
    private let lock = NSLock()
    private var set: Set<String> = []
    func insert(_ path: String) { lock.withLock { _ = set.insert(path) } }
    func insert(contentsOf paths: some Sequence<String>) { lock.withLock { set.formUnion(paths) } }
    var paths: Set<String> { lock.withLock { set } }
}

/// A spare staging folder's entries as one walk found them, each with its inode number (`d_ino`),
/// walked the first time ``walked`` is asked for. ``SiteWriter/keep(_:)`` compares a kept file's
/// inode with the spare's from it, and ``SiteWriter/removeLeftovers()`` removes from it what the
/// build did not place, instead of walking the folder again.
///
/// Each folder is opened through its parent's descriptor (`openat`): looked up from the root, path
/// by path, the 4,000 page folders' opens were a third of the walk's samples at 2,000 pages per
/// language. A link is never followed: only a folder itself is walked into. The folders at the top
/// (a site's languages, thousands of page folders each) are walked at once, one a core.
final class SpareListing: @unchecked Sendable {
    struct Entry: Sendable {
        let name: String
        let isFolder: Bool
        let inode: UInt64
    }

    struct Walked: Sendable {
        /// The staging folder's device.
        let device: UInt64
        /// Each folder's entries, by its path in the site ("" for the top).
        let folders: [String: [Entry]]
        /// Each file's (or link's) inode, by its path in the site.
        let files: [String: UInt64]
    }

    let root: String
    private let lock = NSLock()
    private var found: Walked?

    init(root: String) { self.root = root }

    /// The listing of the folder now at `root`, walked before it was moved there (``Early``).
    init(root: String, walked: Walked) {
        self.root = root
        found = walked
    }

    var walked: Walked {
        lock.withLock {
            if let found { return found }
            found = Self.walk(root)
            return found!
        }
    }

    private static func walk(_ root: String) -> Walked {
        var device: UInt64 = 0
        if let info = SiteFile.status(root) { device = UInt64(info.st_dev) }
        var folders: [String: [Entry]] = [:]
        withListingBuffer { walk(open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), "", into: &folders, buffer: $0) }
        var files: [String: UInt64] = [:]
        files.reserveCapacity(folders.count)
        for (folder, entries) in folders {
            for entry in entries where !entry.isFolder { files[folder.isEmpty ? entry.name : folder + "/" + entry.name] = entry.inode }
        }
        return Walked(device: device, folders: folders, files: files)
    }

    /// A spare walked before the write stage claims it, on its own thread while the build makes the
    /// site: after a prose edit at 2,000 pages per language, walking the spare's 4,000 folders once
    /// claimed took 19–25 ms of the write stage's 36–48 ms. The listing is the claimed folder's when
    /// that folder is the one walked (its device and inode) and was not renamed since the walk
    /// began (its change time: a rename sets it), so neither another build's claim nor its return
    /// as a later build's spare is mistaken for it. What is changed inside the spare meanwhile is
    /// another process working in the cache folder, as it could between the claim and a walk.
    struct Early: Sendable {
        let device: UInt64, inode: UInt64, changed: Int64
        let walked: Walked

        /// Whether the folder at `path` is the one walked, unchanged since: `renamed` once this
        /// build's own claim moved it (which sets its change time).
        func isCurrent(at path: String, renamed: Bool = false) -> Bool {
            guard let info = SiteFile.status(path), info.st_mode & S_IFMT == S_IFDIR,
                  UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else { return false }
            return renamed || InputIndex.nanoseconds(info.st_ctim) == changed
        }
    }

    /// Walks `spare` now (nil when there is none), its identity taken first.
    static func early(_ spare: URL) -> Early? {
        guard let info = SiteFile.status(spare.path), info.st_mode & S_IFMT == S_IFDIR else { return nil }
        let walked = walk(spare.path)
        return Early(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), changed: InputIndex.nanoseconds(info.st_ctim), walked: walked)
    }

    /// Removes what the listing shows that is not in `paths` (files) or `folders`; the marker stays.
    func remove(keeping paths: Set<String>, folders: Set<Substring>) {
        let listed = walked.folders
        func visit(_ relative: String) {
            for entry in listed[relative] ?? [] {
                if relative.isEmpty, entry.name == OutputSafety.marker { continue }
                let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
                if folders.contains(Substring(path)) {
                    // A folder of the new site: one the walk found is visited; what was not a
                    // folder (a link, a file) the build already replaced by one, and filled.
                    if entry.isFolder { visit(path) }
                } else if !paths.contains(path) {
                    if entry.isFolder { FolderRemoval.removeTree(root + "/" + path) } else { unlink(root + "/" + path) }
                }
            }
        }
        visit("")
    }

    /// Lends `body` a buffer for ``SiteFile/entries(ofFolder:buffer:)``: one for the folders a walk
    /// goes through one after the other (the top, then each top folder's tree on its own job), not
    /// one a folder (allocated and freed 4,000 times, the heaps grew and shrank).
    private static func withListingBuffer<T>(_ body: (UnsafeMutableRawBufferPointer) -> T) -> T {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 << 10, alignment: 8)
        defer { buffer.deallocate() }
        return body(buffer)
    }

    /// Lists the folder open at `fd` (closed here), `relative` in the site, and the folders in it.
    private static func walk(_ fd: Int32, _ relative: String, into folders: inout [String: [Entry]], buffer: UnsafeMutableRawBufferPointer) {
        guard fd >= 0 else { return }
        defer { close(fd) }
        let entries = SiteFile.entries(ofFolder: fd, buffer: buffer).map { name, type, inode in
            var isFolder = type == UInt8(DT_DIR)
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isFolder = fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            return Entry(name: name, isFolder: isFolder, inode: inode)
        }
        folders[relative] = entries
        let inside = entries.filter(\.isFolder).map(\.name)
        @Sendable func path(_ name: String) -> String { relative.isEmpty ? name : relative + "/" + name }
        @Sendable func openFolder(_ name: String) -> Int32 { openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard relative.isEmpty, inside.count > 1 else {
            for name in inside { walk(openFolder(name), path(name), into: &folders, buffer: buffer) }
            return
        }
        let found = ConcurrentResults<[String: [Entry]]>(count: inside.count)
        DispatchQueue.concurrentPerform(iterations: inside.count) { index in
            var mine: [String: [Entry]] = [:]
            withListingBuffer { walk(openFolder(inside[index]), path(inside[index]), into: &mine, buffer: $0) }
            found.set(index, mine)
        }
        for index in inside.indices { folders.merge(found[index] ?? [:]) { first, _ in first } }
    }
}
