import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeBufferPointer where Element == UInt8 {
    /// Where `needle` first starts at or after byte `from`, found by the C library's `strstr`
    /// (vectorised: it tests the needle's first two bytes together), past any NUL in the bytes.
    /// ``firstOffset(of:from:)`` stops at every occurrence of the needle's first byte: slower when
    /// that byte is common (`<` in a page of markup) and the needle rare (a heading's tag).
    /// The bytes must be followed by a NUL, as those `String.withCString` lends are.
    func cStringOffset(of needle: StaticString, from: Int = 0) -> Int? {
        guard let base = baseAddress else { return nil }
        let chars = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
        let pattern = UnsafeRawPointer(needle.utf8Start).assumingMemoryBound(to: CChar.self)
        var i = Swift.max(from, 0)
        while i < count {
            guard let hit = strstr(chars + i, pattern) else {
                // The search stopped at a NUL inside the bytes (or at their end): go on after it.
                guard let nul = memchr(base + i, 0, count - i) else { return nil }
                i = base.distance(to: nul.assumingMemoryBound(to: UInt8.self)) + 1
                continue
            }
            return chars.distance(to: hit)
        }
        return nil
    }
}
