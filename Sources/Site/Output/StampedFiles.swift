import Foundation

/// The last build stamp's input index, its `f` lines (``BuildStamp/appendRecord(of:at:)``), looked
/// up where they lie in the mapped stamp: a table of where each line and its path are, in the
/// order of the paths' bytes, searched by bisection. A line's numbers are read when its file is
/// looked up.
///
/// Made into a dictionary of 4,000 paths when the stamp was read, the index took 2.3–7 ms of the
/// 13–17 ms `load` of an unchanged 2,000-page-per-language rebuild, on the thread the walk of the
/// content waits for at its first file (``InputIndex/Kept``); this table is made in one pass of
/// `memchr`.
///
/// A line whose numbers cannot be read is no entry: its file is hashed again, as a file the last
/// build did not see. A line that is not an `f` line of nine fields makes the whole stamp unread
/// (``BuildStamp/read(_:checkingFields:)``).
struct StampedFiles: Sendable {
    private let file: Data
    /// Each line's start and its path's bytes, sorted by those bytes.
    private let lines: [Line]
    /// Whether the lines came in that order (as ``BuildStamp``'s writer puts them), not sorted here.
    let cameInOrder: Bool

    private struct Line {
        var start: Int
        var path: Range<Int>
    }

    /// The table of the `f` lines at `range` of `file`; nil when a line is not one.
    init?(_ file: Data, lines range: Range<Int>) {
        var lines: [Line] = []
        // An `f` line is about a hundred bytes.
        lines.reserveCapacity(range.count / 80)
        var sorted = true
        let made: Bool = file.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return range.isEmpty }
            var at = range.lowerBound
            while at < range.upperBound {
                // A last line without its newline is no record: the stamp was cut short.
                guard let newline = memchr(base + at, 0x0A, range.upperBound - at) else { return false }
                let end = UnsafeRawPointer(newline) - UnsafeRawPointer(base)
                guard end - at > 2, base[at] == UInt8(ascii: "f"), base[at + 1] == 0x09 else { return false }
                // Eight fields after the `f`, the path last: seven tabs to pass, none in the path.
                var field = at + 2
                for _ in 0..<7 {
                    guard let tab = memchr(base + field, 0x09, end - field) else { return false }
                    field = UnsafeRawPointer(tab) - UnsafeRawPointer(base) + 1
                }
                guard memchr(base + field, 0x09, end - field) == nil else { return false }
                let line = Line(start: at, path: field..<end)
                if sorted, let last = lines.last, Self.compare(base, last.path, line.path) >= 0 { sorted = false }
                lines.append(line)
                at = end + 1
            }
            if !sorted { lines.sort { Self.compare(base, $0.path, $1.path) < 0 } }
            return true
        }
        guard made else { return nil }
        self.file = file
        self.lines = lines
        cameInOrder = sorted
    }

    /// How many files the last build looked at.
    var count: Int { lines.count }

    /// The last build's entry for the file at `path`; nil when it had none, or its line's numbers
    /// cannot be read.
    func entry(_ path: String) -> InputIndex.Entry? {
        var hint = 0
        return entry(path, near: &hint)
    }

    /// ``entry(_:)``, looked for first at the line `hint` (then set past the line found): a walk
    /// asks for the files in nearly the order of the lines, so the next file is most often the
    /// next line, found with one comparison instead of a dozen.
    func entry(_ path: String, near hint: inout Int) -> InputIndex.Entry? {
        file.withUnsafeBytes { raw -> InputIndex.Entry? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            func find(_ key: UnsafeBufferPointer<UInt8>) -> InputIndex.Entry? {
                if hint >= 0, hint < lines.count, Self.compare(base, lines[hint].path, key) == 0 {
                    hint += 1
                    return Self.entry(base, lines[hint - 1])
                }
                var (low, high) = (0, lines.count)
                while low < high {
                    let middle = (low + high) / 2
                    let order = Self.compare(base, lines[middle].path, key)
                    if order == 0 {
                        hint = middle + 1
                        return Self.entry(base, lines[middle])
                    }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                hint = low
                return nil
            }
            // A path with nothing to escape (nearly all) is its own key, not copied into one.
            return BuildStamp.withField(path, find)
        }
    }

    /// Every entry, by path (the tests compare a read stamp with a made one).
    var entries: [String: InputIndex.Entry] {
        file.withUnsafeBytes { raw in
            var entries: [String: InputIndex.Entry] = [:]
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return entries }
            for line in lines {
                let path = BuildStamp.unescaped(String(decoding: UnsafeBufferPointer(start: base + line.path.lowerBound, count: line.path.count), as: UTF8.self))
                entries[path] = Self.entry(base, line)
            }
            return entries
        }
    }

    /// A line's seven fields before its path, read; found on the stack (``withUnsafeTemporaryAllocation``),
    /// not in an array made for each lookup.
    private static func entry(_ base: UnsafePointer<UInt8>, _ line: Line) -> InputIndex.Entry? {
        withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: 7) { fields -> InputIndex.Entry? in
            // The tabs found by `memchr`, not byte by byte (a fifth of the lookup's instructions).
            var count = 0
            var start = line.start + 2
            let end = line.path.lowerBound
            while start < end, let tab = memchr(base + start, 0x09, end - start) {
                let at = UnsafeRawPointer(tab) - UnsafeRawPointer(base)
                guard count < 7 else { return nil }
                fields.initializeElement(at: count, to: UnsafeBufferPointer(start: base + start, count: at - start))
                count += 1
                start = at + 1
            }
            guard count == 7, start == end, let size = Int64(ascii: fields[0]), let modified = Int64(ascii: fields[1]),
                  let changed = Int64(ascii: fields[2]), let inode = UInt64(ascii: fields[3]), let device = UInt64(ascii: fields[4]),
                  let hash = UInt64(ascii: fields[5], radix: 16) else { return nil }
            let flag = fields[6]
            let racy = flag.count == 4 && memcmp(flag.baseAddress!, "racy", 4) == 0
            guard racy || (flag.count == 1 && flag[0] == UInt8(ascii: "-")) else { return nil }
            return InputIndex.Entry(size: size, modified: modified, changed: changed, inode: inode, device: device, hash: hash, racy: racy)
        }
    }

    /// Whether the path bytes at `a` in `base` go before those at `b`.
    static func precedes(in base: UnsafePointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool { compare(base, a, b) < 0 }

    /// The order of two paths' bytes in `base`: negative, zero or positive, as `memcmp`.
    private static func compare(_ base: UnsafePointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Int {
        compare(base + a.lowerBound, a.count, base + b.lowerBound, b.count)
    }

    private static func compare(_ base: UnsafePointer<UInt8>, _ a: Range<Int>, _ key: UnsafeBufferPointer<UInt8>) -> Int {
        compare(base + a.lowerBound, a.count, key.baseAddress, key.count)
    }

    private static func compare(_ a: UnsafePointer<UInt8>?, _ aCount: Int, _ b: UnsafePointer<UInt8>?, _ bCount: Int) -> Int {
        let common = min(aCount, bCount)
        if common > 0, let a, let b {
            let order = memcmp(a, b, common)
            if order != 0 { return Int(order) }
        }
        return aCount - bCount
    }
}
