import Foundation

extension UnsafeBufferPointer where Element == UInt8 {
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

    /// Where `needle` first starts at or after byte `from`: `memchr` jumps to each occurrence of
    /// its first byte, and only there are the rest compared.
    func firstOffset(of needle: StaticString, from: Int = 0) -> Int? {
        let length = needle.utf8CodeUnitCount
        guard length > 0 else { return nil }
        let first = needle.utf8Start[0]
        var j = Swift.max(from, 0)
        while let hit = firstIndex(of: first, from: j), hit + length <= count {
            if hasPrefix(needle, at: hit) { return hit }
            j = hit + 1
        }
        return nil
    }
}

/// Searching and replacing in a string's UTF-8 bytes: for the large generated fragments (a plot or
/// a diagram is tens of kilobytes of SVG), where Foundation's `range(of:)` and
/// `replacingOccurrences` bridge the whole text to UTF-16 at each call.
extension String {
    /// Byte offsets of every occurrence of `needle`, left to right, not overlapping.
    func utf8Occurrences(of needle: String) -> [Range<Int>] {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return [] }
        var copy = self
        return copy.withUTF8 { bytes in
            var found: [Range<Int>] = []
            var i = 0
            let last = bytes.count - pattern.count
            // `memchr` jumps to each occurrence of the first byte; only there is the rest compared.
            while i <= last, let hit = bytes.firstIndex(of: first, from: i), hit <= last {
                if (1..<pattern.count).allSatisfy({ bytes[hit + $0] == pattern[$0] }) {
                    found.append(hit..<(hit + pattern.count))
                    i = hit + pattern.count
                } else {
                    i = hit + 1
                }
            }
            return found
        }
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
