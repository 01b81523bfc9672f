import Foundation

/// Every file a build reads, with its metadata and content hash, kept in the build stamp so that
/// the next build hashes again only the files whose metadata changed (git's index, ninja's log):
/// an unchanged site then costs one `stat` per input file, not a read of every byte.
///
/// A file's kept hash is reused when its size, modification time, status-change time (`ctime`,
/// which every write moves and no tool can set back), inode and device are those kept. A file
/// changed within the file system's timestamp granularity of the moment it was looked at could
/// keep all five ("racily clean", in git's words): an entry whose `ctime` is not at least
/// ``racyMargin(changed:)`` older than the look is kept but not trusted, and hashed again next time,
/// unless the build that found it looks at it again once the margin has passed (``settle(now:)``).
struct InputIndex {
    struct Entry: Equatable {
        var size: Int64
        var modified: Int64
        var changed: Int64
        var inode: UInt64
        var device: UInt64
        var hash: UInt64
        /// The metadata may be stale (see ``InputIndex``): the next look hashes the file again.
        var racy: Bool

        /// The metadata of the file `info` describes, its hash not yet known.
        init(_ info: stat) {
            self.init(size: Int64(info.st_size), modified: InputIndex.nanoseconds(info.st_mtim), changed: InputIndex.nanoseconds(info.st_ctim),
                      inode: UInt64(info.st_ino), device: UInt64(info.st_dev), hash: 0, racy: false)
        }

        init(size: Int64, modified: Int64, changed: Int64, inode: UInt64, device: UInt64, hash: UInt64, racy: Bool) {
            (self.size, self.modified, self.changed, self.inode, self.device, self.hash, self.racy) = (size, modified, changed, inode, device, hash, racy)
        }

        /// Whether a look at `now` cannot trust this metadata yet: the change is within its margin
        /// (``InputIndex/racyMargin(changed:)``).
        func isRacy(at now: Int64) -> Bool { changed > now - InputIndex.racyMargin(changed: changed) }

        /// Whether `other` has this entry's size, times, inode and device: the same file, unchanged
        /// unless the entry is racy.
        func isSameFile(as other: Entry) -> Bool {
            size == other.size && modified == other.modified && changed == other.changed && inode == other.inode && device == other.device
        }
    }

    /// By the file's path as reached from the folder walked (symlinks followed, not resolved).
    private(set) var entries: [String: Entry] = [:]
    /// Where this walk's next lookup in the kept index starts (``Kept/entry(_:near:)``).
    private var lookupHint = 0
    /// Files read and hashed (not taken from the kept index) by the walks so far.
    private(set) var hashed = 0
    /// Of those, the files now trusted (not racy): a stamp saved with them spares the next build
    /// reading them. A file that stays racy (a change time ahead of the clock) is read again anyway.
    private(set) var hashedAndTrusted = 0

    /// Coarser than any file system's timestamp step (FAT's is 2 s) and than the lag of the
    /// kernel's coarse clock behind `CLOCK_REALTIME`.
    static let racyMargin: Int64 = 2_000_000_000
    /// For a file system that keeps sub-second times, whose step is the kernel's coarse clock:
    /// one tick, at most 10 ms (`HZ=100`), five times over.
    static let fineRacyMargin: Int64 = 50_000_000

    /// How long before the look a change must be for its metadata to be trusted. A `ctime` with a
    /// sub-second part comes from a file system that keeps one (ext4, XFS, Btrfs, tmpfs), whose
    /// times lag the clock by one coarse tick; a whole second may be a coarse file system's
    /// (FAT, ext3), and gets ``racyMargin``. With two seconds for every file, a corpus built at
    /// once after being written was racy whole, and the next build read all its notes again.
    static func racyMargin(changed: Int64) -> Int64 {
        changed % 1_000_000_000 == 0 ? racyMargin : fineRacyMargin
    }

    init() {}

    /// Feeds `hasher` every file under `folder`, sorted by path, following symlinks (each folder
    /// once on a path): its relative path and its content hash (reused from `kept` when the file's
    /// metadata matches a trusted entry), and records each file's entry.
    /// - Parameter now: the time of the look, in nanoseconds since 1970 (tests move it).
    mutating func walk(_ folder: URL, kept: InputIndex, now: Int64 = InputIndex.now(), into hasher: inout StampHasher) {
        walk(folder, kept: Kept(kept), now: now, into: &hasher)
    }

    /// The index a walk compares with: given, or the last build stamp's, still being read on
    /// another thread while the walk lists its first folder and looks at its files (``init(reading:)``).
    struct Kept: Sendable {
        private let index: InputIndex?
        /// The stamp's files, waited for while they are still being read (``Ahead`` keeps them once made).
        private let stamped: (@Sendable () -> StampedFiles?)?

        init(_ index: InputIndex) { (self.index, stamped) = (index, nil) }

        init(reading: @escaping @Sendable () -> StampedFiles?) { (index, stamped) = (nil, reading) }

        /// What the kept index says of the file at `path` (``StampedFiles/entry(_:near:)``: `hint` is the walk's).
        func entry(_ path: String, near hint: inout Int) -> Entry? {
            if let index { return index.entries[path] }
            return stamped?()?.entry(path, near: &hint)
        }
    }

    /// ``walk(_:kept:now:into:)`` against an index that may still be being read: it is waited for at
    /// the first file compared, after the walk's first folder was listed and its files looked at.
    mutating func walk(_ folder: URL, kept: Kept, now: Int64 = InputIndex.now(), into hasher: inout StampHasher) {
        var visiting: [FileID] = []
        var info = stat()
        guard stat(folder.path, &info) == 0 else { return hasher.add("missing ") }
        visit(path: folder.path, relative: RelativePath(folder: "", name: nil), info: info, kept: kept, now: now, visiting: &visiting, into: &hasher)
    }

    private struct FileID: Equatable {
        let device: UInt64
        let inode: UInt64
    }

    /// A folder's entries are listed and looked at through its descriptor (`readdir`, `fstatat`):
    /// Foundation's listing and a path looked up from the root for each file were a tenth of an
    /// unchanged 2,000-page rebuild's CPU samples.
    ///
    /// The subfolders of the folder a walk starts from (a site's languages) are walked at once,
    /// one a thread, each into its own index and hasher; the walk then feeds each subfolder's
    /// hash, in the same sorted order. One `fstatat` per file is most of an unchanged rebuild,
    /// and two languages' notes are looked at in half the time on two cores.
    private mutating func visit(path: String, relative place: RelativePath, info: stat, kept: Kept, now: Int64,
                                visiting: inout [FileID], into hasher: inout StampHasher) {
        let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let relative = place.joined
            // The folders being visited, from the start down to this one: a handful, so a list (a
            // set of them made the runtime look up `FileID: Hashable` among the binary's 8,790
            // conformances at every start: 0.5 M instructions of an unchanged build).
            guard !visiting.contains(id) else { return hasher.add("cycle \(relative)") }
            visiting.append(id)
            defer { visiting.removeLast() }
            // A folder that cannot be listed counts as empty.
            guard let stream = opendir(path) else { return }
            defer { closedir(stream) }
            let folder = dirfd(stream)
            let children = SiteFile.entries(of: stream).map(\.name).sorted().map { name in
                var child = stat()
                return (name, fstatat(folder, name, &child, 0) == 0 ? child : nil)
            }
            // Room for this folder's files at once: 2,000 entries grown one by one were rehashed at every doubling.
            entries.reserveCapacity(entries.count + children.count)
            // The children walked at once, by their place in `children` (none but at the start).
            var walked: [(InputIndex, StampHasher)?] = []
            let subfolders = relative.isEmpty ? children.indices.filter { children[$0].1.map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false } : []
            if subfolders.count > 1 {
                let results = ConcurrentResults<(InputIndex, StampHasher)>(count: subfolders.count)
                let ancestors = visiting
                DispatchQueue.concurrentPerform(iterations: subfolders.count) { job in
                    let (name, child) = children[subfolders[job]]
                    var index = InputIndex(), hasher = StampHasher(), visiting = ancestors
                    index.visit(path: Self.joined(path, name), relative: RelativePath(folder: "", name: name), info: child!, kept: kept, now: now,
                                visiting: &visiting, into: &hasher)
                    results.set(job, (index, hasher))
                }
                walked = Array(repeating: nil, count: children.count)
                for (job, number) in subfolders.enumerated() { walked[number] = results[job] }
                // Room for what they found too: merged into a table sized for this folder's few
                // entries, 4,000 paths were rehashed at every doubling (4 % of the CPU samples of a
                // build with nothing changed at 2,000 pages per language).
                entries.reserveCapacity(entries.count + children.count + walked.reduce(0) { $0 + ($1?.0.entries.count ?? 0) })
            }
            for (number, (name, child)) in children.enumerated() {
                guard let child else {
                    hasher.add("missing \(relative)/\(name)")
                    continue
                }
                if number < walked.count, let (index, walk) = walked[number] {
                    entries.merge(index.entries) { _, new in new }
                    hashed += index.hashed
                    hashedAndTrusted += index.hashedAndTrusted
                    hasher.add("folder /\(name) \(walk.value)")
                    continue
                }
                visit(path: Self.joined(path, name), relative: RelativePath(folder: relative, name: name), info: child, kept: kept, now: now,
                      visiting: &visiting, into: &hasher)
            }
            return
        }
        if let name = place.name { hasher.add("file ", place.folder, "/", name) } else { hasher.add("file ", place.folder) }
        var entry = Entry(info)
        var read = false
        if let old = kept.entry(path, near: &lookupHint), !old.racy, old.isSameFile(as: entry) {
            entry.hash = old.hash
        } else if let hash = Self.hash(path) {
            entry.hash = hash
            hashed += 1
            read = true
        } else {
            return hasher.add("unreadable")
        }
        entry.racy = entry.isRacy(at: now)
        if read, !entry.racy { hashedAndTrusted += 1 }
        entries[path] = entry
        hasher.addHex(entry.hash)
    }

    /// A path below the walk's start: its folder's (relative, "" at the start) and its name (nil for
    /// the start itself). A file's is only hashed, in pieces; a folder's is joined, for its children.
    private struct RelativePath {
        var folder: String
        var name: String?
        var joined: String { name.map { InputIndex.joined(folder, $0) } ?? folder }
    }

    /// `folder + "/" + name`, made in one allocation: the two appends of each file's path were 8 %
    /// of the instructions of a build with nothing changed (500 pages per language).
    static func joined(_ folder: String, _ name: String) -> String {
        var folder = folder, name = name
        let count = folder.utf8.count + 1 + name.utf8.count
        return folder.withUTF8 { head in
            name.withUTF8 { tail in
                String(unsafeUninitializedCapacity: count) { buffer in
                    let base = buffer.baseAddress!
                    if let bytes = head.baseAddress { base.initialize(from: bytes, count: head.count) }
                    base[head.count] = UInt8(ascii: "/")
                    if let bytes = tail.baseAddress { (base + head.count + 1).initialize(from: bytes, count: tail.count) }
                    return count
                }
            }
        }
    }

    /// The racy entries (``InputIndex``) looked at again once their margin has passed, at the end of
    /// the build that found them: an entry whose file still has its metadata and its bytes hashes
    /// the same is trusted from then on. A later change moves its `ctime` past the margin, so the
    /// next look sees it. Without this, a corpus built at once after being written had its last
    /// notes racy, and the next build (nothing changed) read them again and saved its stamp.
    ///
    /// The bytes are read before the metadata is compared: a write during the read moves the
    /// `ctime`, and the entry stays racy.
    mutating func settle(now: Int64 = InputIndex.now()) {
        for (path, entry) in entries where entry.racy && !entry.isRacy(at: now) {
            var info = stat()
            guard let hash = Self.hash(path), hash == entry.hash, stat(path, &info) == 0, Entry(info).isSameFile(as: entry) else { continue }
            entries[path]?.racy = false
        }
    }

    /// The FNV-1a hash of the file's bytes; nil when it cannot be read.
    private static func hash(_ path: String) -> UInt64? {
        FileManager.default.contents(atPath: path).map { $0.withUnsafeBytes { fnv1a64($0) } }
    }

    static func nanoseconds(_ time: timespec) -> Int64 { Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec) }

    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return nanoseconds(time)
    }
}

/// FNV-1a (``fnv1a64(_:continuing:)``) over texts, fed in a fixed order, each closed by a zero byte.
struct StampHasher {
    private var hash = fnv1a64([])

    var value: String { hex16(hash) }

    mutating func add(_ text: String) {
        hash = fnv1a64(CollectionOfOne(0), continuing: fnv1a64(text.utf8, continuing: hash))
    }

    /// `add(prefix + text)`, without making the joined string (once per input file of every build).
    mutating func add(_ prefix: StaticString, _ text: String) {
        let head = prefix.withUTF8Buffer { fnv1a64($0, continuing: hash) }
        hash = fnv1a64(CollectionOfOne(0), continuing: fnv1a64(text.utf8, continuing: head))
    }

    /// `add(prefix + first + separator + second)`, without making the joined string (a file's
    /// path below the walk's start, and each compiled-in file's hash line, in every build).
    mutating func add(_ prefix: StaticString, _ first: String, _ separator: StaticString, _ second: String) {
        var hash = prefix.withUTF8Buffer { fnv1a64($0, continuing: self.hash) }
        hash = fnv1a64(first.utf8, continuing: hash)
        hash = separator.withUTF8Buffer { fnv1a64($0, continuing: hash) }
        self.hash = fnv1a64(CollectionOfOne(0), continuing: fnv1a64(second.utf8, continuing: hash))
    }

    /// `add(String(value, radix: 16))`, each digit fed as it is found.
    mutating func addHex(_ value: UInt64) {
        let digits = value == 0 ? 1 : (67 - value.leadingZeroBitCount) / 4
        var hash = hash
        for place in stride(from: digits - 1, through: 0, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt64(4 * place)) & 0xF
            hash = fnv1a64(byte: nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10, continuing: hash)
        }
        self.hash = fnv1a64(byte: 0, continuing: hash)
    }
}
