import Foundation

/// A compact binary form of `Codable` values, for what lossbook keeps between its own processes
/// (``PageMemo``): read back by the same binary (the memo's identity names it), never exchanged.
///
/// Foundation's `JSONDecoder` took a quarter of a whole rebuild's CPU reading the memo's
/// 4,000 pages (4 KB of JSON each, around 35 KB of HTML), so this form is made to be read fast:
/// no text to parse, strings as their UTF-8 bytes, each container's length in front so that a
/// keyed container's entries are found without decoding what lies between them, and a keyed
/// container's entries read in the order they were written (as synthesised `Codable` reads them)
/// found at once, any other order by a scan of the container's keys.
///
/// A value is a tag byte, then:
/// - `nil`, `false`, `true`: nothing;
/// - a signed or unsigned integer: 8 bytes; a `Double`: its 8 bytes; a `Float`: its 4 bytes;
/// - a string: its UTF-8 length (4 bytes) and bytes; a `[UInt8]`: its length (4 bytes) and bytes;
/// - a keyed container: its payload's length (4 bytes), its entry count (4 bytes), then each entry
///   as its key (a length of 4 bytes and UTF-8 bytes) and its value;
/// - an unkeyed container: its payload's length (4 bytes), its element count (4 bytes), the values.
/// Numbers are little-endian. Bytes that do not decode (cut short, another type, a length past the
/// end) throw `DecodingError.dataCorrupted`; none is trusted to index memory unchecked.
enum CompactCoding {
    /// The value's bytes, written as it encodes itself (``StreamWriter``); a value whose
    /// `encode(to:)` goes back to a container after it started another, or asks for a super
    /// encoder, is made into a tree first and written once that is complete: the same bytes.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let stream = StreamWriter()
        do {
            try stream.store(value) // throws when the value went out of order
            return stream.bytes
        } catch where stream.outOfOrder {}
        return try encodeAsTree(value)
    }

    /// ``encode(_:)`` through a tree of the value (the form every value can be written in).
    static func encodeAsTree<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root = Slot()
        try root.store(value)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(root.value.estimatedSize)
        try root.value.write(into: &bytes)
        return bytes
    }

    /// The value that starts at `start` and ends where `bytes` end.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], at start: Int = 0) throws -> T {
        let input = Input(bytes)
        let end = try input.skip(at: start)
        guard end == bytes.count else { throw input.corrupt("\(bytes.count - end) bytes after the value") }
        return try ValueDecoder(input: input, offset: start).decode(T.self)
    }

    enum Tag: UInt8 {
        case null = 0, `false`, `true`, int, uint, double, float, string, keyed, unkeyed, bytes
    }
}

// MARK: - Encoding

/// A value under construction: containers are filled after they are handed out, so the tree is
/// made first and written once it is complete.
private indirect enum Value {
    case null, bool(Bool), int(Int64), uint(UInt64), double(Double), float(Float), string(String), bytes([UInt8])
    case keyed(KeyedBox), unkeyed(UnkeyedBox)

    /// Scalars, strings and byte arrays as themselves (nil for anything else, which encodes itself).
    /// The type is compared exactly: `value as? [UInt8]` also matches an empty array of any type.
    static func scalar<T: Encodable>(_ value: T) -> Value? {
        switch ObjectIdentifier(T.self) {
        case ObjectIdentifier(String.self): return .string(value as! String)
        case ObjectIdentifier([UInt8].self): return .bytes(value as! [UInt8])
        case ObjectIdentifier(Bool.self): return .bool(value as! Bool)
        case ObjectIdentifier(Double.self): return .double(value as! Double)
        case ObjectIdentifier(Float.self): return .float(value as! Float)
        case ObjectIdentifier(Int.self): return .int(Int64(value as! Int))
        case ObjectIdentifier(Int64.self): return .int(value as! Int64)
        case ObjectIdentifier(Int32.self): return .int(Int64(value as! Int32))
        case ObjectIdentifier(Int16.self): return .int(Int64(value as! Int16))
        case ObjectIdentifier(Int8.self): return .int(Int64(value as! Int8))
        case ObjectIdentifier(UInt.self): return .uint(UInt64(value as! UInt))
        case ObjectIdentifier(UInt64.self): return .uint(value as! UInt64)
        case ObjectIdentifier(UInt32.self): return .uint(UInt64(value as! UInt32))
        case ObjectIdentifier(UInt16.self): return .uint(UInt64(value as! UInt16))
        case ObjectIdentifier(UInt8.self): return .uint(UInt64(value as! UInt8))
        default: return nil
        }
    }

    var estimatedSize: Int {
        switch self {
        case .null, .bool: return 1
        case .int, .uint, .double: return 9
        case .float: return 5
        case let .string(text): return 5 + text.utf8.count
        case let .bytes(bytes): return 5 + bytes.count
        case let .keyed(box): return box.entries.reduce(9) { $0 + 4 + $1.key.utf8.count + $1.slot.value.estimatedSize }
        case let .unkeyed(box): return box.items.reduce(9) { $0 + $1.value.estimatedSize }
        }
    }

    func write(into bytes: inout [UInt8]) throws {
        switch self {
        case .null: bytes.append(CompactCoding.Tag.null.rawValue)
        case let .bool(flag): bytes.append((flag ? CompactCoding.Tag.true : .false).rawValue)
        case let .int(number): bytes.append(CompactCoding.Tag.int.rawValue); Self.append(UInt64(bitPattern: number), 8, to: &bytes)
        case let .uint(number): bytes.append(CompactCoding.Tag.uint.rawValue); Self.append(number, 8, to: &bytes)
        case let .double(number): bytes.append(CompactCoding.Tag.double.rawValue); Self.append(number.bitPattern, 8, to: &bytes)
        case let .float(number): bytes.append(CompactCoding.Tag.float.rawValue); Self.append(UInt64(number.bitPattern), 4, to: &bytes)
        case let .string(text):
            bytes.append(CompactCoding.Tag.string.rawValue)
            try Self.appendText(text, to: &bytes)
        case let .bytes(run):
            bytes.append(CompactCoding.Tag.bytes.rawValue)
            try Self.append(Self.length(run.count), 4, to: &bytes)
            bytes.append(contentsOf: run)
        case let .keyed(box):
            try Self.container(.keyed, count: box.entries.count, into: &bytes) { bytes in
                for entry in box.entries {
                    try Self.appendText(entry.key, to: &bytes)
                    try entry.slot.value.write(into: &bytes)
                }
            }
        case let .unkeyed(box):
            try Self.container(.unkeyed, count: box.items.count, into: &bytes) { bytes in
                for item in box.items { try item.value.write(into: &bytes) }
            }
        }
    }

    /// A container's tag, then its payload's length (patched once written) and count.
    private static func container(_ tag: CompactCoding.Tag, count: Int, into bytes: inout [UInt8],
                                  _ payload: (inout [UInt8]) throws -> Void) throws {
        bytes.append(tag.rawValue)
        let lengthAt = bytes.count
        append(0, 4, to: &bytes)
        try append(length(count), 4, to: &bytes)
        try payload(&bytes)
        let length = try length(bytes.count - lengthAt - 4)
        for index in 0..<4 { bytes[lengthAt + index] = UInt8(truncatingIfNeeded: length >> (8 * index)) }
    }

    static func appendText(_ text: String, to bytes: inout [UInt8]) throws {
        try append(length(text.utf8.count), 4, to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    static func length(_ count: Int) throws -> UInt64 {
        guard count <= Int(UInt32.max) else {
            throw EncodingError.invalidValue(count, .init(codingPath: [], debugDescription: "a length past 4 GiB"))
        }
        return UInt64(count)
    }

    static func append(_ value: UInt64, _ width: Int, to bytes: inout [UInt8]) {
        for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}

private final class KeyedBox { var entries: [(key: String, slot: Slot)] = [] }
private final class UnkeyedBox { var items: [Slot] = [] }

/// Where one value goes; an encoder asked for a container twice gets the same one.
private final class Slot {
    /// A value that never asked for a container nor stored anything is written as an empty keyed container.
    var value: Value = .keyed(KeyedBox())
    private var claimed = false

    /// Scalars, strings and byte arrays as themselves (``Value/scalar(_:)``); anything else by its `encode(to:)`.
    func store<T: Encodable>(_ value: T) throws {
        if let scalar = Value.scalar(value) { return set(scalar) }
        try value.encode(to: ValueEncoder(slot: self))
    }

    func set(_ value: Value) { self.value = value; claimed = true }

    func keyedBox() -> KeyedBox {
        if claimed, case let .keyed(box) = value { return box }
        let box = KeyedBox()
        set(.keyed(box))
        return box
    }

    func unkeyedBox() -> UnkeyedBox {
        if claimed, case let .unkeyed(box) = value { return box }
        let box = UnkeyedBox()
        set(.unkeyed(box))
        return box
    }
}

private struct ValueEncoder: Encoder {
    let slot: Slot
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedEncoder(box: slot.keyedBox()))
    }
    func unkeyedContainer() -> UnkeyedEncodingContainer { UnkeyedEncoder(box: slot.unkeyedBox()) }
    func singleValueContainer() -> SingleValueEncodingContainer { SingleEncoder(slot: slot) }
}

private struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: KeyedBox
    var codingPath: [CodingKey] { [] }

    private func add(_ key: Key) -> Slot { add(key.stringValue) }

    private func add(_ key: String) -> Slot {
        let slot = Slot()
        box.entries.append((key, slot))
        return slot
    }

    mutating func encodeNil(forKey key: Key) throws { add(key).set(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try add(key).store(value) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(KeyedEncoder<NestedKey>(box: add(key).keyedBox()))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer { UnkeyedEncoder(box: add(key).unkeyedBox()) }
    // Under the key "super", as `JSONEncoder` writes it (a `Key` of that name need not exist).
    mutating func superEncoder() -> Encoder { ValueEncoder(slot: add("super")) }
    mutating func superEncoder(forKey key: Key) -> Encoder { ValueEncoder(slot: add(key)) }
}

private struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let box: UnkeyedBox
    var codingPath: [CodingKey] { [] }
    var count: Int { box.items.count }

    private func add() -> Slot {
        let slot = Slot()
        box.items.append(slot)
        return slot
    }

    mutating func encodeNil() throws { add().set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try add().store(value) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(KeyedEncoder<NestedKey>(box: add().keyedBox()))
    }
    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer { UnkeyedEncoder(box: add().unkeyedBox()) }
    mutating func superEncoder() -> Encoder { ValueEncoder(slot: add()) }
}

private struct SingleEncoder: SingleValueEncodingContainer {
    let slot: Slot
    var codingPath: [CodingKey] { [] }
    mutating func encodeNil() throws { slot.set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.store(value) }
}

// MARK: - Encoding as the value goes

/// Writes a value's bytes in the order its `encode(to:)` hands them over, without the tree
/// (``Slot``) made first: a container's tag and two placeholders (its length and count, patched
/// when it is complete) are written when it is asked for, each entry after it as it comes.
/// Synthesised `Codable` fills one container at a time, each nested value complete before the
/// next entry; a container is complete when its value's `encode(to:)` returns or when the
/// container it is nested in takes its next entry. A write to a container that is no longer
/// open (or a super encoder) sets ``outOfOrder``: ``CompactCoding/encode(_:)`` then makes the
/// tree instead (making a page memo's trees was most of saving it: 13.6 % of the CPU samples of a
/// build that rendered 4,000 pages).
private final class StreamWriter {
    var bytes: [UInt8] = []
    /// The containers still open, innermost last: where each one's tag is, and its entries so far.
    private var open: [(start: Int, count: Int)] = []
    private(set) var outOfOrder = false

    struct OutOfOrder: Error {}

    init() { bytes.reserveCapacity(1024) }

    func store<T: Encodable>(_ value: T) throws {
        if let scalar = Value.scalar(value) { return try scalar.write(into: &bytes) }
        let start = bytes.count, depth = open.count
        try value.encode(to: StreamEncoder(writer: self, start: start))
        if outOfOrder { throw OutOfOrder() }
        // A value that asked for nothing is an empty keyed container, as in the tree.
        if bytes.count == start { openContainer(.keyed, at: start) }
        while open.count > depth { try closeInnermost() }
    }

    func storeNil() { bytes.append(CompactCoding.Tag.null.rawValue) }

    /// The container of the value at `start`: opened when nothing of that value is written yet,
    /// the same one when it is the innermost open container of that kind, else out of order.
    func openContainer(_ tag: CompactCoding.Tag, at start: Int) {
        if bytes.count == start {
            bytes.append(tag.rawValue)
            Value.append(0, 8, to: &bytes)
            open.append((start, 0))
        } else if open.last?.start != start || bytes[start] != tag.rawValue {
            outOfOrder = true
        }
    }

    /// Before an entry of the container at `start`: closes the containers nested in it (complete
    /// now) and counts the entry; throws when that container is no longer open.
    func entry(of start: Int) throws {
        guard !outOfOrder, open.contains(where: { $0.start == start }) else { outOfOrder = true; throw OutOfOrder() }
        while open.last!.start != start { try closeInnermost() }
        open[open.count - 1].count += 1
    }

    /// Before the value at `start` is written through a single-value container.
    func single(at start: Int) throws {
        guard !outOfOrder, bytes.count == start else { outOfOrder = true; throw OutOfOrder() }
    }

    func markOutOfOrder() { outOfOrder = true }

    func count(of start: Int) -> Int { open.last { $0.start == start }?.count ?? 0 }

    private func closeInnermost() throws {
        let (start, count) = open.removeLast()
        let length = try Value.length(bytes.count - start - 5), entries = try Value.length(count)
        for index in 0..<4 {
            bytes[start + 1 + index] = UInt8(truncatingIfNeeded: length >> (8 * index))
            bytes[start + 5 + index] = UInt8(truncatingIfNeeded: entries >> (8 * index))
        }
    }
}

private struct StreamEncoder: Encoder {
    let writer: StreamWriter
    /// Where the value being encoded starts.
    let start: Int
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.openContainer(.keyed, at: start)
        return KeyedEncodingContainer(StreamKeyed(writer: writer, start: start))
    }
    func unkeyedContainer() -> UnkeyedEncodingContainer {
        writer.openContainer(.unkeyed, at: start)
        return StreamUnkeyed(writer: writer, start: start)
    }
    func singleValueContainer() -> SingleValueEncodingContainer { StreamSingle(writer: writer, start: start) }
}

private struct StreamKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: StreamWriter
    let start: Int
    var codingPath: [CodingKey] { [] }

    private func key(_ key: Key) throws {
        try writer.entry(of: start)
        try Value.appendText(key.stringValue, to: &writer.bytes)
    }

    mutating func encodeNil(forKey key: Key) throws { try self.key(key); writer.storeNil() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try self.key(key); try writer.store(value) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = writer.bytes.count + 4 + key.stringValue.utf8.count
        if (try? self.key(key)) != nil { writer.openContainer(.keyed, at: nested) }
        return KeyedEncodingContainer(StreamKeyed<NestedKey>(writer: writer, start: nested))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let nested = writer.bytes.count + 4 + key.stringValue.utf8.count
        if (try? self.key(key)) != nil { writer.openContainer(.unkeyed, at: nested) }
        return StreamUnkeyed(writer: writer, start: nested)
    }
    mutating func superEncoder() -> Encoder { writer.markOutOfOrder(); return StreamEncoder(writer: writer, start: -1) }
    mutating func superEncoder(forKey key: Key) -> Encoder { writer.markOutOfOrder(); return StreamEncoder(writer: writer, start: -1) }
}

private struct StreamUnkeyed: UnkeyedEncodingContainer {
    let writer: StreamWriter
    let start: Int
    var codingPath: [CodingKey] { [] }
    var count: Int { writer.count(of: start) }

    mutating func encodeNil() throws { try writer.entry(of: start); writer.storeNil() }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.entry(of: start); try writer.store(value) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = writer.bytes.count
        if (try? writer.entry(of: start)) != nil { writer.openContainer(.keyed, at: nested) }
        return KeyedEncodingContainer(StreamKeyed<NestedKey>(writer: writer, start: nested))
    }
    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let nested = writer.bytes.count
        if (try? writer.entry(of: start)) != nil { writer.openContainer(.unkeyed, at: nested) }
        return StreamUnkeyed(writer: writer, start: nested)
    }
    mutating func superEncoder() -> Encoder { writer.markOutOfOrder(); return StreamEncoder(writer: writer, start: -1) }
}

private struct StreamSingle: SingleValueEncodingContainer {
    let writer: StreamWriter
    let start: Int
    var codingPath: [CodingKey] { [] }
    mutating func encodeNil() throws { try writer.single(at: start); writer.storeNil() }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.single(at: start); try writer.store(value) }
}

// MARK: - Decoding

/// The bytes being decoded, read with bounds checked.
private final class Input {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func corrupt(_ why: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "compact value: \(why)"))
    }

    func tag(at offset: Int) throws -> CompactCoding.Tag {
        guard offset < bytes.count else { throw corrupt("cut short at byte \(offset)") }
        guard let tag = CompactCoding.Tag(rawValue: bytes[offset]) else { throw corrupt("unknown tag \(bytes[offset]) at byte \(offset)") }
        return tag
    }

    func number(at offset: Int, width: Int) throws -> UInt64 {
        guard offset >= 0, width <= bytes.count, offset <= bytes.count - width else { throw corrupt("cut short at byte \(offset)") }
        var value: UInt64 = 0
        for index in (0..<width).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }

    /// The range of a length-prefixed run of bytes starting at `offset`.
    func run(at offset: Int) throws -> Range<Int> {
        let length = Int(try number(at: offset, width: 4))
        guard length <= bytes.count - offset - 4 else { throw corrupt("a length past the end at byte \(offset)") }
        return offset + 4..<offset + 4 + length
    }

    /// The offset just past the value at `offset`.
    func skip(at offset: Int) throws -> Int {
        switch try tag(at: offset) {
        case .null, .false, .true: return offset + 1
        case .int, .uint, .double: _ = try number(at: offset + 1, width: 8); return offset + 9
        case .float: _ = try number(at: offset + 1, width: 4); return offset + 5
        case .string, .bytes, .keyed, .unkeyed: return try run(at: offset + 1).upperBound
        }
    }

    func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }
}

private struct ValueDecoder: Decoder {
    let input: Input
    let offset: Int
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try KeyedDecoder<Key>(input: input, offset: offset))
    }
    func unkeyedContainer() throws -> UnkeyedDecodingContainer { try UnkeyedDecoder(input: input, offset: offset) }
    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch ObjectIdentifier(type) {
        case ObjectIdentifier(String.self): return try decode(String.self) as! T
        case ObjectIdentifier(Bool.self): return try decode(Bool.self) as! T
        case ObjectIdentifier(Double.self): return try decode(Double.self) as! T
        case ObjectIdentifier(Int.self): return try decode(Int.self) as! T
        case ObjectIdentifier([UInt8].self):
            guard try input.tag(at: offset) == .bytes else { throw mismatch(type) }
            return Array(input.bytes[try input.run(at: offset + 1)]) as! T
        default: return try T(from: self)
        }
    }
}

extension ValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { (try? input.tag(at: offset)) == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch try input.tag(at: offset) {
        case .true: return true
        case .false: return false
        default: throw mismatch(type)
        }
    }

    func decode(_ type: String.Type) throws -> String {
        guard try input.tag(at: offset) == .string else { throw mismatch(type) }
        return input.string(try input.run(at: offset + 1))
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch try input.tag(at: offset) {
        case .double: return Double(bitPattern: try input.number(at: offset + 1, width: 8))
        case .float: return Double(try decode(Float.self))
        default: throw mismatch(type)
        }
    }

    func decode(_ type: Float.Type) throws -> Float {
        guard try input.tag(at: offset) == .float else { throw mismatch(type) }
        return Float(bitPattern: UInt32(try input.number(at: offset + 1, width: 4)))
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let bits = try input.number(at: offset + 1, width: 8)
        let value: T?
        switch try input.tag(at: offset) {
        case .int: value = T(exactly: Int64(bitPattern: bits))
        case .uint: value = T(exactly: bits)
        default: throw mismatch(type)
        }
        guard let value else { throw input.corrupt("\(bits) does not fit \(type)") }
        return value
    }

    private func mismatch(_ type: Any.Type) -> DecodingError {
        let found = (try? input.tag(at: offset)).map { "\($0)" } ?? "nothing"
        return DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "compact value: found \(found) at byte \(offset)"))
    }
}

/// A keyed container read in place: its entries are checked once, then found by walking them
/// from the one after the last found (no table of entries is made: decoding a page's thousands
/// of small containers is mostly their allocations).
private final class KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let input: Input
    /// The first entry's offset, the container's end, and where the next lookup starts.
    private let first: Int, end: Int
    private var next: Int

    var codingPath: [CodingKey] { [] }

    init(input: Input, offset: Int) throws {
        self.input = input
        guard try input.tag(at: offset) == .keyed else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: [], debugDescription: "compact value: not a keyed container at byte \(offset)"))
        }
        let payload = try input.run(at: offset + 1)
        guard payload.count >= 4 else { throw input.corrupt("a container shorter than its count at byte \(offset)") }
        let count = Int(try input.number(at: payload.lowerBound, width: 4))
        guard count <= (payload.count - 4) / 5 else { throw input.corrupt("\(count) entries in \(payload.count) bytes") }
        var cursor = payload.lowerBound + 4
        for _ in 0..<count {
            let key = try input.run(at: cursor)
            cursor = try input.skip(at: key.upperBound)
            guard cursor <= payload.upperBound else { throw input.corrupt("an entry past its container at byte \(key.lowerBound)") }
        }
        guard cursor == payload.upperBound else { throw input.corrupt("a container's length disagrees with its entries") }
        (first, end, next) = (payload.lowerBound + 4, payload.upperBound, payload.lowerBound + 4)
    }

    /// Each entry's key bytes and value offset, in the order written (checked by `init`).
    private func forEachEntry(from start: Int, to stop: Int, _ body: (_ key: Range<Int>, _ value: Int, _ after: Int) -> Bool) {
        var cursor = start
        while cursor < stop, let key = try? input.run(at: cursor), let after = try? input.skip(at: key.upperBound) {
            if body(key, key.upperBound, after) { return }
            cursor = after
        }
    }

    var allKeys: [Key] {
        var keys: [Key] = []
        forEachEntry(from: first, to: end) { key, _, _ in
            if let name = Key(stringValue: input.string(key)) { keys.append(name) }
            return false
        }
        return keys
    }

    /// The offset of `key`'s value, or nil.
    private func find(_ key: Key) -> Int? {
        var name = key.stringValue
        return name.withUTF8 { wanted -> Int? in
            input.bytes.withUnsafeBufferPointer { bytes -> Int? in
                var found: Int?
                let match = { (key: Range<Int>, value: Int, after: Int) -> Bool in
                    guard key.count == wanted.count,
                          holdsBytes(UnsafeRawBufferPointer(bytes), UnsafeRawBufferPointer(wanted), at: key.lowerBound) else { return false }
                    (found, self.next) = (value, after)
                    return true
                }
                let start = next
                forEachEntry(from: start, to: end, match)
                if found == nil { forEachEntry(from: first, to: start, match) }
                return found
            }
        }
    }

    private func value(_ key: Key) throws -> ValueDecoder {
        guard let offset = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "compact value: no '\(key.stringValue)'"))
        }
        return ValueDecoder(input: input, offset: offset)
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { try value(key).decodeNil() }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(key).decode(type) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let offset = find(key) else { return nil }
        let decoder = ValueDecoder(input: input, offset: offset)
        return decoder.decodeNil() ? nil : try decoder.decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try value(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try value(key).unkeyedContainer() }
    func superDecoder() throws -> Decoder { try value(Key(stringValue: "super")!) }
    func superDecoder(forKey key: Key) throws -> Decoder { try value(key) }
}

private struct UnkeyedDecoder: UnkeyedDecodingContainer {
    let input: Input
    let end: Int
    let count: Int?
    private(set) var currentIndex = 0
    private var offset: Int

    var codingPath: [CodingKey] { [] }
    var isAtEnd: Bool { currentIndex >= count! }

    init(input: Input, offset: Int) throws {
        self.input = input
        guard try input.tag(at: offset) == .unkeyed else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "compact value: not an unkeyed container at byte \(offset)"))
        }
        let payload = try input.run(at: offset + 1)
        guard payload.count >= 4 else { throw input.corrupt("a container shorter than its count at byte \(offset)") }
        let count = Int(try input.number(at: payload.lowerBound, width: 4))
        guard count <= payload.count - 4 else { throw input.corrupt("\(count) elements in \(payload.count) bytes") }
        self.count = count
        self.offset = payload.lowerBound + 4
        end = payload.upperBound
    }

    /// The decoder of the next element, which it then steps past.
    private mutating func advance() throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "compact value: past the last of \(count!) elements"))
        }
        let decoder = ValueDecoder(input: input, offset: offset)
        let next = try input.skip(at: offset)
        guard next <= end else { throw input.corrupt("an element past its container at byte \(offset)") }
        offset = next
        currentIndex += 1
        return decoder
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, (try? input.tag(at: offset)) == .null else { return false }
        _ = try advance()
        return true
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try advance().decode(type) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try advance().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try advance().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try advance() }
}
