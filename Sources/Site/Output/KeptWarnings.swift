import Foundation

/// The warnings of the build a skipped build stands for (``BuildStamp``): the text that build
/// printed, which the skipped build prints as it is, and their fields, made into diagnostics only
/// when asked (``BuildReport/warnings``: JSON or colour output, `--strict`, a test). Both are
/// read from the stamp's file, mapped (``BuildStamp/read(_:checkingFields:)``), when used, not
/// copied out of it.
public final class KeptWarnings: @unchecked Sendable {
    public let count: Int
    private let file: Data
    /// Where the text and the `w` lines are in `file`.
    private let textRange: Range<Int>, recordsRange: Range<Int>
    /// Whether the records passed ``check(_:count:)`` when the stamp was read.
    private let checked: Bool
    private let lock = NSLock()
    private var decoded: [Diagnostic]?

    /// - Parameters: `text` and `records`: where the printed lines and the `w` lines are in
    ///   `file`; `checked`: whether the records passed ``check(_:count:)``.
    init(count: Int, file: Data, text: Range<Int>, records: Range<Int>, checked: Bool = true) {
        self.count = count
        self.file = file
        textRange = text
        recordsRange = records
        self.checked = checked
    }

    /// One `path:line:col: warning: message (hint: …)` line a warning, as a build without
    /// colour prints them (``Diagnostic/appendDescription(to:)``); a copy.
    public var text: [UInt8] { [UInt8](file[textRange]) }

    /// The text and the `w` lines as parts of the stamp's file (mapped, not copied).
    var blocks: (text: Data, records: Data) { (file[textRange], file[recordsRange]) }

    /// Writes the text to the open descriptor `fd` (standard error: the build's own printing).
    public func write(to fd: Int32) {
        // A stream that cannot take them loses them, as any print.
        file.withUnsafeBytes { _ = SiteFile.writeAll(UnsafeRawBufferPointer(rebasing: $0[textRange]), to: fd) }
    }

    /// Whether ``diagnostics`` were made (a skipped build that prints the text makes none).
    var isDecoded: Bool { lock.withLock { decoded != nil } }

    /// The warnings as diagnostics. Lines not checked when the stamp was read (its reader said it
    /// would print ``text``) are checked now: damaged ones give none, the text being what was shown.
    public var diagnostics: [Diagnostic] {
        lock.lock()
        defer { lock.unlock() }
        if let decoded { return decoded }
        let warnings = file.withUnsafeBytes { raw in
            let records = UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[recordsRange])
            return checked || Self.check(records, count: count) ? BuildStamp.warnings(records) : []
        }
        decoded = warnings
        return warnings
    }

    /// Whether `records` are `count` well-formed `w` lines (so that ``diagnostics`` cannot fail),
    /// checked without making a string of them: `w`, `warning` or `error`, a stage, a path, a line
    /// and a column in decimal digits, a message, and a hint or not.
    static func check(_ records: UnsafeBufferPointer<UInt8>, count: Int) -> Bool {
        var lines = 0
        var good = true
        BuildStamp.forEachRecord(records) { fields in
            guard fields.count == 7 || fields.count == 8, fields[0].elementsEqual("w".utf8),
                  fields[1].elementsEqual("warning".utf8) || fields[1].elementsEqual("error".utf8),
                  stages.contains(where: { fields[2].elementsEqual($0) }), isNumber(fields[4]), isNumber(fields[5]) else {
                good = false
                return false
            }
            lines += 1
            return true
        }
        // The last line ends with its newline (a line without one is not a record).
        return good && lines == count && (records.last.map { $0 == 0x0A } ?? true)
    }

    private static let stages = Diagnostic.Stage.allCases.map { Array($0.rawValue.utf8) }

    /// Decimal digits that fit an `Int`.
    private static func isNumber(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        !field.isEmpty && field.count <= 18 && field.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
