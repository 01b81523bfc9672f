import Foundation

/// Reads ``CompactCoding``'s form of a value field by field, without `Codable`'s machinery, for
/// the page memo (``PageMemo/Page``), which every memo-fed build reads whole: through `Codable`
/// (a boxed container and a generic call per field, a key found by name) reading the memo took a
/// fifth of a 2,000-page full rebuild's CPU samples, a quarter of that checking its strings' UTF-8.
///
/// The reader is strict: a keyed container must hold exactly the keys read from it, in the order
/// read (the order a synthesised `encode(to:)` writes them), optional ones (`encodeIfPresent`)
/// allowed to be absent. A type that gains a field its reader does not know is therefore refused,
/// not read short: a page memo file that does not read is a page rendered again, never a wrong one
/// (``PageMemoTests`` checks that each memo type's reader gives back what `Codable` wrote).
/// Bytes that do not read (cut short, another tag, a length past the end) throw; none is trusted to
/// index memory unchecked.
struct CompactReader {
    struct Corrupt: Error {
        let offset: Int
        let why: String
    }

    private let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int
    /// The innermost keyed container being read: where it ends, and how many entries it has left.
    private var container: (end: Int, left: Int)

    /// - Parameter bytes: valid while the reader is used.
    init(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        container = (bytes.count, 0)
    }

    /// Whether every byte was read.
    var isAtEnd: Bool { offset == bytes.count }

    // MARK: - Scalars

    mutating func string() throws -> String {
        let run = try run(after: .string)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[run]), as: UTF8.self)
    }

    /// A string, `previous` itself when its bytes are these: the diagnostics of one typeset page
    /// share their path and their hint. Decoding each anew (its bytes checked, its storage made) was
    /// half of reading a kept page's 6 prose warnings when they were kept as diagnostics (24,000
    /// after a prose edit at 2,000 pages per language; they are kept as bytes now, ``PageWarnings``).
    mutating func string(reusing previous: String?) throws -> String {
        let run = try run(after: .string)
        let bytes = UnsafeRawBufferPointer(rebasing: bytes[run])
        if var previous, previous.utf8.count == bytes.count, previous.withUTF8({ holdsBytes(bytes, UnsafeRawBufferPointer($0), at: 0) }) {
            return previous
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the next string is `expected`, compared in place (no string made: a kept page's
    /// format and identity, checked for each of 4,000 pages after a prose edit).
    mutating func string(equals expected: String) throws -> Bool {
        let run = try run(after: .string)
        var expected = expected
        return expected.withUTF8 { utf8 in
            utf8.count == run.count && holdsBytes(bytes, UnsafeRawBufferPointer(utf8), at: run.lowerBound)
        }
    }

    mutating func byteArray() throws -> [UInt8] {
        Array(UnsafeRawBufferPointer(rebasing: bytes[try byteRun()]))
    }

    /// Where the next byte array's bytes are in the reader's bytes (not copied out of them).
    mutating func byteRun() throws -> Range<Int> { try run(after: .bytes) }

    /// The bytes the reader reads (a ``byteRun()``'s are at its range in them).
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(bytes) }

    mutating func bool() throws -> Bool {
        switch try tag() {
        case .true: return true
        case .false: return false
        default: throw corrupt("not a Bool")
        }
    }

    /// An `Int` (written by `Codable` as a signed or unsigned integer).
    mutating func int() throws -> Int {
        let tag = try tag()
        let bits = try number(width: 8)
        switch tag {
        case .int: return Int(Int64(bitPattern: bits))
        case .uint:
            guard let value = Int(exactly: bits) else { throw corrupt("\(bits) does not fit Int") }
            return value
        default: throw corrupt("not an integer")
        }
    }

    // MARK: - Containers

    /// A keyed container, read by `body` with ``key(_:)`` and ``hasKey(_:)``: it must read every entry.
    mutating func keyed<T>(_ body: (inout CompactReader) throws -> T) throws -> T {
        let payload = try run(after: .keyed)
        let count = Int(try number(width: 4))
        let outer = container
        container = (payload.upperBound, count)
        let value = try body(&self)
        guard container.left == 0, offset == payload.upperBound else { throw corrupt("entries left unread in a container") }
        container = outer
        return value
    }

    /// The next entry of the keyed container, which must be `name`.
    mutating func key(_ name: StaticString) throws {
        guard hasKey(name) else { throw corrupt("no '\(name)' here") }
    }

    /// Whether the next entry of the keyed container is `name` (read past its key when it is):
    /// an optional field `encodeIfPresent` left out is absent.
    mutating func hasKey(_ name: StaticString) -> Bool {
        guard container.left > 0, offset <= container.end - 4 else { return false }
        let length = Int(load(UInt32.self, at: offset))
        let start = offset + 4
        guard length == name.utf8CodeUnitCount, length <= container.end - start,
              memcmp(bytes.baseAddress! + start, name.utf8Start, length) == 0 else { return false }
        offset = start + length
        container.left -= 1
        return true
    }

    /// A keyed container whose keys are data, as `Codable` writes a `Dictionary` with `String`
    /// keys: each entry's key, and its value read by `value`. A key written twice keeps its last value.
    mutating func dictionary<T>(_ value: (inout CompactReader) throws -> T) throws -> [String: T] {
        try keyed { reader in
            var entries: [String: T] = [:]
            entries.reserveCapacity(reader.container.left)
            while reader.container.left > 0 {
                guard reader.offset <= reader.container.end - 4 else { throw reader.corrupt("a key past its container") }
                let length = Int(reader.load(UInt32.self, at: reader.offset))
                let start = reader.offset + 4
                guard length <= reader.container.end - start else { throw reader.corrupt("a key past its container") }
                reader.offset = start + length
                reader.container.left -= 1
                let key = String(decoding: UnsafeRawBufferPointer(rebasing: reader.bytes[start..<start + length]), as: UTF8.self)
                entries[key] = try value(&reader)
            }
            return entries
        }
    }

    /// An unkeyed container's elements, each read by `element`.
    mutating func array<T>(_ element: (inout CompactReader) throws -> T) throws -> [T] {
        var elements: [T] = []
        try forEachElement(count: { elements.reserveCapacity($0) }) { elements.append(try element(&$0)) }
        return elements
    }

    /// Reads an unkeyed container's elements, each by `element`, keeping nothing; `count` is told
    /// how many there are first.
    mutating func forEachElement(count: (Int) -> Void = { _ in }, _ element: (inout CompactReader) throws -> Void) throws {
        let payload = try run(after: .unkeyed)
        let total = Int(try number(width: 4))
        // Each element takes a byte at least: a count past that is a damaged file, not an allocation.
        guard total <= payload.upperBound - offset else { throw corrupt("\(total) elements in \(payload.count) bytes") }
        count(total)
        let outer = container
        for _ in 0..<total {
            container = (payload.upperBound, 0)
            try element(&self)
            guard offset <= payload.upperBound else { throw corrupt("an element past its container") }
        }
        guard offset == payload.upperBound else { throw corrupt("a container's length disagrees with its elements") }
        container = outer
    }

    /// Passes over the string here, checking that it is one (its bytes are not decoded).
    mutating func skipString() throws { _ = try run(after: .string) }

    /// Passes over the value here, whatever it is, reading only its tag and length.
    mutating func skipValue() throws {
        switch try tag() {
        case .null, .false, .true: break
        case .int, .uint, .double: _ = try number(width: 8)
        case .float: _ = try number(width: 4)
        case .string, .bytes, .keyed, .unkeyed:
            let length = Int(try number(width: 4))
            guard length <= bytes.count - offset else { throw corrupt("a length past the end") }
            offset += length
        }
    }

    /// The keyed container here, passed over with only its first entry read (a string under
    /// `name`): that string, and the container's bytes from its tag, for a reader of its own to read
    /// whole later (``PageMemo/KeptPage``). Only the lengths on the way are checked.
    mutating func leadingString(_ name: StaticString) throws -> (String, Range<Int>) {
        let start = offset
        let payload = try run(after: .keyed)
        let count = Int(try number(width: 4))
        let outer = container
        container = (payload.upperBound, count)
        try key(name)
        let text = try string()
        guard offset <= payload.upperBound else { throw corrupt("an entry past its container") }
        container = outer
        offset = payload.upperBound
        return (text, start..<offset)
    }

    // MARK: - Bytes

    private mutating func tag() throws -> CompactCoding.Tag {
        guard offset < bytes.count else { throw corrupt("cut short") }
        guard let tag = CompactCoding.Tag(rawValue: bytes[offset]) else { throw corrupt("unknown tag \(bytes[offset])") }
        offset += 1
        return tag
    }

    /// A little-endian number of `width` bytes (4 or 8).
    private mutating func number(width: Int) throws -> UInt64 {
        guard width <= bytes.count - offset else { throw corrupt("cut short") }
        let value = width == 8 ? UInt64(littleEndian: load(UInt64.self, at: offset)) : UInt64(load(UInt32.self, at: offset))
        offset += width
        return value
    }

    /// The payload after `tag` and its 4-byte length; the reader is left at its start (its end
    /// for a string or a byte run).
    private mutating func run(after expected: CompactCoding.Tag) throws -> Range<Int> {
        guard try tag() == expected else { throw corrupt("not a \(expected)") }
        let length = Int(try number(width: 4))
        guard length <= bytes.count - offset else { throw corrupt("a length past the end") }
        let run = offset..<offset + length
        if expected == .string || expected == .bytes { offset = run.upperBound }
        return run
    }

    private func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    private func corrupt(_ why: String) -> Corrupt { Corrupt(offset: offset, why: why) }
}
