import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A kept page's typeset HTML left at the end of its page memo file (``PageMemo``), read when a
/// build first asks for it: a prose edit leaves every other page's file in `site/` where it is
/// (``AssembledPages``) and their search entries kept, so it needs none of their HTML, which is
/// most of the memo's bytes (reading all of it, into 4,000 strings, was 16 % of a prose edit's CPU
/// at 2,000 pages per language: `scripts/bench/HISTORY.md`, "Stop 36").
///
/// The file is read again only if it is still the one the memo read (device, inode, size and
/// modification time: a memo file is never written in place, only removed and replaced by a
/// rename, ``SiteFile/renew(_:at:)-([UnsafeRawBufferPointer],_)``). If another build replaced
/// it meanwhile, its HTML is taken only when the new file holds the same page (identity, key and
/// typeset inputs: the HTML is a function of them); otherwise the page is noted in ``Misses``
/// and the build stops before it writes anything (``SiteBuilder/checkKeptHTML()``).
final class KeptHTML: @unchecked Sendable {
    /// Where a kept page's HTML is.
    struct Place {
        var path: String
        var offset: Int
        var count: Int
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    /// Pages whose HTML could not be read back (shared by the pages of one memo).
    final class Misses: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [String] = []
        func add(_ path: String) { lock.withLock { paths.append(path) } }
        var all: [String] { lock.withLock { paths } }
    }

    let place: Place
    /// What the page was read as: a replaced file must hold the same page.
    let identity: String
    let key: String
    let inputs: String
    let misses: Misses
    private let lock = NSLock()
    private var read: TypesetHTML?

    /// The HTML's size in bytes.
    var count: Int { place.count }

    init(_ place: Place, identity: String, key: String, inputs: String, misses: Misses) {
        self.place = place
        self.identity = identity
        self.key = key
        self.inputs = inputs
        self.misses = misses
    }

    /// The page's HTML; empty when it could not be read back (noted in ``misses``).
    var html: TypesetHTML { readHTML ?? TypesetHTML() }

    /// The page's HTML, read once; nil when it could not be read back.
    var readHTML: TypesetHTML? {
        lock.withLock {
            if let read { return read }
            let (identity, key, inputs) = (identity, key, inputs)
            // As bytes, not validated as UTF-8 (``TypesetHTML/init(utf8:)``).
            guard let html = Self.readBack(place, spare: 1, { TypesetHTML(utf8: $0) }, samePage: { page in
                guard page.identity == identity, page.key == key, let typeset = page.typeset, typeset.inputs == inputs else { return nil }
                return typeset.page.html
            }) else {
                misses.add(place.path)
                return nil
            }
            read = html
            return read
        }
    }

    /// What a memo file holds at `place` (made of its bytes by `made`): from the very file the memo
    /// read, or else from a file that replaced it (another build's) when `samePage` finds the same
    /// part in the page it holds; nil when neither does. The typeset HTML's reading, and a draft's
    /// (``PageMemo/KeptBytes``).
    /// A file that is missing may be between its removal and the rename of its new version
    /// (``SiteFile/renew(_:at:)-([UnsafeRawBufferPointer],_)``, another build's): it is looked for once more.
    /// - Parameter spare: room left in the array past the bytes read (a NUL's, ``TypesetHTML/init(utf8:)``).
    static func readBack<Value>(_ place: Place, spare: Int = 0, _ made: (consuming [UInt8]) -> Value,
                                samePage: (PageMemo.Page) -> Value?) -> Value? {
        if let bytes = bytes(at: place, spare: spare) { return made(bytes) }
        var contents = SiteFile.contents(of: place.path)
        if contents == nil {
            usleep(2_000)
            contents = SiteFile.contents(of: place.path)
        }
        return contents.flatMap(PageMemo.read).flatMap(samePage)
    }

    /// The bytes at `place`, when its file is still the very file the memo read (a memo file is
    /// never written in place, so its device, inode, size and modification time name it).
    private static func bytes(at place: Place, spare: Int) -> [UInt8]? {
        guard let (fd, info) = SiteFile.openForReading(place.path) else { return nil }
        defer { close(fd) }
        guard stamp(info) == (place.device, place.inode, place.size, place.modified) else { return nil }
        return SiteFile.read(fd, offset: place.offset, count: place.count, spare: spare)
    }

    static func stamp(_ info: stat) -> (UInt64, UInt64, Int64, Int64) {
        (UInt64(info.st_dev), UInt64(info.st_ino), Int64(info.st_size),
         Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
