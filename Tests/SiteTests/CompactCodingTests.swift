import Foundation
import XCTest
@testable import Site

/// ``CompactCoding``, the binary form of the page memo: every shape of value `Codable` makes
/// comes back equal, and bytes that are cut short, flipped or of another type throw instead of
/// crashing or decoding to something else.
final class CompactCodingTests: XCTestCase {
    enum Kind: Codable, Equatable {
        case plain
        case html(String)
        case block(code: String, line: Int, notes: [String]?)
    }

    struct Inner: Codable, Equatable {
        var name: String
        var weight: Double
        var flags: [Bool]
    }

    struct Sample: Codable, Equatable {
        var text = "plain ASCII"
        var chinese = "焦点损失 — ∂𝓛/∂p"
        var empty = ""
        var int = Int.min
        var uint = UInt64.max
        var small: Int8 = -7
        var float: Float = -0.0
        var double = Double.pi
        var infinity = -Double.infinity
        var optionalSome: Int? = 3
        var optionalNone: String?
        var nestedOptional: [Int?] = [1, nil, 3]
        var kinds: [Kind] = [.plain, .html("<p>a</p>"), .block(code: "x = 1", line: 12, notes: nil), .block(code: "", line: 0, notes: ["n"])]
        var byName: [String: Inner] = ["b": Inner(name: "bee", weight: 2, flags: []), "a": Inner(name: "", weight: -1e-300, flags: [true, false])]
        var byNumber: [Int: String] = [3: "three", -1: "minus one"]
        var nested: [[Inner]] = [[], [Inner(name: "x", weight: 0, flags: [true])]]
        var date = Date(timeIntervalSince1970: 1_764_000_000.25)
        var url = URL(string: "https://example.org/a?b=c")!
        var bytes: [UInt8] = [0, 255, 7, 0x7B]
        var noBytes: [UInt8] = []
        var byteLists: [[UInt8]] = [[1], [], [2, 3]]
    }

    func testEveryShapeOfValueComesBackEqual() throws {
        var sample = Sample()
        sample.optionalSome = nil
        sample.optionalNone = "now present"
        for value in [Sample(), sample] {
            let bytes = try CompactCoding.encode(value)
            XCTAssertEqual(try CompactCoding.decode(Sample.self, from: bytes), value)
        }
        let nan = try CompactCoding.decode(Double.self, from: CompactCoding.encode(Double.nan))
        XCTAssertTrue(nan.isNaN)
        let negativeZero = try CompactCoding.decode(Float.self, from: CompactCoding.encode(Float(-0.0)))
        XCTAssertEqual(negativeZero.sign, .minus)
    }

    /// Keys are found by name: a type that reads its keys in another order than it wrote them, or
    /// reads fewer, still gets its values.
    func testKeysReadInAnotherOrderAreFound() throws {
        struct Written: Codable { var a = 1, b = "two", c = [3.0] }
        struct ReadBackwards: Decodable, Equatable {
            var c: [Double], b: String, a: Int
            enum CodingKeys: CodingKey { case a, b, c }
            init(c: [Double], b: String, a: Int) { (self.c, self.b, self.a) = (c, b, a) }
            init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                c = try container.decode([Double].self, forKey: .c)
                b = try container.decode(String.self, forKey: .b)
                a = try container.decode(Int.self, forKey: .a)
            }
        }
        struct ReadsOne: Decodable { var b: String }
        let bytes = try CompactCoding.encode(Written())
        XCTAssertEqual(try CompactCoding.decode(ReadBackwards.self, from: bytes), ReadBackwards(c: [3], b: "two", a: 1))
        XCTAssertEqual(try CompactCoding.decode(ReadsOne.self, from: bytes).b, "two")
    }

    func testADecodeAtAnOffsetReadsToTheEnd() throws {
        let head = Array("head\n".utf8)
        let bytes = head + (try CompactCoding.encode(Sample()))
        XCTAssertEqual(try CompactCoding.decode(Sample.self, from: bytes, at: head.count), Sample())
        XCTAssertThrowsError(try CompactCoding.decode(Sample.self, from: bytes + [0], at: head.count), "a byte after the value")
    }

    func testAnotherTypeThrows() throws {
        let bytes = try CompactCoding.encode(Sample())
        XCTAssertThrowsError(try CompactCoding.decode([Sample].self, from: bytes))
        XCTAssertThrowsError(try CompactCoding.decode(String.self, from: bytes))
        XCTAssertThrowsError(try CompactCoding.decode(Int8.self, from: CompactCoding.encode(300)), "300 does not fit Int8")
        XCTAssertThrowsError(try CompactCoding.decode(UInt.self, from: CompactCoding.encode(-1)))
        XCTAssertThrowsError(try CompactCoding.decode(Bool.self, from: CompactCoding.encode("true")))
    }

    /// Every truncation, and a flip of every byte, either throws or decodes a value: none crashes
    /// (a length or count read from the bytes never indexes past them).
    func testCutAndFlippedBytesNeverCrash() throws {
        let bytes = try CompactCoding.encode(Sample())
        var decoded = 0
        for length in 0..<bytes.count {
            if (try? CompactCoding.decode(Sample.self, from: Array(bytes[..<length]))) != nil { decoded += 1 }
        }
        XCTAssertEqual(decoded, 0, "no prefix of a value is a whole value")
        for index in bytes.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var changed = bytes
                changed[index] ^= flip
                _ = try? CompactCoding.decode(Sample.self, from: changed)
            }
        }
    }

    /// A value is written as it encodes itself (``CompactCoding/encode(_:)``), and those bytes are
    /// the tree's (``CompactCoding/encodeAsTree(_:)``), which every value can be written through.
    func testWrittenAsItGoesIsTheTreesBytes() throws {
        var sample = Sample()
        sample.optionalSome = nil
        sample.nested = [[Inner(name: "y", weight: 1, flags: [])], [], []]
        for value in [Sample(), sample] {
            XCTAssertEqual(try CompactCoding.encode(value), try CompactCoding.encodeAsTree(value))
        }
        XCTAssertEqual(try CompactCoding.encode(NestedByHand()), try CompactCoding.encodeAsTree(NestedByHand()))
        XCTAssertEqual(try CompactCoding.encode(NothingAsked()), try CompactCoding.encodeAsTree(NothingAsked()))
        XCTAssertEqual(try CompactCoding.encode(["a", "b"]), try CompactCoding.encodeAsTree(["a", "b"]))
        XCTAssertEqual(try CompactCoding.encode(7), try CompactCoding.encodeAsTree(7))
    }

    /// A value that goes back to a container after starting another, or asks for a super encoder,
    /// cannot be written as it goes: it is written through the tree, and decodes as it was meant.
    func testAValueThatGoesBackIsWrittenThroughTheTree() throws {
        let bytes = try CompactCoding.encode(BackAndForth())
        XCTAssertEqual(bytes, try CompactCoding.encodeAsTree(BackAndForth()))
        let decoded = try CompactCoding.decode(Outer.self, from: bytes)
        XCTAssertEqual(decoded, Outer(a: .init(c: 2), b: 1))
        XCTAssertEqual(try CompactCoding.encode(WithSuper()), try CompactCoding.encodeAsTree(WithSuper()))
        // Asked for a container of another kind, the value is that container, empty (the tree's rule).
        XCTAssertEqual(try CompactCoding.encode(TwoKinds()), try CompactCoding.encodeAsTree(TwoKinds()))
    }

    enum Keys: String, CodingKey { case a, b, c }

    struct Outer: Codable, Equatable {
        struct Inner: Codable, Equatable { var c: Int }
        var a: Inner
        var b: Int
    }

    /// Nested containers asked for by hand, each complete before the next entry of its parent.
    struct NestedByHand: Encodable {
        func encode(to encoder: Encoder) throws {
            var outer = encoder.container(keyedBy: Keys.self)
            var inner = outer.nestedContainer(keyedBy: Keys.self, forKey: .a)
            try inner.encode(1, forKey: .c)
            var list = outer.nestedUnkeyedContainer(forKey: .b)
            try list.encode("x")
            try list.encodeNil()
            var item = list.nestedContainer(keyedBy: Keys.self)
            try item.encode(true, forKey: .a)
            try outer.encodeNil(forKey: .c)
        }
    }

    struct NothingAsked: Encodable {
        var list: [Empty] = [Empty(), Empty()]
        struct Empty: Encodable { func encode(to encoder: Encoder) throws {} }
    }

    /// Writes `b` into the outer container, then goes back to the inner one.
    struct BackAndForth: Encodable {
        func encode(to encoder: Encoder) throws {
            var outer = encoder.container(keyedBy: Keys.self)
            var inner = outer.nestedContainer(keyedBy: Keys.self, forKey: .a)
            try outer.encode(1, forKey: .b)
            try inner.encode(2, forKey: .c)
        }
    }

    struct TwoKinds: Encodable {
        func encode(to encoder: Encoder) throws {
            var keyed = encoder.container(keyedBy: Keys.self)
            try keyed.encode(1, forKey: .a)
            _ = encoder.unkeyedContainer()
        }
    }

    struct WithSuper: Encodable {
        func encode(to encoder: Encoder) throws {
            var outer = encoder.container(keyedBy: Keys.self)
            try outer.encode(1, forKey: .b)
            try Outer.Inner(c: 3).encode(to: outer.superEncoder())
        }
    }
}
