import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Site

/// What the watcher compares of a file: a change to its bytes moves at least one of these (a
/// write moves the modification and status-change times, an editor's save by rename the inode).
struct FileStamp: Equatable, Sendable {
    var size: Int64
    var modified: Int64
    var changed: Int64
    var inode: UInt64
    var device: UInt64

    init(_ info: stat) {
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        inode = UInt64(info.st_ino)
        device = UInt64(info.st_dev)
    }

    /// A stamp of a given size and times (tests).
    init(size: Int64, modified: Int64) {
        (self.size, self.modified, changed, inode, device) = (size, modified, modified, 0, 0)
    }
}

/// Every file below some folders with its ``FileStamp``: a change to any note, template, asset or
/// loss source changes it. Links are followed as the build follows them (a note that is a link,
/// a linked folder: an edit of what they point to is a change), each folder once on a path. Names
/// the build ignores (hidden files, editor backups, an atomic save's temporary file) are ignored
/// here too: they start no rebuild.
///
/// Each folder is listed through its descriptor (`readdir`, `fstatat`): Foundation's enumerator,
/// its attribute look-ups and a path looked up from the root for each file made one look at a
/// 2,000-page-per-language site 26 ms of CPU, ten times a second.
struct SourceFingerprint: Sendable {
    var files: [String: FileStamp]
    /// The folders walked, and those holding the targets of linked files: what ``ChangeNotices``
    /// watches. Not compared.
    var folders: [String] = []
    /// The folders walked (as they are named below the roots), each with its device and inode;
    /// the identities of the folders that hold linked files' targets. ``updating(_:)`` takes
    /// news of the files of walked folders that hold no target (a folder is told by its identity:
    /// its path below a root and the target's resolved path may differ).
    private var walked: [String: FolderID] = [:]
    private var linkTargets: Set<FolderID> = []

    init(_ roots: [String]) {
        var walk = Walk()
        for root in roots {
            var info = stat()
            guard stat(root, &info) == 0 else { continue }
            walk.visit(root, info)
        }
        files = walk.files
        folders = walk.folders
        walked = walk.walked
        linkTargets = walk.linkTargets
    }

    /// The fingerprint with the files at `paths` (news of what changed: ``ChangeNotices/takeNamed()``)
    /// looked at again, each as a walk would find it; nil when a walk must tell: a path in a
    /// folder that holds a linked file's target, or would hold a dangling link's (the change is
    /// the link's, under another name), one that is or was a folder, that is now a link or anything
    /// but a plain file, or a file with more than one name (a hard link: a note's file written
    /// under another name, perhaps an ignored one). A file of an ignored name is otherwise no note,
    /// as a walk leaves it out: an editor's temporary or swap file starts no look.
    func updating(_ paths: Set<String>) -> SourceFingerprint? {
        var updated = self
        for path in paths {
            guard let slash = path.lastIndex(of: "/"), let folder = walked[String(path[..<slash])],
                  !linkTargets.contains(folder), walked[path] == nil else { return nil }
            let ignored = ContentTree.isIgnored(String(path[path.index(after: slash)...]))
            var info = stat()
            guard lstat(path, &info) == 0 else {
                guard errno == ENOENT else { return nil }
                if !ignored { updated.files[path] = nil }
                continue
            }
            let plain = info.st_mode & S_IFMT == S_IFREG
            guard plain || ignored, !plain || info.st_nlink == 1 else { return nil }
            if !ignored { updated.files[path] = FileStamp(info) }
        }
        return updated
    }

    init(files: [String: FileStamp]) { self.files = files }

    /// Files added, removed or changed since `earlier`, sorted.
    func changes(since earlier: SourceFingerprint) -> [String] {
        let keys = Set(files.keys).union(earlier.files.keys)
        return keys.filter { files[$0] != earlier.files[$0] }.sorted()
    }

    private struct FolderID: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private struct Walk {
        var files: [String: FileStamp] = [:]
        var folders: [String] = []
        var walked: [String: FolderID] = [:]
        var linkTargets: Set<FolderID> = []
        /// The folders on the path being walked: a link back to one of them is not walked again.
        var ancestors: Set<FolderID> = []

        mutating func visit(_ path: String, _ info: stat) {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                files[path] = FileStamp(info)
                return
            }
            let id = FolderID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            guard ancestors.insert(id).inserted else { return }
            defer { ancestors.remove(id) }
            guard let stream = opendir(path) else { return }
            defer { closedir(stream) }
            folders.append(path)
            walked[path] = id
            let fd = dirfd(stream)
            for (name, type, _) in SiteFile.entries(of: stream) where !ContentTree.isIgnored(name) {
                let child = path + "/" + name
                var info = stat()
                guard fstatat(fd, name, &info, 0) == 0 else {
                    // A link to nothing: its own stamp, so that its target appearing is a change,
                    // which happens in the folder it names.
                    if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
                        files[child] = FileStamp(info)
                        if info.st_mode & S_IFMT == S_IFLNK, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: child) {
                            holdsTarget(target.hasPrefix("/") ? target : path + "/" + target)
                        }
                    }
                    continue
                }
                // A linked file's changes happen in its target's folder, which may be watched by nobody else.
                if type == UInt8(DT_LNK), info.st_mode & S_IFMT != S_IFDIR, let target = realpath(child, nil) {
                    holdsTarget(String(cString: target))
                    free(target)
                }
                visit(child, info)
            }
        }

        /// Watches the folder of a linked file's target (`target`, a path), and remembers it as
        /// one whose news a walk must tell about.
        mutating func holdsTarget(_ target: String) {
            guard let slash = target.lastIndex(of: "/") else { return }
            let named = slash == target.startIndex ? "/" : String(target[..<slash])
            guard let real = realpath(named, nil) else { return } // no such folder: the look every interval finds it
            let folder = String(cString: real)
            free(real)
            var info = stat()
            guard stat(folder, &info) == 0 else { return }
            folders.append(folder)
            linkTargets.insert(FolderID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        }
    }
}

extension SourceFingerprint: Equatable {
    static func == (a: SourceFingerprint, b: SourceFingerprint) -> Bool { a.files == b.files }
}
