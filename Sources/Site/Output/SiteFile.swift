import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// One output file's bytes onto disk: `open`, `write`, `close`, nothing else.
///
/// Foundation's `Data.write(to:)` calls `fsync` on every file it writes (on Linux, swift-foundation
/// 6), which made the write stage wait for the disk once per page: 1,034 `fsync`s and 1.6 s of a
/// 500-pages-per-language build (`strace -f -c -w`). A site needs no per-file sync: ``SiteWriter``
/// swaps the whole folder in with one rename and syncs the parent folder, and `serve`'s
/// ``SiteUpdater`` renames each file into place, so no reader sees half a file either way.
public enum SiteFile {
    /// Creates or truncates the file at `path` (mode 0666 less the umask, as Foundation's write) and writes `bytes`.
    /// - Throws: an `NSPOSIXErrorDomain` error carrying `path`, which ``FileError/cause(_:)`` prints as `path: reason`.
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw failure(errno, path) }
        if let code = writeAll(bytes, to: fd) {
            close(fd)
            throw failure(code, path)
        }
        // Some file systems (NFS, a full quota) report a failed write only here.
        guard close(fd) == 0 else { throw failure(errno, path) }
    }

    /// Writes all of `bytes` to the open descriptor `fd` (again after a short write or `EINTR`);
    /// the `errno` of a write that failed, else nil.
    @discardableResult
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }

    /// The entries of an open folder listing (`opendir`), `.` and `..` left out, read to its end
    /// before the caller changes the folder: each name with its `d_type` (`DT_UNKNOWN` where the
    /// file system does not say) and its inode number (`d_ino`, the `st_ino` its `lstat` gives on
    /// the file systems this runs on; where one differs, a caller that compares it finds no match).
    public static func entries(of listing: OpaquePointer) -> [(name: String, type: UInt8, inode: UInt64)] {
        var entries: [(name: String, type: UInt8, inode: UInt64)] = []
        while let entry = readdir(listing) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard name != ".", name != ".." else { continue }
            entries.append((name, entry.pointee.d_type, UInt64(entry.pointee.d_ino)))
        }
        return entries
    }

    /// ``entries(of:)`` of the folder open at `fd` (left open), read with `getdents64` into one
    /// buffer: `fdopendir` takes an `fstat` and two `fcntl` calls a folder, 12,000 of the 50,000
    /// system calls of a prose edit at 2,000 pages per language, whose spare has 4,000 page folders
    /// (``SpareListing``). Where the C library has no `getdents64`, through `fdopendir` of a copy of `fd`.
    /// Reads from the descriptor's position to the end of the folder, once (as `readdir` does).
    /// - Parameter buffer: where the records are read (a walk of many folders lends one to all of
    ///   them), at least 512 bytes (a record is at most 280); nil: one of 32 KB is made for the call.
    static func entries(ofFolder fd: Int32, buffer given: UnsafeMutableRawBufferPointer? = nil) -> [(name: String, type: UInt8, inode: UInt64)] {
        guard let getdents64 else { return entriesThroughReaddir(ofFolder: fd) }
        precondition(given.map { $0.count >= 512 } ?? true, "a listing buffer holds at least one record")
        var entries: [(name: String, type: UInt8, inode: UInt64)] = []
        let own = given == nil ? UnsafeMutableRawBufferPointer.allocate(byteCount: 32 << 10, alignment: 8) : nil
        defer { own?.deallocate() }
        let buffer = (given ?? own)!.baseAddress!, size = (given ?? own)!.count
        while true {
            let count = getdents64(fd, buffer, size)
            if count < 0, errno == EINTR { continue }
            // The end, or an error (which ends a `readdir` listing too).
            guard count > 0 else { return entries }
            // Each record (`struct linux_dirent64`): the inode (8 bytes), an offset (8), the
            // record's length (2), the type (1), then the name, ended by a NUL.
            var offset = 0
            while offset < count {
                let record = buffer + offset
                let length = Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                guard length > 19, offset + length <= count else { return entries }
                // The name's bytes up to its NUL, read as raw bytes (repaired as `String(cString:)` repairs).
                let start = record + 19, end = memchr(start, 0, length - 19).map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(record + length)
                let name = String(decoding: UnsafeRawBufferPointer(start: start, count: end - UnsafeRawPointer(start)), as: UTF8.self)
                if name != ".", name != ".." {
                    entries.append((name, record.load(fromByteOffset: 18, as: UInt8.self), record.loadUnaligned(as: UInt64.self)))
                }
                offset += length
            }
        }
    }

    /// ``entries(ofFolder:buffer:)`` where the C library has no `getdents64`: through `fdopendir` of a
    /// copy of `fd` (which shares its position).
    static func entriesThroughReaddir(ofFolder fd: Int32) -> [(name: String, type: UInt8, inode: UInt64)] {
        let copy = dup(fd)
        guard copy >= 0, let listing = fdopendir(copy) else { if copy >= 0 { close(copy) }; return [] }
        defer { closedir(listing) }
        return entries(of: listing)
    }

    /// glibc's `getdents64` (2.30 on), which Swift's Glibc module does not show.
    private static let getdents64 = cFunction("getdents64", as: (@convention(c) (Int32, UnsafeMutableRawPointer?, Int) -> Int).self)

    static func write(_ data: Data, to path: String) throws {
        try data.withUnsafeBytes { try write($0, to: path) }
    }

    /// Writes `bytes` beside `path` (`.NAME.lossbook-PID`) and renames that over `path`: a reader
    /// sees the old file or the new one, never part of one. No `fsync`: what this replaces (a
    /// served page) is made again if a crash loses it. The temporary file is removed when the
    /// write or the rename fails. A file of the cache folder is written with ``renew(_:at:)-(UnsafeRawBufferPointer,_)``.
    static func replace(_ bytes: UnsafeRawBufferPointer, at path: String) throws {
        try replace(at: path) { try write(bytes, to: $0) }
    }

    /// ``replace(_:at:)`` with a file made of `pieces`, one after the other (one `writev`, not a joined copy).
    static func replace(_ pieces: [UnsafeRawBufferPointer], at path: String) throws {
        try replace(at: path) { try write(pieces, to: $0) }
    }

    /// Writes a file of the cache folder anew: `bytes` beside `path` (as ``replace(_:at:)``), the old
    /// file removed, and the new one renamed to its name. A reader sees the old file, the new one or
    /// none, never part of one; every reader of these files checks what it reads, and takes none
    /// as a cache miss (a kept page's HTML or draft, read back from a memo file another build
    /// renews meanwhile, is looked for once more: ``KeptHTML/readBack(_:_:samePage:)``).
    ///
    /// Why not renamed over the old file: on ext4 (whose `auto_da_alloc`, on by default, takes a
    /// rename over a file as an application replacing it for safety), the rename allocates the new
    /// file's blocks and starts writing them out at once, in the build's own system call, and two
    /// such renames into one folder wait on each other's lock. A build that writes the 4,000 page
    /// memo files of a 2,000-page-per-language corpus (a new binary's first build) spent 755–996 ms
    /// in `save` against 508–623 ms with the old files removed first, 1.85–2.38 s in all against
    /// 1.57–1.98 (five alternated rounds on ext4, `scripts/bench/HISTORY.md`, "Stop 61"). Removed
    /// first, the data is written out later by the kernel's flusher, as for any new file.
    static func renew(_ bytes: UnsafeRawBufferPointer, at path: String) throws {
        try replace(at: path, removingFirst: true) { try write(bytes, to: $0) }
    }

    /// ``renew(_:at:)-(UnsafeRawBufferPointer,_)`` with a file made of `pieces`, one after the other.
    /// - Parameter existing: `false` when the caller knows there was no file at `path` (its folder's
    ///   listing did not hold it): the file is then created at its name (`O_EXCL`) and written there,
    ///   with no temporary file, no rename and nothing removed first. Each `unlink`, even of a name
    ///   that is not there, and each `rename` take the folder's lock for writing, and the two threads
    ///   of a build that wrote a page memo folder anew waited on each other's: a build with every
    ///   page rendered again at 2,000 pages per language on ext4 spent a median 204 ms in `save`
    ///   this way against 255 ms with a temporary file and a rename each, and 0.78 s of system time
    ///   against 0.85 s (eight alternated rounds, `scripts/bench/HISTORY.md`, "Stop 68"). A reader may then find part
    ///   of a file at a name that held none; the one caller, ``PageMemo``, refuses a file shorter
    ///   than its head's lengths (a miss, as for a file cut short by a crash). A file put there
    ///   since (`EEXIST`) is written beside and renamed over, as with `existing`.
    static func renew(_ pieces: [UnsafeRawBufferPointer], at path: String, existing: Bool = true) throws {
        if !existing, try create(pieces, at: path) { return }
        try replace(at: path, removingFirst: existing) { try write(pieces, to: $0) }
    }

    /// Whether `name` is a temporary file of ``temporaryPath(for:)``'s form whose process is gone
    /// (killed while it wrote): what a cache's prune may remove. Another build's, still writing, is not.
    static func isLeftOverTemporary(_ name: String) -> Bool {
        guard let pid = temporaryParts(name).flatMap({ Int32($0.writer) }), pid > 0 else { return false }
        return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes the temporary files in `folder` (not below it) whose process is gone
    /// (``isLeftOverTemporary(_:)``): what a build killed while it renewed a file there left.
    static func removeLeftOverTemporaries(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where isLeftOverTemporary(name) { unlink(folder + "/" + name) }
    }

    /// A name of ``temporaryPath(for:)``'s form (`.NAME.lossbook-PID`) cut into the name of the
    /// file it is written for and what follows `.lossbook-` (the writer's process number); nil
    /// for any other name. The caches' prunes read their own names and their temporaries' with it.
    static func temporaryParts(_ name: String) -> (target: Substring, writer: Substring)? {
        guard name.hasPrefix("."), let mark = name.range(of: ".lossbook-") else { return nil }
        return (name[name.index(after: name.startIndex)..<mark.lowerBound], name[mark.upperBound...])
    }

    /// The hidden file beside `path` that ``replace(_:at:)`` writes first (`.NAME.lossbook-PID`),
    /// in `path`'s folder as its last `/` byte ends it (``SitePath``).
    static func temporaryPath(for path: String) -> String {
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path.utf8.index(after: $0) } ?? path.startIndex
        return "\(path[..<slash]).\(path[slash...]).lossbook-\(getpid())"
    }

    private static func replace(at path: String, removingFirst: Bool = false, _ write: (String) throws -> Void) throws {
        let temporary = temporaryPath(for: path)
        do {
            try write(temporary)
            if removingFirst, unlink(path) != 0, errno != ENOENT { throw failure(errno, path) }
            guard rename(temporary, path) == 0 else { throw failure(errno, path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Replaces a file of the user's (a note `--fix` or `translations stamp` edits) by a new one
    /// holding `bytes`, written beside it and renamed over it: a link's target is replaced (the link
    /// stays), and the new file gets the old one's permissions.
    static func rewrite(_ path: String, with bytes: [UInt8]) throws {
        guard let resolved = realpath(path, nil) else { throw failure(errno, path) }
        let target = String(cString: resolved)
        free(resolved)
        var info = stat()
        guard stat(target, &info) == 0 else { throw failure(errno, path) }
        try bytes.withUnsafeBytes { try replace($0, at: target) }
        chmod(target, info.st_mode & 0o7777)
    }

    /// A file's bytes read straight into an array (`FileManager` makes a `Data` that would be
    /// copied again: 150 MB of page memos at 4,000 pages, megabytes of a build stamp's
    /// warnings); nil when it cannot be read whole.
    static func contents(of path: String) -> [UInt8]? {
        guard let (fd, info) = openForReading(path) else { return nil }
        defer { close(fd) }
        return read(fd, offset: 0, count: Int(info.st_size))
    }

    /// `path` opened for reading, with what `fstat` says of it (a size a read can hold); nil when
    /// it cannot be. The caller closes the descriptor.
    static func openForReading(_ path: String) -> (fd: Int32, info: stat)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 0, info.st_size < Int.max / 2 else {
            close(fd)
            return nil
        }
        return (fd, info)
    }

    /// `count` bytes from `offset` of an open file; nil when it ends before them.
    /// - Parameter spare: room left in the array past the `count` bytes, for its reader to append to without a copy.
    static func read(_ fd: Int32, offset: Int, count: Int, spare: Int = 0) -> [UInt8]? {
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: count + spare) { buffer, done in
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { complete = false; break }
                done += n
            }
        }
        return complete ? bytes : nil
    }

    /// What `lstat` says of `path` (a link itself, not its target); nil when there is nothing there.
    static func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    static func failure(_ code: Int32, _ path: String) -> NSError {
        NSError(domain: NSPOSIXErrorDomain, code: Int(code), userInfo: [NSFilePathErrorKey: path])
    }
}
