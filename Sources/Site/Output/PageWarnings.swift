import Foundation

/// One page's warnings in the two forms the build stamp keeps them (``BuildStamp/Blocks``): the
/// lines a build without colour prints (``Diagnostic/appendDescription(to:)``) and their `w`
/// records (``BuildStamp/appendRecord(of:to:)``). Made once, when the page's prose is checked, and
/// kept in the page memo in these forms (``PageMemo``), so that a page left as it was adds its
/// warnings to the build's by their bytes: after a prose edit at 2,000 pages per language, decoding
/// the 24,000 warnings of the kept pages and comparing them with the last stamp's records, field
/// by field, was 12 % of the build's instructions, for lines printed and stamped as they were.
///
/// The diagnostics are made from the records only when asked (JSON or colour output, `--strict`,
/// a test). As the stamp's (``KeptWarnings``), the records are checked field by field when read
/// only by a build that will show their fields or fail on them (``PageMemo/checksWarningFields``):
/// a damaged one then refuses its page, which is made again. Unchecked (a build that prints the
/// lines as they are), a record is checked when first made into a diagnostic, and one that does
/// not read gives none, the printed line being what was shown. A page's warnings with
/// ``Diagnostic/details`` (which the records leave out) are not kept in a memo
/// (``PageMemo/Page/compactBytes()``): that page is made again.
struct PageWarnings: Sendable, Codable {
    let count: Int
    /// The printed lines, then the records, one after the other.
    private let bytes: PageMemo.SummaryBytes
    private let text: Range<Int>, records: Range<Int>
    /// The diagnostics the bytes were made from (nil for a kept page's, made from the records when asked).
    private let made: [Diagnostic]?
    /// Whether the records passed ``KeptWarnings/check(_:count:)`` when read (a made page's: true).
    private let checked: Bool

    static let none = PageWarnings([])

    init(_ diagnostics: [Diagnostic]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(450 * diagnostics.count)
        for diagnostic in diagnostics {
            diagnostic.appendDescription(to: &bytes)
            bytes.append(0x0A)
        }
        let text = 0..<bytes.count
        for diagnostic in diagnostics { BuildStamp.appendRecord(of: diagnostic, to: &bytes) }
        self.bytes = PageMemo.SummaryBytes(bytes)
        (self.text, records) = (text, text.upperBound..<bytes.count)
        count = diagnostics.count
        made = diagnostics
        checked = true
        allWarnings = diagnostics.allSatisfy(\.isWarning)
    }

    /// A kept page's warnings: `text` and `records` of `bytes` (a memo file's summary, not copied);
    /// nil unless each holds `count` lines, each ended by its newline, each record starts as a
    /// warning's or an error's, and, when `checkingFields`, every record reads as a diagnostic.
    init?(kept bytes: PageMemo.SummaryBytes, text: Range<Int>, records: Range<Int>, count: Int, checkingFields: Bool = true) {
        let read = bytes.withUnsafeBytes { raw -> Bool? in
            let all = raw.bindMemory(to: UInt8.self)
            let lines = UnsafeBufferPointer(rebasing: all[text]), fields = UnsafeBufferPointer(rebasing: all[records])
            guard BuildStamp.lineCount(lines) == count, lines.last.map({ $0 == 0x0A }) ?? true,
                  !checkingFields || KeptWarnings.check(fields, count: count) else { return nil }
            return Self.kinds(fields, count: count)
        }
        guard count >= 0, let read else { return nil }
        (self.bytes, self.text, self.records, self.count) = (bytes, text, records, count)
        made = nil
        checked = checkingFields
        allWarnings = read
    }

    /// Whether `records` are `count` lines, each ended by its newline and starting `w`, a tab, and
    /// `warning` or `error` and a tab: nil when not; else whether they are warnings all.
    private static func kinds(_ records: UnsafeBufferPointer<UInt8>, count: Int) -> Bool? {
        guard let base = UnsafeRawPointer(records.baseAddress) else { return count == 0 ? true : nil }
        let end = base + records.count
        var at = base, lines = 0, warnings = true
        while at < end {
            guard let newline = memchr(at, 0x0A, end - at).map(UnsafeRawPointer.init) else { return nil }
            let line = UnsafeRawBufferPointer(start: at, count: newline - at)
            if line.starts(with: "w\twarning\t".utf8) {
            } else if line.starts(with: "w\terror\t".utf8) {
                warnings = false
            } else {
                return nil
            }
            lines += 1
            at = newline + 1
        }
        return lines == count ? warnings : nil
    }

    /// Whether every warning is a warning, not an error (told by the records' first field).
    let allWarnings: Bool

    /// Whether these are a kept page's, read as their bytes (not made by this build).
    var isKept: Bool { made == nil }

    /// Whether each warning can be kept as its two lines: none brings details to show.
    var keepsEverything: Bool { made?.allSatisfy { $0.details.isEmpty } ?? true }

    /// The warnings as diagnostics.
    var diagnostics: [Diagnostic] {
        if let made { return made }
        return withRecords { records in
            let records = records.bindMemory(to: UInt8.self)
            return checked || KeptWarnings.check(records, count: count) ? BuildStamp.warnings(records) : []
        }
    }

    func withText<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[text])) }
    }

    func withRecords<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[records])) }
    }

    // As the page memo keeps them (``CompactWriter``, ``CompactReader``): the count, then the
    // printed lines and the records as byte arrays.
    private enum CodingKeys: String, CodingKey { case count, text, records }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let count = try container.decode(Int.self, forKey: .count)
        let text = try container.decode([UInt8].self, forKey: .text), records = try container.decode([UInt8].self, forKey: .records)
        guard let read = PageWarnings(kept: PageMemo.SummaryBytes(text + records), text: 0..<text.count,
                                      records: text.count..<text.count + records.count, count: count) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "warnings that are not \(count) lines"))
        }
        self = read
    }

    /// Throws for warnings with details (as ``PageMemo/Page/compactBytes()`` gives none).
    func encode(to encoder: Encoder) throws {
        guard keepsEverything else {
            throw EncodingError.invalidValue(count, .init(codingPath: encoder.codingPath, debugDescription: "a warning's details are not kept"))
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(withText { [UInt8]($0) }, forKey: .text)
        try container.encode(withRecords { [UInt8]($0) }, forKey: .records)
    }
}

extension PageWarnings: CustomReflectable {
    /// What the warnings are, not where their bytes are kept: equal for a page's made and read back.
    var customMirror: Mirror {
        Mirror(self, children: ["count": count, "text": withText { String(decoding: $0, as: UTF8.self) },
                                "records": withRecords { String(decoding: $0, as: UTF8.self) }])
    }
}
