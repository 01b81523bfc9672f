/// Sums over a preimage, `\sum_{\pi \in \mathcal{B}^{-1}(y_n)}` (CTC's sum over the alignments
/// π of y_n): the set `F^{-1}(v)` is read as a set indexed by what v's subscript names, so it
/// is bound as an indicator array over those indices and the sum's index (`\mathcal{B}^{-1}(y_n)`
/// over n,π: 1 where path π collapses to sample n's target). The evaluator knows no F: the
/// binding says what the set is, the formula's sum and terms are evaluated as written. The sum's
/// index may be a Greek letter (`\pi`), and a bound array may be read at it (`\pi_t`, the path's
/// class at t, from an array over π, t).
extension TeXParser {
    /// The index name a token gives: a letter, or a Greek letter's command (`\pi`).
    static func indexName(_ token: TeXToken) -> String? {
        switch token.kind {
        case let .letter(c): return String(c)
        case let .command(name) where greek.contains(name): return "\\" + name
        default: return nil
        }
    }

    /// `F^{-1}(v_n)` after the name F (the tokens left after it): the set named `F^{-1}` with the
    /// subscripts of v; nil for any other shape. The argument must be one name.
    static func preimage(of name: SymbolReference, _ rest: ArraySlice<TeXToken>) -> SymbolReference? {
        let rest = Array(rest)
        guard rest.count >= 4, rest[0].kind == .superscriptMark, case let .group(exponent, _) = rest[1].kind,
              exponent.count == 2, exponent[0].isSymbol("-"), exponent[1].kind == .number(1),
              rest[2].isSymbol("("), rest.last?.isSymbol(")") == true else { return nil }
        var parser = TeXParser(Array(rest[3..<(rest.count - 1)]))
        guard let argument = try? parser.parseSymbol(), parser.remaining.isEmpty else { return nil }
        var set = SymbolReference(base: name.fullName + "^{-1}", offset: name.offset)
        set.subscriptText = argument.subscriptText
        set.subscripts = argument.subscripts
        return set
    }

    /// A binding's key for a preimage, `\mathcal{B}^{-1}(y_n)`: the set's name as `preimage` reads
    /// it, nil for a key of another shape.
    static func preimageKey(_ tokens: [TeXToken]) -> SymbolReference? {
        var parser = TeXParser(tokens)
        guard let name = try? parser.parseSymbol() else { return nil }
        return preimage(of: name, parser.remaining)
    }
}
