import Foundation

/// A value a `build` makes from files that seldom change, kept in the cache folder for the next
/// build process to read instead of making it again: one file a key (``PassingRunCache/slot(_:key:)``,
/// the last ``PassingRunCache/keptRuns`` kept), in ``CompactCoding``'s form.
///
/// The key names everything the value is made from besides the binary; the binary (its file's
/// identity, ``PageMemo/binaryStamp()``) and lossbook's version are added here, so a new binary
/// makes every value again. A file that does not read as this key's value is made again and
/// written over. Best effort: a value that cannot be written is made again by the next build.
enum KeptBetweenBuilds {
    /// What a file holds: the key it was made under, then the value (``CompactCoding``'s form).
    private struct Kept<Value: Encodable>: Encodable {
        var key: String
        var value: Value
    }

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
        if let bytes = SiteFile.contents(of: slot), let kept = Self.read(bytes, key: whole, read) { return (kept, true) }
        let value = try make()
        if let bytes = try? CompactCoding.encode(Kept(key: whole, value: store(value))) {
            try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
            _ = try? bytes.withUnsafeBytes { try SiteFile.renew($0, at: slot) }
            PassingRunCache.prune(file, removingEarlierFile: false)
        }
        return (value, false)
    }

    /// The value in `bytes` when they are a whole ``Kept`` of `key`, else nil.
    private static func read<Value>(_ bytes: [UInt8], key: String, _ read: (inout CompactReader) throws -> Value) -> Value? {
        bytes.withUnsafeBytes { raw in
            var reader = CompactReader(raw)
            let value = try? reader.keyed { reader -> Value? in
                try reader.key("key")
                guard try reader.string(equals: key) else { return nil }
                try reader.key("value")
                return try read(&reader)
            }
            return reader.offset == raw.count ? value ?? nil : nil
        }
    }
}
