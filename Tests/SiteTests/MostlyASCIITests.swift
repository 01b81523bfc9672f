import XCTest
@testable import Site

/// ``MostlyASCII/string(_:)`` makes the string `String(decoding:as:)` makes, byte for byte: of
/// ASCII with a few other characters, of other characters only, and of bytes that are not UTF-8
/// (repaired alike), at every length around its eight-byte steps and its threshold.
final class MostlyASCIITests: XCTestCase {
    func testItDecodesAsTheStandardLibraryDoes() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("<span class=\"mord\">x</span>".utf8), Array("\u{200B}".utf8), Array("∑".utf8), Array("−".utf8),
            Array("损失".utf8), Array("𝑥".utf8), [0xFF], [0xE2, 0x88], [0xC3], [0x80, 0x80], Array("a".utf8),
        ]
        var lengths = 0
        for round in 0..<3000 {
            var bytes: [UInt8] = []
            let target = round < 600 ? round : Int.random(in: 0..<4000, using: &generator)
            while bytes.count < target {
                // Mostly ASCII, as KaTeX's HTML is; now and then anything.
                let piece = Int.random(in: 0..<10, using: &generator) < 8 ? pieces[0] : pieces.randomElement(using: &generator)!
                bytes += piece
            }
            lengths += bytes.count
            let expected = String(decoding: bytes, as: UTF8.self)
            let made = bytes.withUnsafeBufferPointer { MostlyASCII.string($0) }
            XCTAssertEqual(Array(made.utf8), Array(expected.utf8), "\(bytes)")
            if Array(made.utf8) != Array(expected.utf8) { return }
        }
        XCTAssertGreaterThan(lengths, 3000 * MostlyASCII.threshold)
    }

    func testTheFirstOtherByteIsFoundAtEveryOffset() {
        for count in 0..<40 {
            for position in 0...count {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: count)
                if position < count { bytes[position] = 0xC3 }
                let found = bytes.withUnsafeBufferPointer { MostlyASCII.firstNonASCII($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, from: 0, count: count) }
                XCTAssertEqual(found, position, "\(count) bytes, the other at \(position)")
            }
        }
    }
}
