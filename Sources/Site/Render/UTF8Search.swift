import Foundation

/// Where `needle` first stands in `haystack`: the C library's `memmem`. Swift's Glibc module does
/// not show glibc's GNU extensions (`_GNU_SOURCE`), so it is looked up by name, once; where it
/// cannot be, the bytes are compared at each occurrence of the needle's first byte (`memchr`).
func findBytes(_ haystack: UnsafeRawPointer, _ count: Int, _ needle: UnsafeRawPointer, _ length: Int) -> UnsafeRawPointer? {
    guard length > 0, length <= count else { return nil }
    if let memmem = ByteSearch.memmem { return memmem(haystack, count, needle, length).map(UnsafeRawPointer.init) }
    return findBytesByFirstByte(haystack, count, needle, length)
}

/// ``findBytes(_:_:_:_:)`` without `memmem`.
func findBytesByFirstByte(_ haystack: UnsafeRawPointer, _ count: Int, _ needle: UnsafeRawPointer, _ length: Int) -> UnsafeRawPointer? {
    guard length > 0, length <= count else { return nil }
    let first = needle.load(as: UInt8.self)
    var at = haystack
    let last = haystack + (count - length)
    while at <= last, let hit = memchr(at, Int32(first), last - at + 1) {
        if memcmp(hit, needle, length) == 0 { return UnsafeRawPointer(hit) }
        at = UnsafeRawPointer(hit) + 1
    }
    return nil
}

/// Whether `bytes` stand at `offset` in `buffer` (false where they would run past its end): one
/// `memcmp`, empty buffers (whose base address may be nil) taken care of.
@inline(__always)
func holdsBytes(_ buffer: UnsafeRawBufferPointer, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
    guard offset >= 0, offset <= buffer.count, bytes.count <= buffer.count - offset else { return false }
    return bytes.isEmpty || memcmp(buffer.baseAddress! + offset, bytes.baseAddress!, bytes.count) == 0
}

enum ByteSearch {
    typealias MemMem = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?
    static let memmem = cFunction("memmem", as: MemMem.self)
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Byte offsets of every occurrence of `needle`'s UTF-8 bytes, left to right, not overlapping.
    func occurrences(of needle: String) -> [Range<Int>] {
        let pattern = Array(needle.utf8)
        var found: [Range<Int>] = []
        guard !pattern.isEmpty, let base = baseAddress else { return found }
        var i = 0
        // `memmem`, as ``firstOffset(of:from:)``.
        while i < count, let hit = pattern.withUnsafeBytes({ findBytes(base + i, count - i, $0.baseAddress!, pattern.count) }) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            found.append(at..<(at + pattern.count))
            i = at + pattern.count
        }
        return found
    }

    /// Whether `prefix` stands at byte `at`.
    func hasPrefix(_ prefix: StaticString, at: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard at >= 0, at + count <= self.count else { return false }
        let p = prefix.utf8Start
        for k in 0..<count where self[at + k] != p[k] { return false }
        return true
    }

    /// Where `byte` first stands at or after `from` (`memchr`, which reads many bytes at a time).
    func firstIndex(of byte: UInt8, from: Int) -> Int? {
        guard let base = baseAddress, from < count else { return nil }
        guard let found = memchr(base + from, Int32(byte), count - from) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Where `needle` first starts at or after byte `from` (glibc's `memmem`, which compares many
    /// bytes at a time). A search that jumped with `memchr` to each occurrence of the needle's first
    /// byte stopped at every space of KaTeX's HTML looking for ` id="`: checking which formulas a
    /// page may share (``TypesetHTML/canShare(_:)``) was 2.3 % of a build's CPU samples that
    /// rendered 4,000 pages again.
    func firstOffset(of needle: StaticString, from: Int = 0) -> Int? {
        let length = needle.utf8CodeUnitCount
        let start = Swift.max(from, 0)
        guard length > 0, let base = baseAddress, start < count else { return nil }
        guard let found = findBytes(base + start, count - start, needle.utf8Start, length) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}

/// Searching and replacing in a string's UTF-8 bytes: for the large generated fragments (a plot or
/// a diagram is tens of kilobytes of SVG), where Foundation's `range(of:)` and
/// `replacingOccurrences` bridge the whole text to UTF-16 at each call.
extension String {
    /// Byte offsets of every occurrence of `needle`, left to right, not overlapping.
    func utf8Occurrences(of needle: String) -> [Range<Int>] {
        var copy = self
        return copy.withUTF8 { $0.occurrences(of: needle) }
    }

    /// Every occurrence of `needle` replaced by what `replacement` makes of the bytes after it; it
    /// returns the text to put in and how many of those bytes it consumed.
    func utf8Replacing(_ needle: String, _ replacement: (_ after: UnsafeBufferPointer<UInt8>) -> (text: String, consumed: Int)) -> String {
        let occurrences = utf8Occurrences(of: needle)
        guard !occurrences.isEmpty else { return self }
        var copy = self
        return copy.withUTF8 { bytes in
            // Appended to a string as slices of this one and the replacements (valid UTF-8 both):
            // not gathered as bytes first and made a string again, which checks every byte.
            var out = ""
            out.reserveCapacity(bytes.count + bytes.count / 8)
            let utf8 = self.utf8
            func append(_ range: Range<Int>) {
                guard !range.isEmpty else { return }
                func isBoundary(_ offset: Int) -> Bool { offset == bytes.count || bytes[offset] & 0xC0 != 0x80 }
                guard isBoundary(range.lowerBound), isBoundary(range.upperBound) else {
                    // A slice cut inside a character (a replacement that consumed part of one) is repaired as before.
                    out.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                    return
                }
                out.append(contentsOf: self[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
            }
            var copied = 0
            for range in occurrences where range.lowerBound >= copied {
                append(copied..<range.lowerBound)
                let (text, consumed) = replacement(UnsafeBufferPointer(rebasing: bytes[range.upperBound...]))
                out.append(text)
                copied = range.upperBound + consumed
            }
            append(min(copied, bytes.count)..<bytes.count)
            return out
        }
    }

    /// Every occurrence of `needle` replaced by `replacement`.
    func utf8Replacing(_ needle: String, with replacement: String) -> String {
        utf8Replacing(needle) { _ in (replacement, 0) }
    }
}
