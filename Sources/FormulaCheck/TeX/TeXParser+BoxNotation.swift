/// Notation of the box-regression formulas: `[a]_+` (the positive part), `x_2^g` (a superscript
/// letter that a binding names, read as a label: the target box's x₂), and `\rho^2 = …` (a
/// squared name defined: ρ is the root of the right side, a distance).
extension TeXParser {
    /// `max(0, a)` for `[a]_+`, when the bracket is followed by `_+`; else `a`.
    mutating func positivePart(_ inner: TeXExpression) -> TeXExpression {
        guard let mark = peek, mark.kind == .subscriptMark, position + 1 < tokens.count else { return inner }
        let next = tokens[position + 1]
        let plus: Bool
        if case let .group(group, _) = next.kind { plus = group.count == 1 && group[0].isSymbol("+") } else { plus = next.isSymbol("+") }
        guard plus else { return inner }
        position += 2
        return .function(.max, [.number(0), inner], offset: mark.offset)
    }

    /// The letter of a superscript `^g` when `names` holds `^g` (a binding's key has it).
    func superscriptName(_ token: TeXToken) -> String? {
        var letter: Character?
        switch token.kind {
        case let .letter(c): letter = c
        case let .group(inner, _) where inner.count == 1: if case let .letter(c) = inner[0].kind { letter = c }
        default: break
        }
        guard let letter, names.contains("^\(letter)") else { return nil }
        return String(letter)
    }
}

extension FormulaSystem {
    /// `ρ^2` → (`ρ`, true): a left side that squares a name.
    static func square(_ lhs: [TeXToken]) -> ([TeXToken], Bool) {
        guard lhs.count >= 3, lhs[lhs.count - 2].kind == .superscriptMark, lhs.last?.kind == .number(2) else { return (lhs, false) }
        return (Array(lhs.dropLast(2)), true)
    }
}

extension FormulaChecker {
    /// `^g` for a key `x_{k,n}^g` or `x^{g}_{k,n}`: a single-letter superscript names a label.
    static func superscriptLabel(of key: String) -> String? {
        guard let caret = key.firstIndex(of: "^") else { return nil }
        let rest = key[key.index(after: caret)...].filter { $0 != "{" && $0 != "}" }
        guard let letter = rest.first, letter.isLetter, rest.dropFirst().first.map({ $0 == "_" }) ?? true else { return nil }
        return "^\(letter)"
    }
}
