import Markdown

/// A user's mistake, printed compiler-style: `path:line:col: error: message (hint)`.
public struct Diagnostic: Error, Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The build stage that found a mistake, in pipeline order.
    public enum Stage: String, Sendable, CaseIterable, Codable {
        /// `content/lossbook.yaml`.
        case config
        /// A safe output folder and the tools a build needs (`node`, KaTeX, highlight.js).
        case preflight
        /// The binary against the sources beside it (`Sources/Losses`, …).
        case provenance
        /// Finding pages and assets in `content/`.
        case discovery
        /// Catalog prose: `content/<lang>/reference/`.
        case reference
        /// Cited data: `content/data/`.
        case data
        /// A page's YAML front matter.
        case frontMatter = "front-matter"
        /// Translation stamps and pages missing in a language.
        case translations
        /// Reading a page's markdown.
        case markdown
        /// KaTeX formulas (and the Node.js helper that renders them and the code).
        case math
        /// Executable blocks (`loss-table`, `loss-plot`, …) and their `expected:` numbers.
        case execute
        /// The peer libraries' golden values recomputed by the library.
        case witness
        /// `build --fix` rewriting `expected:` numbers in place.
        case fix
        /// `lossbook render` of a single file.
        case render
        /// Decimals typed in a note's prose that are neither computed nor cited.
        case proseNumbers = "prose-numbers"
        /// Links and anchors between pages.
        case links
        /// Templates and UI strings (`templates/`).
        case theme
        /// Writing `site/`.
        case output
    }

    /// Path as the user wrote it or as it sits in the project (relative where possible).
    public var path: String
    public var line: Int
    public var column: Int
    public var stage: Stage
    public var message: String
    /// What to do about it.
    public var hint: String?
    /// Warnings are reported but do not stop a build.
    public var isWarning = false
    /// Evidence too long for the line (a disagreement's whole probe tensors), printed under it
    /// by `--verbose`; never part of ``description``.
    public var details: [String] = []

    public init(_ path: String, line: Int = 1, column: Int = 1, stage: Stage, _ message: String, hint: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.stage = stage
        self.message = message
        self.hint = hint
    }

    /// Always one line: newlines in a message (a multi-line formula quoted by KaTeX, a
    /// library's error text) become spaces.
    public var description: String {
        var bytes: [UInt8] = []
        appendDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``description``'s bytes, appended to `bytes` without a string in between (a site can have
    /// tens of thousands of warnings to print).
    public func appendDescription(to bytes: inout [UInt8]) {
        let start = bytes.count
        Self.append(path, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(line, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(column, to: &bytes)
        Self.append(isWarning ? ": warning: " : ": error: ", to: &bytes)
        Self.append(message, to: &bytes)
        if let hint {
            Self.append(" (hint: ", to: &bytes)
            Self.append(hint, to: &bytes)
            bytes.append(UInt8(ascii: ")"))
        }
        // Every newline character has one of these bytes (U+000A…U+000D, U+0085, U+2028, U+2029):
        // most texts are let through on a byte scan, not a walk by `Character`.
        let mayBreak = bytes.withUnsafeBufferPointer { all in
            all[start...].contains { ($0 >= 0x0A && $0 <= 0x0D) || $0 == 0x85 || $0 == 0xA8 || $0 == 0xA9 }
        }
        guard mayBreak else { return }
        let text = String(decoding: bytes[start...], as: UTF8.self)
        guard text.contains(where: \.isNewline) else { return }
        bytes.removeSubrange(start...)
        bytes.append(contentsOf: String(text.map { $0.isNewline ? " " : $0 }).utf8)
    }

    /// A text's UTF-8 appended whole from its contiguous storage (a native string's), not byte by
    /// byte through its view: the build stamp and the printed warnings append 24,000 of them.
    private static func append(_ text: String, to bytes: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) != nil { return }
        bytes.append(contentsOf: text.utf8)
    }

    /// A number's decimal digits, without a string for them.
    private static func append(_ number: Int, to bytes: inout [UInt8]) {
        guard number >= 0 else { return append(String(number), to: &bytes) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0, rest = number
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                count += 1
                buffer[buffer.count - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: buffer[(buffer.count - count)...])
        }
    }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.path, a.line, a.column, a.message) < (b.path, b.line, b.column, b.message)
    }
}

/// One or more diagnostics that stopped a build.
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted() }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
