import Foundation
import Site
#if canImport(Glibc)
import Glibc
#endif

/// News that something may have changed under the watched folders (Linux's inotify), so that the
/// watcher looks at every file (``SourceFingerprint``) only then, and at once, instead of every
/// `--interval`: an idle `serve` of 2,000 pages per language spent a quarter of a core looking.
///
/// News is only a reason to look: what changed is still what the look finds. A folder's watch
/// reports its entries' creation, removal, renaming, writes and attribute changes; a look adds a
/// watch for every folder it walked (``SourceFingerprint/folders``: inotify itself follows no link
/// and watches no subfolder). What inotify cannot see (a network file system, a write between a
/// new folder's creation and its watch) a look made every ``safetyInterval`` catches. Nil where
/// inotify is missing; the watcher then looks every `--interval`, as before.
///
/// News also names what it is about (``takeNamed()``): the files of watched folders that were
/// made, written, removed or renamed, so that the watcher can look at those alone
/// (``SourceFingerprint/updating(_:)``): looking at every file of a 2,000-page-per-language site
/// was 8 % of `serve`'s CPU while it was being edited, on the path from a save to the reload.
final class ChangeNotices: @unchecked Sendable {
    /// The longest time between two looks, news or not.
    static let safetyInterval = 2.0

    private let fd: Int32
    private let lock = NSLock()
    /// Whether some folder could not be watched (the user's watch limit): every tick looks.
    var incomplete: Bool { lock.withLock { missedAWatch } }
    private var missedAWatch = false
    /// The watch descriptors handed out so far, each with the folder it was first asked for (a
    /// look that adds one more looks again: the folder may have changed before it was watched).
    private var folderOf: [Int32: String] = [:]
    /// Descriptors that more than one path led to: their news names no one file.
    private var shared: Set<Int32> = []
    /// The paths news named since the last ``takeNamed()``; nil when some news named no file
    /// (see ``takeNamed()``).
    private var named: Set<String>? = []

    init?() {
        #if os(Linux)
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        #else
        return nil
        #endif
    }

    deinit { close(fd) }

    /// Watches `folders` (again: a folder already watched keeps its watch); true when one of them
    /// was not watched before.
    func watch(_ folders: [String]) -> Bool {
        #if os(Linux)
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
        return lock.withLock {
            var added = false
            for folder in folders {
                let descriptor = inotify_add_watch(fd, folder, mask)
                if descriptor < 0 {
                    // Gone since the look (its removal is news already), or over the watch limit.
                    if errno != ENOENT && errno != ENOTDIR { missedAWatch = true }
                    continue
                }
                if let known = folderOf[descriptor] {
                    if known != folder { shared.insert(descriptor) }
                } else {
                    folderOf[descriptor] = folder
                    added = true
                }
            }
            return added
        }
        #else
        return false
        #endif
    }

    /// Waits until news arrives or `seconds` pass; true when news arrived. Every pending event is
    /// read, and the events that follow within a few milliseconds (an editor's save is several
    /// writes and a rename): one look then sees the save whole.
    func wait(_ seconds: Double) async -> Bool {
        let fd = fd
        return await withCheckedContinuation { continuation in
            // A thread of its own, not one of the cooperative pool's two: `poll` blocks.
            DispatchQueue.global().async {
                var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&waiting, 1, Int32(max(1, seconds * 1000))) > 0, self.drain() else {
                    return continuation.resume(returning: false)
                }
                for _ in 0..<20 {
                    usleep(10_000)
                    guard self.drain() else { break }
                }
                continuation.resume(returning: true)
            }
        }
    }

    /// The files news named since the last call, each as a watched folder's path and the entry's
    /// name (ignored ones too: ``SourceFingerprint/updating(_:)`` tells whether a write through
    /// one is a note's, under another name); nil when some news named no file:
    /// the queue overflowed, a watched folder itself was removed, moved or changed, an entry that
    /// is a folder came, went or was renamed, or the news came through a descriptor that names no
    /// one folder. The watcher then looks at every file.
    func takeNamed() -> Set<String>? {
        lock.withLock {
            defer { named = [] }
            return named
        }
    }

    /// Reads every pending event; true when there was one. A removed folder's watch is dropped by
    /// the kernel (`IN_IGNORED`), so a folder made again at that path is watched anew.
    func drain() -> Bool {
        var any = false
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return any }
            any = true
            #if os(Linux)
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let event = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    note(event, name: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<min(count, nameStart + Int(event.len))]))
                    offset = nameStart + Int(event.len)
                }
            }
            #endif
        }
    }

    #if os(Linux)
    /// Keeps what one event names (``takeNamed()``); `field` is its name as the event holds it
    /// (padded with zero bytes), read only while news still names its files.
    private func note(_ event: inotify_event, name field: UnsafeRawBufferPointer) {
        lock.withLock {
            if event.mask & UInt32(IN_IGNORED) != 0 {
                folderOf[event.wd] = nil
                shared.remove(event.wd)
            }
            let unnamed = UInt32(IN_Q_OVERFLOW | IN_ISDIR | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)
            guard named != nil, event.mask & UInt32(IN_IGNORED) == 0 else { return }
            let name = String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
            guard event.mask & unnamed == 0, !name.isEmpty, !shared.contains(event.wd), let folder = folderOf[event.wd] else {
                named = nil
                return
            }
            named!.insert(folder + "/" + name)
        }
    }
    #endif
}

/// How many times the watcher looked at every file, for tests.
final class LookCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var looks: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
