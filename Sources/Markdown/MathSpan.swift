/// One formula taken out of a markdown source before cmark-gfm sees it.
public struct MathSpan: Sendable, Equatable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// `$…$` or `\(…\)`.
        case inline
        /// `$$…$$`, `\[…\]` or a ```` ```math ```` block.
        case display
    }

    public var kind: Kind
    /// The TeX between the delimiters, container prefixes (`> ` of a block quote) removed.
    public var tex: String
    /// 1-based line and column (in Unicode scalars) of the first character of `tex` in the source.
    public var line: Int
    public var column: Int

    public init(kind: Kind, tex: String, line: Int, column: Int) {
        self.kind = kind
        self.tex = tex
        self.line = line
        self.column = column
    }

    /// The source position of the `offset`-th character (Unicode scalar) of `tex`,
    /// for pointing an error inside a formula at its line and column in the source.
    public func location(ofScalarOffset offset: Int) -> (line: Int, column: Int) {
        var line = self.line, column = self.column
        for (i, scalar) in tex.unicodeScalars.enumerated() {
            if i == offset { break }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

/// A position in a markdown source, 1-based.
public struct SourceLocation: Sendable, Equatable, Hashable, Comparable, Codable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (a: Self, b: Self) -> Bool { (a.line, a.column) < (b.line, b.column) }
}

/// A mistake in a markdown source that stops rendering.
public struct MarkdownError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    public var hint: String?

    public init(_ message: String, at location: SourceLocation, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    public var description: String {
        "\(location.line):\(location.column): \(message)" + (hint.map { " (\($0))" } ?? "")
    }
}
