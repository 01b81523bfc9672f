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
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            var copied = 0
            for range in occurrences where range.lowerBound >= copied {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<range.lowerBound]))
                let (text, consumed) = replacement(UnsafeBufferPointer(rebasing: bytes[range.upperBound...]))
                out.append(contentsOf: text.utf8)
                copied = range.upperBound + consumed
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[min(copied, bytes.count)...]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Every occurrence of `needle` replaced by `replacement`.
    func utf8Replacing(_ needle: String, with replacement: String) -> String {
        utf8Replacing(needle) { _ in (replacement, 0) }
    }
}
