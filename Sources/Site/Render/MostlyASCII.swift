/// Text that is ASCII but for a few characters here and there, made into a `String` without the
/// standard library checking each byte one by one.
///
/// `String(decoding:as:)` checks a buffer eight bytes at a time while it is all ASCII; past its
/// first other byte it checks byte by byte, nine instructions a byte. KaTeX's HTML is such text:
/// a formula of this corpus is 6 KB with a `∑`, a `−` or a zero-width space every few hundred
/// bytes, and checking the 4,000 formulas of 500 pages per language read back from the render
/// cache was 8.6 % of the instructions of a build that renders every page. Here each ASCII run is
/// found eight bytes at a time and decoded by itself (the standard library's ASCII path), each run
/// of other bytes is decoded by itself (checked, and repaired as `String(decoding:as:)` repairs it:
/// a multi-byte character never holds an ASCII byte, so no character is cut), and the pieces are joined.
enum MostlyASCII {
    /// Below this the standard library's own decoding is as quick (its set-up is less).
    static let threshold = 256

    /// `String(decoding: bytes, as: UTF8.self)`: the same string.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let count = bytes.count
        guard count >= threshold, let base = bytes.baseAddress else { return String(decoding: bytes, as: UTF8.self) }
        var start = firstNonASCII(base, from: 0, count: count)
        guard start < count else { return String(decoding: bytes, as: UTF8.self) }
        var text = String(decoding: UnsafeBufferPointer(start: base, count: start), as: UTF8.self)
        text.reserveCapacity(count)
        while start < count {
            var end = start + 1
            while end < count, base[end] >= 0x80 { end += 1 }
            text.append(String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self))
            start = firstNonASCII(base, from: end, count: count)
            if start > end { text.append(String(decoding: UnsafeBufferPointer(start: base + end, count: start - end), as: UTF8.self)) }
        }
        return text
    }

    /// The offset of the first byte at or after `from` that is not ASCII, or `count`: eight bytes
    /// at a time, then byte by byte.
    static func firstNonASCII(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        var at = from
        let raw = UnsafeRawPointer(base)
        while at + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: at, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            at += 8
        }
        while at < count, base[at] < 0x80 { at += 1 }
        return at
    }
}
