/// Terms of a sequence defined from its predecessor: `f^{(k)}` (the order in parentheses as a
/// superscript, not a power), and the erosion notation `f \ominus_k B` (f eroded k times by B),
/// both names of the k-th term; `f^{(k)}(q)` and `(f \ominus_k B)_i` read a term that is a map
/// at a position. See `FormulaSystem+Sequences`.
extension TeXParser {
    /// The label every term of a sequence carries, so that all terms share one name.
    static let termLabel = "(·)"

    /// The order of `^{(k)}`, `^{(k-1)}`, `^{(0)}`: nil for any other superscript.
    static func sequenceOrder(_ token: TeXToken, names: Set<String>, functions: Set<String>) throws -> TeXExpression? {
        guard case let .group(inner, _) = token.kind, inner.count >= 3, inner.first?.isSymbol("(") == true,
              inner.last?.isSymbol(")") == true else { return nil }
        var parser = TeXParser(Array(inner.dropFirst().dropLast()), names: names, functions: functions, endOffset: token.offset)
        return try parser.parseAll()
    }

    /// `\ominus_k B` after the map's name: the k-th term of the sequence of erosions by B.
    mutating func parseErosion(of map: SymbolReference) throws -> SymbolReference {
        guard let operatorToken = peek, operatorToken.command == "ominus" else { return map }
        position += 1
        guard let mark = peek, mark.kind == .subscriptMark, position + 1 < tokens.count else {
            throw FormulaError("'\\ominus' needs the number of erosions as a subscript, f \\ominus_k B", at: operatorToken.offset)
        }
        position += 1
        let order: TeXExpression
        if case let .group(inner, _) = tokens[position].kind {
            var parser = TeXParser(inner, names: names, functions: functions, endOffset: tokens[position].offset)
            order = try parser.parseAll()
        } else {
            var parser = TeXParser([tokens[position]], names: names, functions: functions, endOffset: tokens[position].offset)
            order = try parser.parseAll()
        }
        position += 1
        guard let next = peek, next.kind != .subscriptMark else {
            throw FormulaError("'\\ominus_k' needs the structuring element after it, f \\ominus_k B", at: operatorToken.offset)
        }
        let element = try parseSymbol()
        var term = SymbolReference(base: "\(map.fullName) \\ominus \(element.fullName)", offset: map.offset)
        term.label = Self.termLabel
        term.order = order
        return term
    }

    /// `(q)` after a term: the position it is read at (one letter), consumed; nil otherwise.
    mutating func termPoint() -> String? {
        guard position + 2 < tokens.count, tokens[position].isSymbol("("), tokens[position + 2].isSymbol(")"),
              case let .letter(c) = tokens[position + 1].kind else { return nil }
        position += 3
        return String(c)
    }
}
