/// One lexical unit of TeX math, with its character offset in the source.
public struct TeXToken: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// `\name` (letters) or a one-character control symbol such as `\,` or `\{`.
        case command(String)
        /// A single letter: in math mode every letter is its own symbol.
        case letter(Character)
        /// Digits with at most one decimal point.
        case number(Double)
        /// Any other character: `+ - = < > ( ) [ ] | , / ' ! : ;`.
        case symbol(Character)
        /// A braced group's contents, already lexed; `text` is the raw source between the braces.
        case group([TeXToken], text: String)
        case subscriptMark, superscriptMark
        /// `&` between the columns of `cases`.
        case alignment
        /// `\\` (and an optional `[4pt]` after it) between rows.
        case rowBreak
    }

    public var kind: Kind
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// The command name without the backslash, if this is a command.
    var command: String? {
        if case let .command(name) = kind { return name }
        return nil
    }

    func isSymbol(_ c: Character) -> Bool { kind == .symbol(c) }
}
