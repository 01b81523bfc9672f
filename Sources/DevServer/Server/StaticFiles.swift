import Foundation
import Hummingbird
import NIOCore
import NIOPosix

/// The built site's files over HTTP: `…/` serves `…/index.html`, a folder named without its
/// slash is redirected to it, a path with `..` is forbidden, a missing file is the site's
/// `404.html` with status 404. Files are streamed in chunks (memory per download does not grow
/// with the file), with `ETag`/`Last-Modified` and `304` for a browser that has them already,
/// and one byte range of them on request (``ByteRange``).
struct StaticFiles: Sendable {
    let root: URL
    /// Counts what file bodies read, for tests.
    var probe: StreamProbe?

    /// What a request path names.
    enum Resolution: Equatable {
        case file(URL)
        /// A folder asked for without its trailing slash: where to send the browser instead.
        case redirect(String)
        case forbidden
        case badRequest
        case missing
    }

    /// - Parameter path: the request target's path, still percent-encoded.
    func resolve(_ path: String) -> Resolution {
        guard path.hasPrefix("/"), let decoded = path.removingPercentEncoding else { return .badRequest }
        guard !decoded.contains("\0"), !decoded.contains("\\") else { return .badRequest }
        // Cut at `/` bytes: cut by characters, `/` and a combining mark after it are one
        // character, and `../\u{301}x` one part, which the `..` check passed.
        let parts = decoded.utf8.split(separator: UInt8(ascii: "/")).map { String(Substring($0)) }
        guard !parts.contains("..") else { return .forbidden }
        let segments = parts.filter { $0 != "." }
        let file = segments.reduce(root) { $0.appendingPathComponent($1) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else { return .missing }
        guard isDirectory.boolValue else { return .file(file) }
        guard decoded.hasSuffix("/") else {
            // Built from the decoded segments, so the location is always one local absolute path
            // (never `//host`), whatever the request said.
            let encoded = segments.map { $0.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? $0 }
            return .redirect("/" + encoded.map { $0 + "/" }.joined())
        }
        let index = file.appendingPathComponent("index.html")
        return FileManager.default.fileExists(atPath: index.path) ? .file(index) : .missing
    }

    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))

    var notFoundPage: URL { root.appendingPathComponent("404.html") }

    static func contentType(_ ext: String) -> String {
        switch ext.lowercased() {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json", "map": return "application/json"
        case "txt", "md": return "text/plain; charset=utf-8"
        case "xml": return "application/xml"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "pdf": return "application/pdf"
        case "csv": return "text/csv; charset=utf-8"
        case "wasm": return "application/wasm"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "ttf": return "font/ttf"
        default: return "application/octet-stream"
        }
    }
}

/// One file opened for a response: its size is that of the open file, so a rebuild that
/// replaces the site meanwhile cannot make the body disagree with its `Content-Length`.
struct OpenedFile: @unchecked Sendable {
    let handle: FileHandle
    let size: Int
    let modified: Date

    init?(_ url: URL) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        guard let end = try? handle.seekToEnd(), (try? handle.seek(toOffset: 0)) != nil else {
            try? handle.close()
            return nil
        }
        self.handle = handle
        self.size = Int(end)
        self.modified = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
    }

    /// Size and modification time (and, for pages, what is appended to them), in quotes.
    func entityTag(salt: String = "") -> String {
        let nanos = Int64(modified.timeIntervalSince1970 * 1e9)
        return "\"\(String(size, radix: 16))-\(String(nanos, radix: 16))\(salt)\""
    }

    /// The file in chunks of at most `chunk` bytes, then `suffix`; reads run on NIO's thread
    /// pool, not on the event loop or the cooperative pool. With `drained`, a chunk is read only
    /// when the one written two before has gone to the kernel: a connection holds at most three
    /// chunks however slowly its client reads and however busy the event loop is.
    /// - Parameters:
    ///   - range: the bytes to send of the file followed by `suffix` (all of them when nil);
    ///     the file is read from the range's start, never before it.
    ///   - drained: a future that succeeds once what was written before the call has left
    ///     (``SocketDrain/drained(_:)``).
    ///   - probe: counts the chunks read, for tests.
    func body(suffix: ByteBuffer? = nil, range: Range<Int>? = nil, chunk: Int = 64 * 1024,
              drained: (@Sendable () -> EventLoopFuture<Void>)? = nil, probe: StreamProbe? = nil) -> ResponseBody {
        let handle = self.handle, size = self.size
        let range = range ?? 0..<(size + (suffix?.readableBytes ?? 0))
        return ResponseBody(contentLength: range.count) { writer in
            defer { try? handle.close() }
            var remaining = max(0, min(range.upperBound, size) - range.lowerBound)
            if remaining > 0, range.lowerBound > 0 { try handle.seek(toOffset: UInt64(range.lowerBound)) }
            var previous: EventLoopFuture<Void>?
            while remaining > 0 {
                let count = min(remaining, chunk)
                let data = try await NIOThreadPool.singleton.runIfActive { try handle.read(upToCount: count) ?? Data() }
                probe?.read()
                guard !data.isEmpty else { throw StaticFileError.shrank }
                remaining -= data.count
                try await writer.write(ByteBuffer(bytes: data))
                if let previous {
                    probe?.waiting(true)
                    defer { probe?.waiting(false) }
                    try await previous.get()
                }
                previous = drained?()
            }
            if let suffix, range.upperBound > size {
                let skip = max(0, range.lowerBound - size)
                if let part = suffix.getSlice(at: suffix.readerIndex + skip, length: range.upperBound - size - skip) {
                    try await writer.write(part)
                }
            }
            try await writer.finish(nil)
        }
    }

    func close() { try? handle.close() }
}

/// A file shorter when read than when opened (rewritten in place): the connection is dropped
/// rather than sending fewer bytes than `Content-Length` promised.
enum StaticFileError: Error { case shrank }

/// `Last-Modified` and `If-Modified-Since` dates (RFC 9110 §5.6.7).
enum HTTPDate {
    static func format(_ date: Date) -> String { withFormatter { $0.string(from: date) } }
    static func parse(_ text: String) -> Date? { withFormatter { $0.date(from: text) } }

    /// One formatter for the server's life, used under a lock (a formatter is costly to make, and
    /// one was made for each file served).
    private static func withFormatter<T>(_ body: (DateFormatter) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(formatter)
    }

    private static let lock = NSLock()
    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }()
}
