import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `build`'s record of each page it put into the theme, kept in the cache folder
/// (`.cache/lossbook/assembled-pages`) beside the page memo (``PageMemo``), so that the next
/// build leaves a page that did not change where it is: neither put into the theme again nor
/// read back to compare, its file hard-linked from the site in place (``SiteWriter/keep(_:)``).
///
/// A page is left as it is when all of these hold: its typeset page has the identity it had
/// (``RenderedPage/identity``: its inputs, the site's shape with the templates and strings, and
/// the tools), its context in the theme hashes the same (``PageContext/fingerprint(values:strings:)``:
/// navigation, neighbours, language links, notices, everything the page template reads but the
/// page's own HTML, which the identity stands for), and the previous site's file at its path is
/// still the very file this record was taken from (device, inode, size and modification time, as
/// `lstat` gives them after the swap): a file edited, replaced or removed in `site/` is made anew.
///
/// The record holds under the page memo's identity (``PageMemo/identity``: the binary and the
/// sources compiled into it, the tools, the options): a page's identity names its inputs and the
/// templates, not the Swift code that puts it into the theme, so a record made by another binary
/// is no record (every page is put into the theme by this one).
///
/// Best effort, like the page memo: a record that cannot be read is no record (every page is
/// put into the theme), one that cannot be written is a next build that puts them all in.
final class AssembledPages: @unchecked Sendable {
    static let format = "lossbook assembled pages 3"
    static let fileName = "assembled-pages"

    struct Record: Equatable {
        var identity: UInt64
        /// What the page's context was made from besides the page (``SiteAssembler/contextInputs(orders:stringsHashes:)``).
        var inputs: UInt64
        var context: UInt64
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    let file: URL
    /// The page memo's identity, the record's second line.
    let identity: String
    private let previous: [String: Record]
    /// The last record file's bytes, and where each page's line is in them (without its newline).
    private let previousBytes: [UInt8]
    private let previousLines: [String: Range<Int>]
    private let lock = NSLock()
    /// This build's pages: identity, context inputs and context hashes, by output path, and
    /// whether the page was left in place (its record is the last one's, ``save(output:)``).
    private var made: [String: (identity: UInt64, inputs: UInt64, context: UInt64, kept: Bool)] = [:]

    init(cache: URL, identity: String) {
        file = cache.appendingPathComponent(Self.fileName)
        self.identity = identity
        let bytes = SiteFile.contents(of: file.path) ?? []
        let parsed = Self.parseLines(bytes, identity: identity)
        previous = parsed?.mapValues(\.record) ?? [:]
        previousLines = parsed?.mapValues(\.line) ?? [:]
        previousBytes = parsed == nil ? [] : bytes
    }

    /// Whether the page at `path` (output-relative) can stay as the previous site in `output`
    /// holds it; either way, notes the page for ``save(output:)``. The page's context is hashed
    /// (`context()`) only when the page or what its context is made from (`inputs`) changed: the
    /// same identity and inputs make the same context (a prose edit's other pages, 4,000 contexts
    /// made and hashed to find the one page whose file changed).
    func unchanged(_ path: String, identity: String, inputs: UInt64, context: () -> UInt64, output: String) -> Bool {
        let identity = fnv1a64(identity.utf8)
        let record = previous[path]
        let context = record.flatMap { $0.identity == identity && $0.inputs == inputs ? $0.context : nil } ?? context()
        // The record's own inputs: after another page's title changed (new inputs for every
        // page), a page whose context hashes the same is still the file the record vouches for.
        guard let record, record.identity == identity, record.context == context,
              let info = SiteFile.status(output + "/" + path), info.st_mode & S_IFMT == S_IFREG,
              Self.record(identity: identity, inputs: record.inputs, context: context, info) == record else {
            lock.withLock { made[path] = (identity, inputs, context, false) }
            return false
        }
        lock.withLock { made[path] = (identity, inputs, context, true) }
        return true
    }

    /// The device and inode of the previous site's file at `path`, when ``unchanged(_:identity:inputs:context:output:)``
    /// found it unchanged (its `lstat` then gave this record's): the file ``SiteWriter/keep(_:)``
    /// hard-links, without a second `lstat` of it.
    func keptFile(_ path: String) -> (device: UInt64, inode: UInt64)? {
        lock.withLock {
            guard made[path]?.kept == true, let record = previous[path] else { return nil }
            return (record.device, record.inode)
        }
    }

    /// Writes the record of this build's pages as they are in `output` (after the swap), to a
    /// temporary file renamed to its name once the last one is removed (``SiteFile/renew(_:at:)-(UnsafeRawBufferPointer,_)``).
    ///
    /// A page left in place keeps its last line without a look at its file: the site's file is
    /// the very file that line was checked against (hard-linked, ``SiteWriter/keep(_:)``), so a
    /// `stat` gives that line again (a prose edit's 3,999 other pages at 2,000 per language were
    /// that many `stat`s and lines made). Should the file have been replaced since the check, or
    /// copied where hard links fail, the line no longer matches it and the next build makes the
    /// page anew, as for any file changed in `site/`; a line taken from the file after the swap
    /// would vouch for a file changed between the check and the swap.
    func save(output: URL) {
        let folder = OutputSafety.resolvedOutput(output).path
        let pages = lock.withLock { made }
        var bytes = Array((Self.head(identity: identity)).utf8)
        bytes.reserveCapacity(previousBytes.count + 4096)
        for path in pages.keys.sorted() where !path.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A }) {
            let page = pages[path]!
            if page.kept, let line = previousLines[path], var record = previous[path] {
                if record.inputs == page.inputs {
                    bytes += previousBytes[line]
                    bytes.append(0x0A)
                } else {
                    // Kept under new context inputs (another page's title changed): the same file,
                    // its line under the new inputs, or the next build would make and hash its
                    // context again.
                    record.inputs = page.inputs
                    bytes += Self.line(record, path)
                }
                continue
            }
            guard let info = SiteFile.status(folder + "/" + path), info.st_mode & S_IFMT == S_IFREG else { continue }
            bytes += Self.line(Self.record(identity: page.identity, inputs: page.inputs, context: page.context, info), path)
        }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? bytes.withUnsafeBytes { try SiteFile.renew($0, at: file.path) }
    }

    private static func line(_ r: Record, _ path: String) -> [UInt8] {
        Array("\(r.identity)\t\(r.inputs)\t\(r.context)\t\(r.device)\t\(r.inode)\t\(r.size)\t\(r.modified)\t\(path)\n".utf8)
    }

    private static func record(identity: UInt64, inputs: UInt64, context: UInt64, _ info: stat) -> Record {
        Record(identity: identity, inputs: inputs, context: context, device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
               size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// The records in a file's bytes; nil for another format or a damaged file. Read as bytes,
    /// without a string per field (4,000 pages' records each build).
    static func parse(_ bytes: [UInt8], identity: String) -> [String: Record]? {
        parseLines(bytes, identity: identity)?.mapValues(\.record)
    }

    /// The record's first two lines: the format, and the identity it holds under.
    static func head(identity: String) -> String { "\(format)\n\(identity)\n" }

    /// ``parse(_:identity:)``, with where each record's line is in `bytes` (its newline left out).
    static func parseLines(_ bytes: [UInt8], identity: String) -> [String: (record: Record, line: Range<Int>)]? {
        let head = Array(Self.head(identity: identity).utf8)
        guard bytes.starts(with: head) else { return nil }
        // Read in place, field by field: split into arrays of slices first, the 8,000 lines of a
        // 2,000-page-per-language site took 46 M instructions of a prose edit's 1.5 G.
        return bytes.withUnsafeBufferPointer { bytes -> [String: (record: Record, line: Range<Int>)]? in
            let newline = UInt8(ascii: "\n"), tab = UInt8(ascii: "\t")
            var records = [String: (record: Record, line: Range<Int>)](minimumCapacity: (bytes.count - head.count) / 96)
            var start = head.count
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != newline { end += 1 }
                defer { start = end + 1 }
                guard end > start else { continue } // an empty line, as `split` left out
                var at = start
                /// The next field's bytes, up to a tab (the last field: to the line's end).
                func field(last: Bool = false) -> UnsafeBufferPointer<UInt8>? {
                    let from = at
                    if last { at = end; return UnsafeBufferPointer(rebasing: bytes[from..<end]) }
                    while at < end, bytes[at] != tab { at += 1 }
                    guard at < end else { return nil }
                    defer { at += 1 }
                    return UnsafeBufferPointer(rebasing: bytes[from..<at])
                }
                guard let identity: UInt64 = field().flatMap(number), let inputs: UInt64 = field().flatMap(number),
                      let context: UInt64 = field().flatMap(number), let device: UInt64 = field().flatMap(number),
                      let inode: UInt64 = field().flatMap(number), let size: Int64 = field().flatMap(number),
                      let modified: Int64 = field().flatMap(number),
                      let pathBytes = field(last: true), !pathBytes.isEmpty, let path = String(validating: pathBytes, as: UTF8.self) else { return nil }
                records[path] = (Record(identity: identity, inputs: inputs, context: context, device: device, inode: inode, size: size, modified: modified),
                                 start..<end)
            }
            return records
        }
    }

    /// A decimal number (a leading `-` for signed types); nil for anything else or an overflow.
    static func number<T: FixedWidthInteger>(_ digits: UnsafeBufferPointer<UInt8>) -> T? {
        var rest = digits[...], negative = false
        if T.isSigned, rest.first == UInt8(ascii: "-") { negative = true; rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var value: T = 0
        for byte in rest {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times.subtractingReportingOverflow(T(byte - UInt8(ascii: "0")))
                                     : times.addingReportingOverflow(T(byte - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return value
    }
}

extension PageContext {
    /// A hash of everything the page template reads from a context whose ``values`` these are,
    /// but `content` (the page's HTML, which its identity stands for, whatever it holds here):
    /// every value, objects' fields in any order (``ContextHash``), each field's kind and length in
    /// front of it, so that no two contexts that differ hash alike by their layout. `strings` (the
    /// language's interface strings, the same object on every page of a language) is hashed by
    /// the caller once per language and passed in. Taking the values, not the context: a caller
    /// that renders the page too makes them once for both (made twice, they were a third of the
    /// fingerprint's cost and as much again of the page's shell).
    static func fingerprint(values: [String: TemplateValue], strings: UInt64) -> UInt64 {
        var all = values
        all["content"] = nil
        all["strings"] = .text(String(strings, radix: 16))
        var hash = ContextHash()
        hash.add(.object(all))
        return hash.value
    }
}

/// FNV-1a 64 over a ``TemplateValue`` tree: each text's bytes read in place, with its kind and
/// length in front, an object's fields each hashed alone and their mixed hashes summed (texts
/// alone: ``SiteAssembler/searchIndexInputs(_:)``).
struct ContextHash {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }

    mutating func add(_ number: Int) {
        var n = UInt64(bitPattern: Int64(number))
        for _ in 0..<8 { add(UInt8(truncatingIfNeeded: n)); n >>= 8 }
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            add(bytes.count)
            for byte in bytes { add(byte) }
        }
    }

    mutating func add(_ item: TemplateValue) {
        switch item {
        case let .text(text): add(UInt8(ascii: "t")); add(text)
        case let .bool(flag): add(UInt8(ascii: flag ? "T" : "F"))
        case .null: add(UInt8(ascii: "n"))
        case let .list(items):
            add(UInt8(ascii: "l")); add(items.count)
            for item in items { add(item) }
        case let .object(fields):
            // Each field hashed alone, key and value, and the fields' hashes summed after a mix:
            // the same for any order of the dictionary, without sorting its keys and looking each
            // up again (two thirds of hashing a page's context).
            add(UInt8(ascii: "o")); add(fields.count)
            var sum: UInt64 = 0
            for (key, value) in fields {
                var field = ContextHash()
                field.add(key)
                field.add(value)
                sum &+= Self.mixed(field.value)
            }
            add(Int(bitPattern: UInt(sum)))
        }
    }

    /// A 64-bit finaliser (SplitMix64's): every bit of the result depends on every bit of `x`, so
    /// a sum of mixed hashes has no structure FNV-1a's multiplications would leave in a plain one.
    static func mixed(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
