import Foundation

/// A value a `build` makes from files that seldom change, kept in the cache folder for the next
/// build process to read instead of making it again: one file a key (``PassingRunCache/slot(_:key:)``,
/// the last ``PassingRunCache/keptRuns`` kept), in ``CompactCoding``'s form, as the
/// binary's own checks keep their passing runs (``PassingRunCache/write(_:key:to:runsOf:removingEarlierFile:)``).
///
/// The key names everything the value is made from besides the binary; the binary (its file's
/// identity, ``PageMemo/binaryStamp()``) and lossbook's version are added here, so a new binary
/// makes every value again. A file that does not read as this key's value is made again and
/// written over. Best effort: a value that cannot be written is made again by the next build.
enum KeptBetweenBuilds {
    /// The value kept under `name` and `key` in `cache` (`kept`, read by `read`), else `make()`,
    /// kept there (as `store` makes it) when it returns. Nothing is kept when `make` throws (its
    /// mistakes are reported by every build until mended), nor without a cache folder.
    /// - Parameter read: reads the value as the `Encodable` conformance of `store`'s result wrote
    ///   it, without `Decodable`'s generic path (a type looked up by name at each value).
    static func value<Value, Stored: Encodable>(_ name: String, key: String, cache: URL?, store: (Value) -> Stored,
                                                read: (inout CompactReader) throws -> Value,
                                                _ make: () throws -> Value) rethrows -> (value: Value, kept: Bool) {
        guard let cache else { return (try make(), false) }
        let file = cache.appendingPathComponent(name)
        let whole = "\(name) 1\u{1}\(LossbookVersion.current)\u{1}\(PageMemo.binaryStamp())\u{1}\(key)"
        let slot = PassingRunCache.slot(file, key: fnv1a64Hex(Array(whole.utf8))).path
        if let kept = PassingRunCache.read(slot, key: whole, read) { return (kept, true) }
        let value = try make()
        PassingRunCache.write(store(value), key: whole, to: slot, runsOf: file, removingEarlierFile: false)
        return (value, false)
    }
}
