import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A kept page's typeset HTML, made when a build first asks for it: a prose edit leaves every
/// other page's file in `site/` where it is (``AssembledPages``) and their search entries kept, so
/// it needs none of their HTML (reading all of it, into 4,000 strings, was 16 % of a prose edit's
/// CPU at 2,000 pages per language: `scripts/bench/HISTORY.md`, "Stop 36").
///
/// A note's HTML is not in its page memo file: it is typeset again from the draft in the file,
/// with the render cache (``Typesetter``), the only page memo files written whole by a build that
/// renders every page being a third of the size (the HTML, formulas typeset, was 26 of each 37 KB at
/// 2,000 pages per language). A generated page's HTML, whose draft has its mentions filled in
/// after it is kept, is left at the end of its file and read from there.
///
/// The file is read again only if it is still the one the memo read (device, inode, size and
/// modification time: a memo file is only ever replaced by a rename). If another build replaced
/// it meanwhile, its HTML is taken only when the new file holds the same page (identity, key and
/// typeset inputs: the HTML is a function of them); otherwise the page is noted in ``Misses``
/// and the build stops before it writes anything (``SiteBuilder/checkKeptHTML()``). So does a
/// note whose draft cannot be read back or typeset again, and its memo file is removed: the next
/// build renders it.
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

    /// Where the HTML comes from: the memo file, or a note's draft typeset again (its size in
    /// bytes known, the HTML it makes checked against it).
    enum Origin {
        case file(Place)
        case made(count: Int, file: String, make: @Sendable () -> TypesetHTML?)
    }

    let origin: Origin
    /// What the page was read as: a replaced file must hold the same page.
    let identity: String
    let key: String
    let inputs: String
    let misses: Misses
    private let lock = NSLock()
    private var read: TypesetHTML?

    /// The HTML's size in bytes.
    var count: Int {
        switch origin {
        case let .file(place): return place.count
        case let .made(count, _, _): return count
        }
    }

    convenience init(_ place: Place, identity: String, key: String, inputs: String, misses: Misses) {
        self.init(.file(place), identity: identity, key: key, inputs: inputs, misses: misses)
    }

    init(_ origin: Origin, identity: String, key: String, inputs: String, misses: Misses) {
        self.origin = origin
        self.identity = identity
        self.key = key
        self.inputs = inputs
        self.misses = misses
    }

    /// The page's HTML; empty when it could not be read back (noted in ``misses``).
    var html: TypesetHTML { readHTML ?? TypesetHTML() }

    /// The page's HTML, read (or made) once; nil when it could not be.
    var readHTML: TypesetHTML? {
        lock.withLock {
            if let read { return read }
            switch origin {
            case let .file(place):
                let (identity, key, inputs) = (identity, key, inputs)
                guard let html = Self.readBack(place, { String(decoding: $0, as: UTF8.self) }, samePage: { page in
                    guard page.identity == identity, page.key == key, let typeset = page.typeset, typeset.inputs == inputs else { return nil }
                    return typeset.page.html.joined
                }) else {
                    misses.add(place.path)
                    return nil
                }
                read = TypesetHTML(html)
            case let .made(count, file, make):
                guard let html = make(), html.count == count else {
                    // Made again by the next build: its page is rendered anew.
                    unlink(file)
                    misses.add(file)
                    return nil
                }
                read = html
            }
            return read
        }
    }

    /// What a memo file holds at `place` (made of its bytes by `made`): from the very file the memo
    /// read, or else from a file that replaced it (another build's) when `samePage` finds the same
    /// part in the page it holds; nil when neither does. The typeset HTML's reading, and a draft's
    /// (``PageMemo/KeptBytes``).
    static func readBack<Value>(_ place: Place, _ made: ([UInt8]) -> Value, samePage: (PageMemo.Page) -> Value?) -> Value? {
        if let bytes = bytes(at: place) { return made(bytes) }
        return SiteFile.contents(of: place.path).flatMap(PageMemo.read).flatMap(samePage)
    }

    /// The bytes at `place`, when its file is still the very file the memo read (a memo file is
    /// only ever replaced by a rename, so its device, inode, size and modification time name it).
    private static func bytes(at place: Place) -> [UInt8]? {
        guard let (fd, info) = SiteFile.openForReading(place.path) else { return nil }
        defer { close(fd) }
        guard stamp(info) == (place.device, place.inode, place.size, place.modified) else { return nil }
        return SiteFile.read(fd, offset: place.offset, count: place.count)
    }

    static func stamp(_ info: stat) -> (UInt64, UInt64, Int64, Int64) {
        (UInt64(info.st_dev), UInt64(info.st_ino), Int64(info.st_size),
         Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}

extension KeptHTML {
    /// Typesets kept notes' drafts again (``Origin/made(count:file:make:)``) with the render cache
    /// the build's `typeset` stage used (``use(_:tools:macros:)``), loading the cache's shards a
    /// draft needs and rendering what the cache lacks (deleted since the page was kept) with
    /// helpers of its own. One for a page memo's pages.
    final class Typesetter: @unchecked Sendable {
        private let lock = NSLock()
        private var cache: RenderCache?
        private var tools: RenderTools?
        private var macros: [String: String] = [:]
        /// Whether a draft asked for what the cache lacked: the cache is saved again (``saveIfRendered()``).
        private var rendered = false

        func use(_ cache: RenderCache, tools: RenderTools, macros: [String: String]) {
            lock.withLock { (self.cache, self.tools, self.macros) = (cache, tools, macros) }
        }

        /// The draft's HTML as the `typeset` stage makes it; nil before ``use(_:tools:macros:)``,
        /// or when its formulas cannot be rendered.
        func typeset(_ draft: Draft, path: String) -> TypesetHTML? {
            let ready: RenderCache? = lock.withLock {
                guard var cache, let tools else { return nil }
                do {
                    if try cache.resolve(Set(draft.requests), tools: tools, macros: macros) > 0 { rendered = true }
                } catch {
                    return nil
                }
                self.cache = cache
                return cache
            }
            guard let ready else { return nil }
            return draft.typeset(with: ready, path: path).html
        }

        func saveIfRendered() {
            let cache: RenderCache? = lock.withLock { rendered ? self.cache : nil }
            cache?.save()
        }
    }
}
