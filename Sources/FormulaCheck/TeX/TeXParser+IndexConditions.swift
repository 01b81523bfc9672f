/// Sums whose subscript states the index's range as a relation rather than limits:
/// `\sum_{i \ne y_n}` (every i but y_n), `\sum_{j \in Y_n}` and `\sum_{i \notin Y_n}` (the members
/// of a set, or the rest, where the set `Y_n` is bound as a 0/1 indicator array with one more
/// axis than its subscript gives: `Y_{n,c}`, so `j \in Y_n` reads `Y_{n,j} \ne 0`).
extension TeXParser {
    /// `(index, condition)` when `tokens` (a sum's subscript, normalized) is `index relation …`;
    /// nil when it is not of that form.
    static func indexCondition(_ tokens: [TeXToken], names: Set<String>, functions: Set<String>) throws -> (String, TeXExpression)? {
        guard tokens.count >= 3, case let .letter(c) = tokens[0].kind, let command = tokens[1].command else { return nil }
        let index = String(c)
        let rest = Array(tokens[2...])
        let indexExpression = TeXExpression.symbol(SymbolReference(base: index, offset: tokens[0].offset))
        switch command {
        case "ne", "neq":
            var parser = TeXParser(rest, names: names, functions: functions)
            return (index, .comparison(.notEqual, indexExpression, try parser.parseAll()))
        case "in" where rest.count == 1 && rest[0].command == "Omega":
            // `i \in \Omega`: every position of the grid, the whole axis i.
            return (index, .number(1))
        case "in", "notin":
            var parser = TeXParser(rest, names: names, functions: functions)
            var set = try parser.parseSymbol()
            guard parser.remaining.isEmpty else {
                throw FormulaError("a sum over a set takes a set written as one name, e.g. \\sum_{j \\in Y_n}", at: tokens[1].offset)
            }
            // The set's indicator with the index as its last subscript: Y_n ∋ j ⇔ Y_{n,j} ≠ 0.
            set.subscripts = (set.subscripts ?? []) + [indexExpression]
            set.subscriptText = (set.subscriptText.map { $0 + "," } ?? "") + index
            let member = TeXExpression.comparison(.notEqual, .symbol(set), .number(0))
            return (index, command == "in" ? member : .comparison(.equal, .symbol(set), .number(0)))
        default:
            return nil
        }
    }
}
