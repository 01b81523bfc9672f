import Foundation
import Markdown

/// A hash of everything a build reads, kept beside the caches (`.cache/lossbook/build-stamp`)
/// after a build that wrote the site: when the next build's inputs hash the same and the site it
/// wrote is still in place, that build has nothing to do and stops after `load` (a rebuild of
/// unchanged content then costs a small fraction of a full build). The build's warnings are kept
/// in the stamp and reported again by the skipped build, so a site with warnings is skipped too
/// and says the same.
///
/// What is hashed: every file under the content and templates folders (paths and bytes,
/// symlinked folders followed), the executable's identity (``PageMemo/binaryStamp()``), the
/// binary's compiled-in sources (``CompiledSources``) and version, the working folder's copies of those sources (the folders `load` checks the binary
/// against: a matching stamp means they are those the last build checked, so an unchanged build
/// skips that check and the theme's loading too), what the KaTeX/highlight.js fingerprint is
/// made of (their files, through the index, the helper script; the site's macros are in
/// `content/lossbook.yaml`), Node.js's
/// name and version, the options that change the output (`--drafts`, `--base-url`), the
/// repository's HEAD (``BuildSession/headStamp(_:)``: a commit moves the notes' dates in the
/// sitemap and feeds), and the output folder's identity (path, inode and modification time after the swap), so a deleted or
/// replaced site is written anew.
/// A file's bytes are read again only when its metadata changed since the last build
/// (``InputIndex``, kept in the stamp too).
/// A file edited by hand inside the written site is not noticed: `--no-cache` or deleting the
/// cache rebuilds it.
///
/// The stamp is text, one record a line: ``format``, the inputs' hash, the output's identity,
/// the four counts, the warnings' count and the byte lengths of the two blocks that follow: the
/// warnings as a build prints them (one `path:line:col: warning: …` line each), then as `w` lines
/// (a warning's fields); then `f` lines (an input file's entry). Fields are separated by tabs,
/// with `\`, tab, newline and carriage return escaped in texts. A skipped build prints the first
/// block as it is (``KeptWarnings``): reading 24,000 warnings field by field and printing them
/// again was half of an unchanged 2,000-page rebuild's CPU. The `w` lines are checked when the
/// stamp is read by a build that shows them as fields (``BuildOptions/warningFieldsShown``), and
/// made into diagnostics only for a caller that asks (JSON or colour output).
struct BuildStamp {
    let file: URL
    let inputs: String
    /// The hash of what ``SiteBuilder``'s provenance check compares (the binary's compiled-in
    /// sources' hashes and the working folder's copies of them), the last field of ``inputs``.
    let provenance: String
    /// The input files as this build found them, for the next build.
    let index: InputIndex
    /// What the last build's stamp holds.
    private let previous: Contents?

    static let format = "lossbook build stamp 4"

    /// nil when the build writes no site, fixes numbers, or has no cache folder.
    /// - Parameter sources: the folders of ``SiteBuilder/provenanceFolders``.
    /// - Parameter binary: the running executable's identity (``PageMemo/binaryStamp()``).
    init?(options: BuildOptions, tools: ToolVersions?, sources: [URL] = [], binary: String = PageMemo.binaryStamp()) {
        // A test's substituted loss is not among the inputs: such a build always runs whole.
        guard options.write, !options.fix, LossRunner.substitute == nil, let cache = options.cacheDirectory else { return nil }
        file = cache.appendingPathComponent("build-stamp")
        var hasher = StampHasher(), provenance = StampHasher()
        hasher.add("lossbook \(LossbookVersion.current)")
        for (path, hash) in CompiledSources.hashes { provenance.add("", path, "=", hash) }
        // What ``RenderTools/fingerprint(macros:)`` is made from: the libraries' files, walked below
        // like the content (hashed again only when their metadata changed: hashing KaTeX's 270 KB
        // was 3 % of an unchanged 2,000-page rebuild's CPU), then the helper script. The site's
        // macros are `content/lossbook.yaml`'s, a file of the content folder walked below: the
        // stamp is made before that file is read (``SiteBuilder/preflight()``).
        hasher.add(RenderTools.fingerprintedText(macros: [:]))
        hasher.add(options.tools.node)
        // Options that change what is written: drafts included or not, the address in the sitemap and feeds.
        hasher.add("drafts \(options.drafts) base-url \(options.baseURL ?? "-")")
        // The notes' commit dates (the sitemap's and the feeds'), which move with the repository's
        // HEAD: a commit with nothing else changed is a build with work to do.
        hasher.add("git \(BuildSession.headStamp(options.contentDirectory) ?? "-")")
        if let tools { hasher.add("\(tools.node) \(tools.katex) \(tools.highlight)") }
        // The last stamp is read on another thread while the walk lists the content's folders and
        // looks at their files, which it compares with the stamp's index only then: read first,
        // the stamp's 4,000 index lines were an eighth of an unchanged 2,000-page rebuild, on the
        // path everything waits for.
        let checkingFields = options.warningFieldsShown || options.strict
        let reading = Ahead { [file] in Self.read(file, checkingFields: checkingFields) }
        let kept = InputIndex.Kept { reading.value?.index }
        var index = InputIndex()
        let libraries = options.tools.fingerprintedFiles.map { URL(fileURLWithPath: $0) }
        for folder in [options.contentDirectory, options.templatesDirectory] + libraries {
            hasher.add("folder \(folder.standardizedFileURL.path)")
            index.walk(folder, kept: kept, into: &hasher)
        }
        for folder in sources {
            provenance.add("folder \(folder.standardizedFileURL.path)")
            index.walk(folder, kept: kept, into: &provenance)
        }
        previous = reading.value
        hasher.add("output \(OutputSafety.resolvedOutput(options.outputDirectory).path)")
        self.provenance = provenance.value
        // The executable itself (its size, modification time, inode and device), as the page memo's
        // identity has it, a field of its own: a binary built again with other rendering code (the
        // compiled-in sources are only the code that computes and checks numbers) renders the site
        // anew rather than finding its inputs unchanged, and prints its warnings as it words them.
        executable = fnv1a64Hex(Array(binary.utf8))
        inputs = hasher.value + " " + executable + " " + provenance.value
        self.index = index
    }

    /// The hash of the executable's identity, the field of ``inputs`` before the last.
    let executable: String

    /// Whether the last build, which wrote this stamp, compared the same compiled-in sources with
    /// the same working copies of them (and passed: a stamp is only saved after a build that
    /// did): the check would pass again, and is skipped (``SiteBuilder/load(_:provenanceKnown:)``).
    var provenanceUnchanged: Bool {
        previous?.inputs.split(separator: " ").last.map(String.init) == provenance
    }

    /// The last build's warnings, as its stamp keeps them (``Blocks/init(parts:index:previous:)``),
    /// when this executable wrote it: another may word the same warnings otherwise, and its text is
    /// not to be printed for them.
    var previousWarnings: KeptWarnings? {
        guard let fields = previous?.inputs.split(separator: " "), fields.count >= 3, fields[fields.count - 2] == executable else { return nil }
        return previous?.report.keptWarnings
    }

    /// The report of the previous build, when it read the same inputs and its site is in place.
    func unchanged(output: URL) -> BuildReport? {
        guard let previous, previous.inputs == inputs, previous.output == Self.identity(of: output) else { return nil }
        return previous.report
    }

    /// Remembers a successful build, with its warnings for a skipped build to repeat. Written as
    /// bytes, field by field (tens of thousands of warnings), and renamed into place without an
    /// `fsync` (``SiteFile/renew(_:at:)-([UnsafeRawBufferPointer],_)``): a stamp lost or cut short
    /// by a crash, or missing for the moment between the old one's removal and the rename, is no
    /// stamp, or one whose files are hashed again.
    ///
    /// The blocks are written as they were made, one after the other (`writev`), each in room
    /// reserved once: joined into one array, and grown from a guess shorter than this corpus's
    /// 200-byte warnings, they were copied twice into fresh pages, two thirds of this save's CPU
    /// samples at 24,000 warnings (`memmove` and the kernel clearing pages). Room reserved and
    /// not written to costs no page.
    ///
    /// - Parameter blocks: the warnings' and files' blocks, made while the site was written
    ///   (``Ahead``); made here when nil.
    func save(_ report: BuildReport, output: URL, blocks: Blocks? = nil) {
        // Made only without `blocks` (a skipped build's save passes its kept ones: its warnings are
        // not made into diagnostics for nothing).
        let blocks = blocks ?? Blocks(parts: report.keptWarnings == nil ? report.ownWarnings : [.made(report.warnings)],
                                      index: index, previous: previousWarnings)
        var head: [UInt8] = []
        for line in [Self.format, inputs, Self.identity(of: output), "\(report.pages) \(report.assets) \(report.formulas) \(report.codeBlocks)",
                     "\(blocks.count) \(blocks.text.count) \(blocks.records.count)"] {
            Self.append([line], to: &head)
        }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        head.withUnsafeBytes { head in
            blocks.text.withUnsafeBytes { text in
                blocks.records.withUnsafeBytes { records in
                    blocks.files.withUnsafeBytes { files in try? SiteFile.renew([head, text, records, files], at: file.path) }
                }
            }
        }
    }

    /// The stamp's blocks after its head: the warnings as printed, their `w` lines, the input
    /// files' `f` lines. They depend on nothing the write stage does, so a build makes them on
    /// another core while it writes the site (``Ahead``), which keeps one core busy: made at the
    /// save, after the swap, they were most of the last 50 ms of a prose edit at 2,000 pages per
    /// language (24,000 warnings).
    ///
    /// The warnings' blocks are the last stamp's own bytes, not made again, when this build's
    /// warnings are the last build's: each warning's `w` line is made into one small buffer and
    /// compared with the last stamp's, in order, and a printed line is made of nothing but a `w`
    /// line's fields. After a prose edit that adds or removes no warning (24,000 of them at 2,000
    /// pages per language), making both blocks and writing them from fresh memory was 5 % of the
    /// build's CPU samples.
    struct Blocks: Sendable {
        var text: Block
        var records: Block
        var files: [UInt8] = []
        /// How many warnings.
        var count = 0
        /// Whether the warnings' blocks are the last stamp's (``KeptWarnings``).
        var keptWarnings: Bool {
            if case .kept = text { return true }
            return false
        }

        /// A block's bytes: made by this build, or a part of the last stamp's file (mapped).
        enum Block: Sendable {
            case made([UInt8])
            case kept(Data)

            var count: Int {
                switch self {
                case let .made(bytes): return bytes.count
                case let .kept(data): return data.count
                }
            }

            func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
                switch self {
                case let .made(bytes): return try bytes.withUnsafeBytes(body)
                case let .kept(data): return try data.withUnsafeBytes(body)
                }
            }

            var data: Data {
                switch self {
                case let .made(bytes): return Data(bytes)
                case let .kept(data): return data
                }
            }
        }

        /// The last stamp's warnings as they are, with this build's index (a skipped build's).
        init(kept: KeptWarnings, index: InputIndex) {
            count = kept.count
            (text, records) = (.kept(kept.blocks.text), .kept(kept.blocks.records))
            files = Self.files(index)
        }

        /// - Parameter previous: the last stamp's warnings, taken as they are when they are these.
        init(warnings: [Diagnostic], index: InputIndex, previous: KeptWarnings? = nil) {
            self.init(parts: [.made(warnings)], index: index, previous: previous)
        }

        /// A build's warnings as it found them: lists of diagnostics, whose lines are made here,
        /// and pages' warnings, whose lines are their own bytes (``PageWarnings``).
        init(parts: [BuildReport.WarningPart], index: InputIndex, previous: KeptWarnings? = nil) {
            count = parts.reduce(0) { $0 + $1.count }
            if let previous, let kept = BuildStamp.same(parts, count: count, as: previous) {
                (text, records) = (.kept(kept.text), .kept(kept.records))
            } else {
                var text: [UInt8] = [], records: [UInt8] = []
                text.reserveCapacity(256 * count + 4096)
                records.reserveCapacity(320 * count + 4096)
                for part in parts {
                    switch part {
                    case let .made(warnings):
                        // Each warning borrowed in place, not copied out of the array (its strings retained and released).
                        warnings.withUnsafeBufferPointer { warnings in
                            for index in warnings.indices {
                                warnings[index].appendDescription(to: &text)
                                text.append(0x0A)
                                BuildStamp.appendRecord(of: warnings[index], to: &records)
                            }
                        }
                    case let .page(page):
                        page.withText { text.append(contentsOf: $0) }
                        page.withRecords { records.append(contentsOf: $0) }
                    }
                }
                (self.text, self.records) = (.made(text), .made(records))
            }
            files = Self.files(index)
        }

        /// The `f` lines, sorted by their paths' bytes as written (escaped), the order the next
        /// build looks them up in (``StampedFiles``). Each line is written once, where it is noted
        /// where its path is; the lines' places are sorted by those bytes and the lines copied in
        /// that order (a key array made for each path and the path escaped twice were a third of this).
        /// Compared as `String.UTF8View`s, 8,000 paths took 13 ms to sort where `memcmp` of their bytes takes 2 ms.
        private static func files(_ index: InputIndex) -> [UInt8] {
            var lines: [UInt8] = []
            lines.reserveCapacity(160 * index.entries.count + 4096)
            var places: [(line: Range<Int>, path: Range<Int>)] = []
            places.reserveCapacity(index.entries.count)
            for (path, entry) in index.entries {
                let start = lines.count
                let pathStart = BuildStamp.appendRecord(of: entry, at: path, to: &lines)
                places.append((start..<lines.count, pathStart..<lines.count - 1))
            }
            var files: [UInt8] = []
            files.reserveCapacity(lines.count)
            lines.withUnsafeBufferPointer { lines in
                let base = lines.baseAddress!
                places.sort { StampedFiles.precedes(in: base, $0.path, $1.path) }
                for place in places { files.append(contentsOf: UnsafeBufferPointer(rebasing: lines[place.line])) }
            }
            return files
        }
    }

    /// The last stamp's text and `w` lines when they are those of the warnings `parts` (every `w`
    /// line the same bytes, in the same order, and no more of them); nil otherwise. A list's
    /// warnings are compared field by field with the bytes where their lines are, not written into
    /// lines first (after a prose edit at 2,000 pages per language, writing 24,000 lines to compare
    /// them was 2 % of the build's CPU samples); a page's records (``PageWarnings``) by their bytes.
    fileprivate static func same(_ parts: [BuildReport.WarningPart], count: Int, as previous: KeptWarnings) -> (text: Data, records: Data)? {
        guard previous.count == count else { return nil }
        let (text, records) = previous.blocks
        let same = records.withUnsafeBytes { (old: UnsafeRawBufferPointer) -> Bool in
            var at = 0
            for part in parts {
                switch part {
                case let .made(warnings):
                    let found = warnings.withUnsafeBufferPointer { warnings -> Bool in
                        for index in warnings.indices {
                            guard let end = recordEnd(of: warnings[index], in: old, at: at) else { return false }
                            at = end
                        }
                        return true
                    }
                    guard found else { return false }
                case let .page(page):
                    guard page.withRecords({ holdsBytes(old, $0, at: at) }) else { return false }
                    at += page.withRecords(\.count)
                }
            }
            return at == old.count
        }
        return same ? (text, records) : nil
    }

    /// Where `warning`'s `w` line (``appendRecord(of:to:)``'s bytes) ends in `bytes` when it is
    /// there from `start`; nil when any byte differs or the bytes end first.
    static func recordEnd(of warning: Diagnostic, in bytes: UnsafeRawBufferPointer, at start: Int) -> Int? {
        var line = LineCursor(bytes: bytes, at: start)
        guard line.byte(UInt8(ascii: "w")), line.byte(0x09), line.field(warning.isWarning ? "warning" : "error"), line.byte(0x09),
              line.field(warning.stage.rawValue), line.byte(0x09), line.field(warning.path), line.byte(0x09),
              line.number(warning.line), line.byte(0x09), line.number(warning.column), line.byte(0x09),
              line.field(warning.message) else { return nil }
        if let hint = warning.hint {
            guard line.byte(0x09), line.field(hint) else { return nil }
        }
        return line.byte(0x0A) ? line.at : nil
    }

    /// A place in a stamp's bytes, moved past what it finds there.
    private struct LineCursor {
        let bytes: UnsafeRawBufferPointer
        var at: Int

        @inline(__always)
        mutating func byte(_ expected: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == expected else { return false }
            at += 1
            return true
        }

        @inline(__always)
        mutating func raw(_ expected: UnsafeRawBufferPointer) -> Bool {
            guard holdsBytes(bytes, expected, at: at) else { return false }
            at += expected.count
            return true
        }

        /// A field as ``BuildStamp/appendField(_:to:)`` writes it.
        mutating func field(_ string: String) -> Bool { withField(string) { raw(UnsafeRawBufferPointer($0)) } }

        mutating func number(_ value: Int) -> Bool { withDigits(value) { raw($0) } }
    }

    /// Whether a field's byte is written escaped (``appendField(_:to:)``).
    private static func needsEscape(_ byte: UInt8) -> Bool { byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// The letter after the backslash that stands for `byte` in a field, nil for a byte written as it is.
    private static func escape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x5C: return 0x5C
        case 0x09: return UInt8(ascii: "t")
        case 0x0A: return UInt8(ascii: "n")
        case 0x0D: return UInt8(ascii: "r")
        default: return nil
        }
    }

    /// A warning's `w` line: `w`, `warning` or `error`, its stage, path, line, column, message
    /// and hint (if any), each field escaped as ``append(_:to:)`` does, without a string made for
    /// a field or an array for the line.
    static func appendRecord(of warning: Diagnostic, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "w"))
        bytes.append(0x09)
        bytes += (warning.isWarning ? "warning" : "error").utf8
        bytes.append(0x09)
        appendField(warning.stage.rawValue, to: &bytes)
        bytes.append(0x09)
        appendField(warning.path, to: &bytes)
        bytes.append(0x09)
        appendDecimal(warning.line, to: &bytes)
        bytes.append(0x09)
        appendDecimal(warning.column, to: &bytes)
        bytes.append(0x09)
        appendField(warning.message, to: &bytes)
        if let hint = warning.hint {
            bytes.append(0x09)
            appendField(hint, to: &bytes)
        }
        bytes.append(0x0A)
    }

    /// An input file's `f` line: size, modification and status-change times, inode, device,
    /// hash (hexadecimal), `racy` or `-`, path.
    /// - Returns: where the path's bytes begin in `bytes` (they end before the line's newline).
    @discardableResult
    static func appendRecord(of entry: InputIndex.Entry, at path: String, to bytes: inout [UInt8]) -> Int {
        bytes.append(UInt8(ascii: "f"))
        bytes.append(0x09)
        appendDecimal(entry.size, to: &bytes)
        bytes.append(0x09)
        appendDecimal(entry.modified, to: &bytes)
        bytes.append(0x09)
        appendDecimal(entry.changed, to: &bytes)
        bytes.append(0x09)
        appendDecimal(entry.inode, to: &bytes)
        bytes.append(0x09)
        appendDecimal(entry.device, to: &bytes)
        bytes.append(0x09)
        appendDecimal(entry.hash, radix: 16, to: &bytes)
        bytes.append(0x09)
        bytes += (entry.racy ? "racy" : "-").utf8
        bytes.append(0x09)
        let pathStart = bytes.count
        appendField(path, to: &bytes)
        bytes.append(0x0A)
        return pathStart
    }

    /// `number`'s digits (lower-case letters above nine), after a `-` when negative, as `String(number, radix:)` writes them.
    static func appendDecimal<T: BinaryInteger>(_ number: T, radix: Int = 10, to bytes: inout [UInt8]) {
        withDigits(number, radix: radix) { bytes.append(contentsOf: $0) }
    }

    /// `number`'s digits as ``appendDecimal(_:radix:to:)`` writes them, in a buffer of the stack.
    /// Every number of a stamp fits 64 bits: the digits are made by one loop over `UInt64`, not generically.
    static func withDigits<T: BinaryInteger, Result>(_ number: T, radix: Int = 10, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var magnitude = UInt64(truncatingIfNeeded: number.magnitude)
        let radix = UInt64(radix)
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0) // 72 bytes
        let count = withUnsafeMutableBytes(of: &digits) { digits in
            var count = 0
            repeat {
                let digit = UInt8(truncatingIfNeeded: magnitude % radix)
                digits[71 - count] = digit < 10 ? 0x30 + digit : 0x57 + digit
                count += 1
                magnitude /= radix
            } while magnitude > 0 && count < 64
            if number < 0 {
                digits[71 - count] = UInt8(ascii: "-")
                count += 1
            }
            return count
        }
        return withUnsafeBytes(of: &digits) { body(UnsafeRawBufferPointer(rebasing: $0[(72 - count)...])) }
    }

    /// One field's bytes, with `\`, tab, newline and carriage return escaped (``withField(_:_:)``).
    static func appendField(_ field: String, to bytes: inout [UInt8]) {
        withField(field) { bytes.append(contentsOf: $0) }
    }

    /// `body` given a field's bytes as a stamp holds them, `\`, tab, newline and carriage return
    /// escaped: the string's own UTF-8 when none is there (most fields: nothing copied), an escaped
    /// copy otherwise. Written (``appendField(_:to:)``), compared with a stamp's line (``recordEnd(of:in:at:)``)
    /// and looked up among a stamp's paths (``StampedFiles/entry(_:)``) through this one escaping.
    static func withField<Result>(_ field: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // `withUTF8`, not `withContiguousStorageIfAvailable`: a short string (a stage's name,
        // `warning`) has no storage to lend, and took an escaped copy, an array, every time.
        var field = field
        return field.withUTF8 { utf8 in
            guard containsEscaped(utf8) else { return body(utf8) }
            var escaped: [UInt8] = []
            escaped.reserveCapacity(utf8.count + 16)
            for byte in utf8 {
                if let letter = escape(byte) {
                    escaped.append(0x5C)
                    escaped.append(letter)
                } else {
                    escaped.append(byte)
                }
            }
            return escaped.withUnsafeBufferPointer(body)
        }
    }

    /// Whether any byte of `bytes` is written escaped (``needsEscape(_:)``), exactly, looked at eight
    /// bytes at a time: a word with no byte below 0x0E and no backslash has none (24,000 warnings, 190
    /// bytes each, are compared with the last stamp's after every build of a 2,000-page corpus).
    static func containsEscaped(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let backslashes = word ^ (ones &* 0x5C)
                // A byte below 0x0E, or a zero byte in `backslashes` (exact: Hacker's Delight, 6-1).
                if (word &- ones &* 0x0E) & ~word & highs != 0 || (backslashes &- ones) & ~backslashes & highs != 0 { break }
                index += 8
            }
        }
        while index < bytes.count {
            if needsEscape(bytes[index]) { return true }
            index += 1
        }
        return false
    }

    /// Forgets the last build (before writing: a failed or interrupted build must not look done).
    func remove() { try? FileManager.default.removeItem(at: file) }

    /// The written site's folder as the file system knows it: a replaced or deleted site differs.
    static func identity(of output: URL) -> String {
        let folder = OutputSafety.resolvedOutput(output)
        var info = stat()
        guard stat(folder.path, &info) == 0 else { return "missing" }
        return "\(folder.path) \(info.st_dev) \(info.st_ino) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    // MARK: - The file

    struct Contents {
        var inputs: String
        var output: String
        var report: BuildReport
        var index: StampedFiles
    }

    /// How many newlines `bytes` holds, found by `memchr` (a byte-by-byte count of the 4.8 MB of
    /// 24,000 warnings' text was a tenth of an unchanged 2,000-page rebuild's CPU samples).
    static func lineCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard var at = UnsafeRawPointer(bytes.baseAddress) else { return 0 }
        let end = at + bytes.count
        var count = 0
        while at < end, let found = memchr(at, 0x0A, end - at) {
            count += 1
            at = UnsafeRawPointer(found) + 1
        }
        return count
    }

    /// What a stamp file holds; nil for a missing, older or damaged one.
    ///
    /// The file is mapped (`Data`'s `.alwaysMapped`: `mmap`), not copied into memory: a skipped
    /// build reads the input index and prints the warnings' text from the page cache, and never
    /// touches the warnings' fields (5 of the 10 MB of a 2,000-page corpus's stamp) unless asked.
    /// Copied whole into fresh pages and freed again, the stamp was a sixth of that build's CPU
    /// samples. Where the file system cannot map files, it is read. The stamp is never written in
    /// place (``SiteFile/renew(_:at:)-([UnsafeRawBufferPointer],_)``), so never cut short under a reader.
    /// - Parameter checkingFields: check the warnings' `w` lines now (otherwise when first asked
    ///   for, ``KeptWarnings/diagnostics``); the text is checked in any case.
    static func read(_ file: URL, checkingFields: Bool = true) -> Contents? {
        guard let data = (try? Data(contentsOf: file, options: .alwaysMapped)) ?? (try? Data(contentsOf: file)) else { return nil }
        return data.withUnsafeBytes { raw in read(raw.bindMemory(to: UInt8.self), of: data, checkingFields: checkingFields) }
    }

    /// ``read(_:checkingFields:)`` of the file `data`, whose bytes are `bytes`.
    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, of data: Data, checkingFields: Bool) -> Contents? {
        func part(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }
        // The five header lines, then the two blocks of warnings at their lengths.
        var header: [String] = []
        var start = 0
        while header.count < 5, let newline = bytes[start...].firstIndex(of: 0x0A) {
            let line = bytes[start..<newline]
            guard !line.contains(0x09) else { return nil }
            header.append(unescaped(String(decoding: line, as: UTF8.self)))
            start = newline + 1
        }
        guard header.count == 5, header[0] == format else { return nil }
        let counts = header[3].split(separator: " ").compactMap { Int($0) }
        let blocks = header[4].split(separator: " ").compactMap { Int($0) }
        guard counts.count == 4, blocks.count == 3, blocks.allSatisfy({ $0 >= 0 }), blocks[1] <= bytes.count - start,
              blocks[2] <= bytes.count - start - blocks[1] else { return nil }
        let text = start..<start + blocks[1]
        let records = text.upperBound..<text.upperBound + blocks[2]
        // A warning is one line of each block.
        guard part(text).last.map({ $0 == 0x0A }) ?? true, Self.lineCount(part(text)) == blocks[0],
              !checkingFields || KeptWarnings.check(part(records), count: blocks[0]) else { return nil }
        var report = BuildReport()
        (report.pages, report.assets, report.formulas, report.codeBlocks) = (counts[0], counts[1], counts[2], counts[3])
        report.keptWarnings = KeptWarnings(count: blocks[0], file: data, text: text, records: records, checked: checkingFields)

        guard let files = StampedFiles(data, lines: records.upperBound..<bytes.count) else { return nil }
        return Contents(inputs: header[1], output: header[2], report: report, index: files)
    }

    /// The `w` lines' warnings, in order (the lines were checked when the stamp was read).
    static func warnings(_ records: UnsafeBufferPointer<UInt8>) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        // Consecutive warnings mostly share their path, stage and hint (a page's ten prose numbers):
        // the previous record's strings are reused when the bytes are the same, not made again.
        var path = Field(), message = Field(), hint = Field()
        forEachRecord(records) { fields in
            guard let stage = Diagnostic.Stage(rawValue: String(decoding: fields[2], as: UTF8.self)),
                  let number = Int(ascii: fields[4]), let column = Int(ascii: fields[5]) else { return false }
            var warning = Diagnostic(path.string(fields[3]), line: number, column: column, stage: stage, message.string(fields[6]),
                                     hint: fields.count == 8 ? hint.string(fields[7]) : nil)
            warning.isWarning = fields[1].elementsEqual("warning".utf8)
            warnings.append(warning)
            return true
        }
        return warnings
    }

    /// A field's text, unescaped, kept for the next record: made again only when its bytes differ.
    private struct Field {
        private var bytes: [UInt8] = []
        private var text = ""

        mutating func string(_ field: UnsafeBufferPointer<UInt8>) -> String {
            guard !field.elementsEqual(bytes) else { return text }
            bytes = Array(field)
            text = BuildStamp.unescaped(String(decoding: field, as: UTF8.self))
            return text
        }
    }

    /// Calls `body` with each line's fields (cut at tabs; valid until it returns) in one pass over
    /// the bytes, without a string per field: the stamp of a site with thousands of warnings is
    /// megabytes. A last line without its newline is not a record. `body` returns false to stop.
    static func forEachRecord(_ bytes: UnsafeBufferPointer<UInt8>, _ body: ([UnsafeBufferPointer<UInt8>]) -> Bool) {
        var fields: [UnsafeBufferPointer<UInt8>] = []
        fields.reserveCapacity(9)
        var start = 0
        for index in bytes.indices where bytes[index] == 0x09 || bytes[index] == 0x0A {
            fields.append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            start = index + 1
            if bytes[index] == 0x0A {
                guard body(fields) else { return }
                fields.removeAll(keepingCapacity: true)
            }
        }
    }

    /// One line of tab-separated fields, each with `\`, tab, newline and carriage return escaped.
    static func append(_ fields: [String], to bytes: inout [UInt8]) {
        for (number, field) in fields.enumerated() {
            if number > 0 { bytes.append(0x09) }
            appendField(field, to: &bytes)
        }
        bytes.append(0x0A)
    }

    static func unescaped(_ field: String) -> String {
        guard field.containsUTF8Byte(where: { $0 == 0x5C }) else { return field }
        var result = ""
        var escape = false
        for scalar in field.unicodeScalars {
            if escape {
                switch scalar {
                case "t": result += "\t"
                case "n": result += "\n"
                case "r": result += "\r"
                default: result.unicodeScalars.append(scalar)
                }
                escape = false
            } else if scalar == "\\" {
                escape = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension FixedWidthInteger {
    /// A number written in ASCII (a stamp's field), read as `Self(String, radix:)` reads it: a
    /// `+` or `-` or none, then one or more digits of `radix` (letters of either case above nine);
    /// nil when it is not one or does not fit. Read from the bytes: a string made of each of an
    /// input index's 24,000 numbers and read back was a twentieth of an unchanged 2,000-page
    /// rebuild's CPU samples.
    init?(ascii field: UnsafeBufferPointer<UInt8>, radix: Int = 10) {
        // A stamp's usual field, an unsigned decimal of at most 19 digits (a time in nanoseconds)
        // or hexadecimal of at most 16, cannot overflow 64 bits: read without the checks (26,000
        // numbers in an unchanged 2,000-page rebuild, 8 % of its instructions when each digit's
        // step was checked), then made `Self` if it fits.
        if let first = field.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "+"),
           radix == 10 ? field.count <= 19 : radix == 16 && field.count <= 16 {
            var value: UInt64 = 0
            if radix == 10 {
                for byte in field {
                    let digit = byte &- 0x30
                    guard digit < 10 else { return nil }
                    value = value &* 10 &+ UInt64(digit)
                }
            } else {
                for byte in field {
                    let digit: UInt8
                    switch byte {
                    case 0x30...0x39: digit = byte - 0x30
                    case 0x61...0x66: digit = byte - 0x61 + 10
                    case 0x41...0x46: digit = byte - 0x41 + 10
                    default: return nil
                    }
                    value = value << 4 | UInt64(digit)
                }
            }
            guard let exact = Self(exactly: value) else { return nil }
            self = exact
            return
        }
        var digits = field[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, (2...36).contains(radix) else { return nil }
        let base = Self(radix)
        var value: Self = 0
        for byte in digits {
            let digit: Int
            switch byte {
            case 0x30...0x39: digit = Int(byte - 0x30)
            case 0x61...0x7A: digit = Int(byte - 0x61) + 10
            case 0x41...0x5A: digit = Int(byte - 0x41) + 10
            default: return nil
            }
            guard digit < radix else { return nil }
            // Negative numbers are made downwards, so that the least one (Int64.min) fits.
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: base)
            let (next, carried) = negative ? shifted.subtractingReportingOverflow(Self(digit)) : shifted.addingReportingOverflow(Self(digit))
            guard !overflowed, !carried else { return nil }
            value = next
        }
        self = value
    }
}
