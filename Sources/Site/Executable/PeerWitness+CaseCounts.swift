import Foundation

extension PeerWitness {
    /// How many compiled-in cases each library (or "paper") has for each loss id: every
    /// reference page says it (``ReferencePages/witnessLine(_:)``), so every build counts them.
    static let caseCounts: [String: [String: Int]] = {
        var counts: [String: [String: Int]] = [:]
        for (path, text) in PeerWitness.compiled.files.sorted(by: { $0.key < $1.key }) where !path.hasSuffix("/index.json") {
            guard let file = caseCounts(ofFixture: text) else { continue }
            counts.merge(file) { $0.merging($1, uniquingKeysWith: +) }
        }
        return counts
    }()

    /// The cases of one fixture file by id and library (`cases[].id`, `cases[].peer.library`), nil
    /// when the text's structure is not an object whose `cases` are objects with both. Found by
    /// walking the JSON's bytes and skipping every other value without checking it (a literal, a
    /// number or what a string holds), where `JSONDecoder` checked all: decoding the 1.6 MB of
    /// fixtures to count them was 104 M instructions, a tenth of a prose edit of this repository's
    /// content. The fixtures are compiled in, made by `scripts/golden/make_golden.py`, and
    /// `PeerWitnessCaseCountTests` checks the walk against that decoding on every one of them.
    static func caseCounts(ofFixture text: String) -> [String: [String: Int]]? {
        var text = text
        return text.withUTF8 { bytes in
            var scan = FixtureScan(bytes: bytes)
            var counts: [String: [String: Int]] = [:]
            var sawCases = false
            do {
                try scan.object { scan, key in
                    guard key == "cases" else { return try scan.skipValue() }
                    sawCases = true
                    try scan.array { scan in
                        var (id, library): (String?, String?) = (nil, nil)
                        try scan.object { scan, key in
                            switch key {
                            case "id": id = try scan.string()
                            case "peer": try scan.object { scan, key in
                                if key == "library" { library = try scan.string() } else { try scan.skipValue() }
                            }
                            default: try scan.skipValue()
                            }
                        }
                        guard let id, let library else { throw FixtureScan.Malformed() }
                        counts[id, default: [:]][library, default: 0] += 1
                    }
                }
                try scan.end()
            } catch {
                return nil
            }
            return sawCases ? counts : nil
        }
    }
}

/// A reader of JSON's structure over its UTF-8 bytes that decodes only the strings it is asked
/// for and skips every other value (numbers and literals as the bytes up to the next delimiter,
/// objects and arrays to their closing bracket): it finds what it reads in well-formed JSON and
/// does not check the JSON it skips.
private struct FixtureScan {
    struct Malformed: Error {}
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    private mutating func space() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        space()
        guard at < bytes.count, bytes[at] == byte else { return false }
        at += 1
        return true
    }

    private mutating func expect(_ byte: UInt8) throws { guard take(byte) else { throw Malformed() } }

    /// Nothing but white space is left.
    mutating func end() throws {
        space()
        guard at == bytes.count else { throw Malformed() }
    }

    /// The bytes of a string literal, its quotes included, and whether it holds an escape.
    private mutating func literal() throws -> (range: Range<Int>, escaped: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = at - 1
        var escaped = false
        while at < bytes.count {
            switch bytes[at] {
            case UInt8(ascii: "\\"): escaped = true; at += 2
            case UInt8(ascii: "\""): at += 1; return (start..<at, escaped)
            default: at += 1
            }
        }
        throw Malformed()
    }

    mutating func string() throws -> String {
        let (range, escaped) = try literal()
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard escaped else { return String(decoding: slice.dropFirst().dropLast(), as: UTF8.self) }
        return try JSONDecoder().decode(String.self, from: Data(slice))
    }

    /// Each member's key, the reader then at its value, which `member` reads or skips.
    mutating func object(_ member: (inout FixtureScan, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if take(UInt8(ascii: "}")) { return }
        repeat {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Each element, which `element` reads or skips.
    mutating func array(_ element: (inout FixtureScan) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if take(UInt8(ascii: "]")) { return }
        repeat { try element(&self) } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    mutating func skipValue() throws {
        space()
        guard at < bytes.count else { throw Malformed() }
        switch bytes[at] {
        case UInt8(ascii: "\""): _ = try literal()
        case UInt8(ascii: "{"), UInt8(ascii: "["): try skipContainer()
        default:
            // A number, true, false or null: its bytes up to the next delimiter.
            let start = at
            while at < bytes.count, !Self.ends(bytes[at]) { at += 1 }
            guard at > start else { throw Malformed() }
        }
    }

    /// An object or array skipped to its closing bracket, counting brackets outside strings (its
    /// members are not read: the fixtures' tensors are most of their bytes).
    private mutating func skipContainer() throws {
        var depth = 0
        while at < bytes.count {
            switch bytes[at] {
            case UInt8(ascii: "\""): _ = try literal(); continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { at += 1; return }
            default: break
            }
            at += 1
        }
        throw Malformed()
    }

    private static func ends(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09: return true
        default: return false
        }
    }
}
