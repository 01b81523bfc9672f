import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A page's output file as the slices it is made of, in order: the page template's output before
/// the page, the page's text cut at each heading's closing tag and at each shared formula's place,
/// each heading's permalink and each shared formula's HTML (``TypesetHTML``: one copy however
/// often the page repeats it), the template's output after the page (``Permalinks/file(for:label:in:at:)``).
///
/// ``SiteWriter`` compares these slices with the previous site's file and writes them with
/// `writev`, so a page's bytes are not copied into one more string first: for a 50 MB note that
/// string was 650 MB of fresh memory, and the kernel's clearing of it a fifth of the build's CPU.
/// ``text`` joins them, where a whole string is wanted (`serve`'s in-place updates, tests).
///
/// A site-wide file made as bytes (``init(utf8:)``, a search index) has no sources and no pieces:
/// read any file through ``withPieces(_:)`` or ``text``, never through ``sources`` and ``pieces``.
struct PageFile: Sendable {
    /// A slice of one of the three sources, in bytes.
    struct Piece: Sendable {
        var source: Int
        var start: Int
        var end: Int
    }

    /// What a piece is cut from: a string, or bytes (a page's text read back from the page memo,
    /// ``TypesetHTML/init(utf8:)``, the template's output around a page) that may run on past the
    /// pieces cut from them.
    enum Source: Sendable {
        case text(String)
        case bytes([UInt8])
    }

    /// What the pieces are cut from: the page's HTML (or its text), the template's output around it,
    /// the permalinks one after the other, the page's shared formulas.
    let sources: [Source]
    let pieces: [Piece]
    /// The file's size in bytes.
    let count: Int
    /// A file made as bytes (``init(utf8:)``), with no sources or pieces.
    private let bytes: UTF8Bytes?

    /// A file's bytes, and its text made from them once when asked for: a file a `serve` session
    /// keeps (``SiteUpdater``, which compares texts) is decoded once, and its text is then the
    /// same storage from one rebuild to the next, compared by its address.
    private final class UTF8Bytes: Sendable {
        let array: [UInt8]
        let text: OnFirstUse<String>

        init(_ array: [UInt8]) {
            self.array = array
            text = OnFirstUse { String(decoding: array, as: UTF8.self) }
        }
    }

    init(sources: [Source], pieces: [Piece]) {
        self.sources = sources
        self.pieces = pieces.filter { $0.end > $0.start }
        count = self.pieces.reduce(0) { $0 + $1.end - $1.start }
        bytes = nil
    }

    /// A file made as UTF-8 bytes (a language's search index, joined from its pages' entries), written
    /// as they are: made a string, its 4 MB at 2,000 pages per language were validated again, 38 M
    /// instructions of a prose edit's 1,038 M. ``text`` decodes them (invalid bytes would be replaced).
    init(utf8 bytes: [UInt8]) {
        sources = []
        pieces = []
        count = bytes.count
        self.bytes = UTF8Bytes(bytes)
    }

    /// A file made of one whole string.
    init(_ text: String) {
        self.init(sources: [.text(text)], pieces: [Piece(source: 0, start: 0, end: text.utf8.count)])
    }

    /// A page's HTML alone, as its text's slices and its shared formulas (``TypesetHTML``).
    init(_ html: TypesetHTML) {
        var pieces: [Piece] = []
        html.forEachSlice { source, range in pieces.append(Piece(source: source, start: range.lowerBound, end: range.upperBound)) }
        self.init(sources: [html.textSource, .text(html.shared)], pieces: pieces)
    }

    /// The pieces joined, in a string of the final size. Each piece is a slice of a valid string
    /// cut at the start of a character, so the bytes are copied and not validated again; a slice
    /// of bytes is decoded (what is not UTF-8 in it replaced).
    var text: String {
        if let bytes { return bytes.text.value }
        if pieces.count == 1, let piece = pieces.first, piece.start == 0, case let .text(whole) = sources[piece.source],
           piece.end == whole.utf8.count {
            return whole
        }
        var out = ""
        out.reserveCapacity(count)
        for piece in pieces {
            switch sources[piece.source] {
            case let .text(source):
                let utf8 = source.utf8
                out.append(contentsOf: source[utf8.index(utf8.startIndex, offsetBy: piece.start)..<utf8.index(utf8.startIndex, offsetBy: piece.end)])
            case let .bytes(source):
                out.append(String(decoding: source[piece.start..<piece.end], as: UTF8.self))
            }
        }
        return out
    }

    /// Calls `body` with the pieces' bytes, in order (pointers into the sources, valid only during the call).
    func withPieces<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
        if let whole = self.bytes { return try whole.array.withUnsafeBytes { try body([$0]) } }
        func bytes(from index: Int, _ bases: [UnsafeRawBufferPointer]) throws -> R {
            guard index < sources.count else {
                return try body(pieces.map { UnsafeRawBufferPointer(rebasing: bases[$0.source][$0.start..<$0.end]) })
            }
            switch sources[index] {
            case var .text(source): return try source.withUTF8 { try bytes(from: index + 1, bases + [UnsafeRawBufferPointer($0)]) }
            case let .bytes(source): return try source.withUnsafeBytes { try bytes(from: index + 1, bases + [$0]) }
            }
        }
        return try bytes(from: 0, [])
    }
}

extension SiteFile {
    /// Creates or truncates the file at `path` and writes `pieces` one after the other, up to
    /// `IOV_MAX` of them per `writev` (what ``write(_:to:)`` is for one buffer).
    static func write(_ pieces: [UnsafeRawBufferPointer], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw failure(errno, path) }
        try write(pieces, to: fd, path: path)
    }

    /// Creates the file at `path`, which must not exist (`O_EXCL`), and writes `pieces` to it; false
    /// when something is there already (nothing is written). A file that cannot be written whole is
    /// removed (it is this call's own) before the error is thrown.
    static func create(_ pieces: [UnsafeRawBufferPointer], at path: String) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            if errno == EEXIST { return false }
            throw failure(errno, path)
        }
        do {
            try write(pieces, to: fd, path: path)
        } catch {
            unlink(path)
            throw error
        }
        return true
    }

    /// Writes `pieces` to the open descriptor `fd` and closes it (`path` names it in an error).
    private static func write(_ pieces: [UnsafeRawBufferPointer], to fd: Int32, path: String) throws {
        var vectors = pieces.map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
        var first = 0
        while first < vectors.count {
            let batch = min(vectors.count - first, 1024)
            let n = vectors.withUnsafeMutableBufferPointer { writev(fd, $0.baseAddress! + first, Int32(batch)) }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                let code = n < 0 ? errno : EIO
                close(fd)
                throw failure(code, path)
            }
            // A short write: skip what was written, and go on from inside the vector it stopped in.
            var written = n
            while written > 0, first < vectors.count, vectors[first].iov_len <= written {
                written -= vectors[first].iov_len
                first += 1
            }
            if written > 0 {
                vectors[first].iov_base = vectors[first].iov_base! + written
                vectors[first].iov_len -= written
            }
            while first < vectors.count, vectors[first].iov_len == 0 { first += 1 }
        }
        guard close(fd) == 0 else { throw failure(errno, path) }
    }
}
