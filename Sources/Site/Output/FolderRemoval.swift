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
                    while let unit = queue.next() { try? FileManager.default.removeItem(at: units[unit]) }
                    done.leave()
                }.start()
            }
            done.wait()
        }
        try? FileManager.default.removeItem(at: folder)
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
