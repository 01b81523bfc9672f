import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes a whole folder (a replaced site, a killed build's staging folder) from several threads.
///
/// Where the file system discards each freed block as it is freed (ext4 mounted with `discard`
/// and no journal, as on this project's build machine), every `rmdir` waits for the disk: 1,008 of
/// them took 3.0 s of a 500-pages-per-language rebuild (`strace -f -c -w`). The waits overlap
/// when several threads remove different subfolders: removing 1,000 one-page folders took
/// 5.6–6.4 s with `rm -rf` and 0.48–0.59 s split over 8 (`xargs -P 8 rm -rf`, same machine).
/// Threads, not `concurrentPerform`: the work is waiting, not computing, so it wants more threads
/// than cores.
enum FolderRemoval {
    static let threads = 8

    /// Removes `folder` and everything in it. Links are removed, never followed. Best effort, like
    /// `try? FileManager.removeItem`: what cannot be removed stays.
    static func remove(_ folder: URL) {
        let units = workUnits(in: folder)
        if units.count > 1 {
            let queue = WorkQueue(count: units.count)
            let done = DispatchGroup()
            for _ in 0..<min(threads, units.count) {
                done.enter()
                Thread {
                    while let unit = queue.next() { removeTree(units[unit].path) }
                    done.leave()
                }.start()
            }
            done.wait()
        }
        removeTree(folder.path)
    }

    /// Removes `path`: a file or link itself, a folder with everything in it. Each folder's
    /// entries are removed relative to its descriptor (`unlinkat`), from one read of its listing:
    /// `FileManager.removeItem` spent about 17 system calls on each page folder (a failing `rmdir`
    /// first, `stat`s of every path it builds, `getcwd`, `listxattr`), 70,000 `stat`s to remove a
    /// 4,000-page site (`strace -f -c`).
    static func removeTree(_ path: String) {
        guard let info = SiteFile.status(path) else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else { unlink(path); return }
        removeContents(of: open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
        rmdir(path)
    }

    /// Empties the folder open at `fd` (and closes it); a folder inside is emptied, then removed.
    private static func removeContents(of fd: Int32) {
        guard fd >= 0 else { return }
        guard let listing = fdopendir(fd) else { close(fd); return }
        defer { closedir(listing) } // closes fd
        // The names first, then the removals: a listing is not read while it changes.
        for (name, type, _) in SiteFile.entries(of: listing) {
            var folder: Bool? = type == UInt8(DT_UNKNOWN) ? nil : type == UInt8(DT_DIR)
            if folder == nil {
                var info = stat()
                folder = fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            if folder == true {
                removeContents(of: openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
                unlinkat(fd, name, AT_REMOVEDIR)
            } else {
                unlinkat(fd, name, 0)
            }
        }
    }

    /// The entries one and two levels down (a site's `en/focal/`, `en/index.html`, `404.html`):
    /// about one unit per page. A link is a unit of its own (removing it does not touch its target).
    static func workUnits(in folder: URL) -> [URL] {
        guard isFolder(folder) else { return [] }
        var units: [URL] = []
        for first in entries(of: folder) {
            if isFolder(first) {
                units += entries(of: first)
            } else {
                units.append(first)
            }
        }
        return units
    }

    private static func entries(of folder: URL) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).map { folder.appendingPathComponent($0) }
    }

    /// A folder itself, not a link to one.
    private static func isFolder(_ url: URL) -> Bool {
        SiteFile.status(url.path).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false
    }
}
