/// What a `Range` header asks of a representation of `size` bytes (RFC 9110 §14): one range
/// of bytes, or (when it is absent, not a `bytes=` range, malformed or a list of several
/// ranges) the whole representation, or nothing it holds.
///
/// Only one range is served: a list of several (`bytes=0-1,5-6`) gets the whole representation
/// with `200`, which RFC 9110 allows (a server may ignore `Range`), rather than a
/// `multipart/byteranges` body no browser of a development server asks for.
enum ByteRange: Equatable {
    /// Send everything, with `200`.
    case whole
    /// Send these bytes (never empty, within the representation), with `206` and `Content-Range`.
    case part(Range<Int>)
    /// No byte asked for exists: `416` with `Content-Range: bytes */size`.
    case unsatisfiable

    /// - Parameters:
    ///   - header: the `Range` field's value, e.g. `bytes=0-99`, `bytes=100-`, `bytes=-100`.
    ///   - size: the representation's length in bytes.
    init(_ header: String?, size: Int) {
        guard let header else { self = .whole; return }
        let value = header.trimmingCharacters(in: .whitespaces)
        // The unit is case-insensitive; anything but bytes is ignored.
        guard value.count > 6, value.prefix(6).lowercased() == "bytes=" else { self = .whole; return }
        let spec = value.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { self = .whole; return }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        guard first.allSatisfy(\.isASCIIDigit), last.allSatisfy(\.isASCIIDigit), !(first.isEmpty && last.isEmpty) else {
            self = .whole
            return
        }
        // Digits past what an Int holds name a position past any file: the end of the file.
        func number(_ digits: String) -> Int { Int(digits) ?? Int.max }
        if first.isEmpty {
            // `-n`: the last n bytes; all of them when the representation is shorter.
            let count = number(last)
            guard count > 0, size > 0 else { self = .unsatisfiable; return }
            self = .part(max(0, size - count)..<size)
            return
        }
        let start = number(first)
        if !last.isEmpty, number(last) < start { self = .whole; return }  // `b-a`: invalid, ignored
        guard start < size else { self = .unsatisfiable; return }
        let end = last.isEmpty ? size : min(size, number(last) == Int.max ? size : number(last) + 1)
        self = .part(start..<end)
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
