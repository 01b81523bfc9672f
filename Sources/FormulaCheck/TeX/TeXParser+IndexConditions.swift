/// Sums whose subscript states the index's range as a relation rather than limits:
/// `\sum_{i \ne y_n}` (every i but y_n), `\sum_{j \in Y_n}` and `\sum_{i \notin Y_n}` (the members
/// of a set, or the rest, where the set `Y_n` is bound as a 0/1 indicator array with one more
/// axis than its subscript gives: `Y_{n,c}`, so `j \in Y_n` reads `Y_{n,j} \ne 0`).
/// A pair of indices ranges over a set of pairs, `\sum_{(n,i) \in K}` for
/// `K = \{ (n,i) : … \}` (the positions of every image pooled, as Dice + TopK selects them).
extension TeXParser {
    /// `(indices, condition)` when `tokens` (a sum's subscript, normalized) is `index relation …`
    /// or `(n,i) \in K`; nil when it is not of that form.
    static func indexCondition(_ tokens: [TeXToken], names: Set<String>, functions: Set<String>) throws -> ([String], TeXExpression)? {
        if let (indices, count) = indexTuple(tokens), tokens.count > count + 1,
           let command = tokens[count].command, command == "in" || command == "notin" {
            return (indices, try membership(indices, in: Array(tokens[(count + 1)...]), negated: command == "notin",
                                            at: tokens[count].offset, names: names, functions: functions))
        }
        guard tokens.count >= 3, let index = indexName(tokens[0]), let command = tokens[1].command else { return nil }
        let rest = Array(tokens[2...])
        let indexExpression = TeXExpression.symbol(SymbolReference(base: index, offset: tokens[0].offset))
        switch command {
        case "ne", "neq":
            var parser = TeXParser(rest, names: names, functions: functions)
            return ([index], .comparison(.notEqual, indexExpression, try parser.parseAll()))
        case "in" where rest.count == 1 && rest[0].command == "Omega":
            // `i \in \Omega`: every position of the grid, the whole axis i.
            return ([index], .number(1))
        case "in", "notin":
            return ([index], try membership([index], in: rest, negated: command == "notin", at: tokens[1].offset,
                                            names: names, functions: functions))
        default:
            return nil
        }
    }

    /// The set's indicator with the indices as its last subscripts: Y_n ∋ j ⇔ Y_{n,j} ≠ 0,
    /// K ∋ (n,i) ⇔ K_{n,i} ≠ 0.
    private static func membership(_ indices: [String], in tokens: [TeXToken], negated: Bool, at offset: Int,
                                   names: Set<String>, functions: Set<String>) throws -> TeXExpression {
        var parser = TeXParser(tokens, names: names, functions: functions)
        var set = try parser.parseSymbol()
        if let preimage = preimage(of: set, parser.remaining) {
            set = preimage
        } else if !parser.remaining.isEmpty {
            throw FormulaError("a sum over a set takes a set written as one name, e.g. \\sum_{j \\in Y_n}", at: offset)
        }
        set.subscripts = (set.subscripts ?? []) + indices.map { .symbol(SymbolReference(base: $0, offset: offset)) }
        set.subscriptText = ((set.subscriptText.map { [$0] } ?? []) + indices).joined(separator: ",")
        return .comparison(negated ? .equal : .notEqual, .symbol(set), .number(0))
    }

    /// `(n,i)` at the start of `tokens`: the index letters and how many tokens they take; nil
    /// for anything else (a single index is not a tuple).
    static func indexTuple(_ tokens: [TeXToken]) -> ([String], Int)? {
        guard tokens.first?.isSymbol("(") == true, let close = tokens.firstIndex(where: { $0.isSymbol(")") }) else { return nil }
        var indices: [String] = []
        for (k, token) in tokens[1..<close].enumerated() {
            if k % 2 == 1 {
                guard token.isSymbol(",") else { return nil }
            } else {
                guard case let .letter(c) = token.kind else { return nil }
                indices.append(String(c))
            }
        }
        return indices.count >= 2 && (close - 1) % 2 == 1 ? (indices, close + 1) : nil
    }
}
