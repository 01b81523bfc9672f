/// Sets written by a condition, `\mathcal{H} = \{\, i : p_{i, y_i} < t \,\}`: an indexed
/// definition whose body is the condition, so `\sum_{i \in \mathcal{H}}` runs over its members
/// (`TeXParser.indexCondition`) and `|\mathcal{H}|` counts them.
///
/// A set's name may carry subscripts, `\mathcal{T}_K = \{\, i : \ldots < K \,\}`: they are
/// parameters of its condition, given where it is used (`i \in \mathcal{T}_K` reads
/// `\mathcal{T}_{K,i}`, K at its value there). Such a set is not counted by `|…|`.
extension FormulaSystem {
    /// The set a right side `\{ i : condition \}` defines under `name`; nil when it is not one.
    static func setBuilder(_ rhs: [TeXToken], name: SymbolReference, formula: Int,
                           names: Set<String>, functions: Set<String>) throws -> Definition? {
        let tokens = rhs.filter { !TeXParser.spacing.contains($0.command ?? "") }
        guard tokens.first?.command == "{", tokens.last?.command == "}",
              let colon = tokens.firstIndex(where: { $0.isSymbol(":") || $0.command == "mid" }) else { return nil }
        let parameters = try setParameters(name)
        let index = tokens[1..<colon].compactMap { token -> Character? in
            if case let .letter(c) = token.kind { return c }
            return nil
        }
        guard index.count == 1, colon == 2 else {
            throw FormulaError("a set {i : condition} takes one index name before its ':'", at: tokens.first?.offset)
        }
        var parser = TeXParser(Array(tokens[(colon + 1)..<(tokens.count - 1)]), names: names, functions: functions)
        return Definition(name: name.stem, indexParameters: parameters + [String(index)], arguments: [], body: try parser.parseAll(),
                          alternatives: [], offset: name.offset, formula: formula, isSet: true)
    }

    /// The names a set's subscript gives (`K` of `\mathcal{T}_K`), none without a subscript.
    private static func setParameters(_ name: SymbolReference) throws -> [String] {
        guard name.subscriptText != nil else { return [] }
        let names = (name.subscripts ?? []).compactMap { expression -> String? in
            if case let .symbol(symbol) = expression, symbol.subscriptText == nil { return symbol.fullName }
            return nil
        }
        guard names.count == name.subscripts?.count, !names.isEmpty else {
            throw FormulaError("a set's subscripts must be names (\\mathcal{T}_K, \\mathcal{H}_{n})", at: name.offset)
        }
        return names
    }
}

extension Evaluator {
    /// How many members a set has: its condition counted over its index's axis (the index is the
    /// set's own: a value it has outside is not used).
    func count(_ set: FormulaSystem.Definition, scope: Scope, offset: Int) throws -> Double {
        var total = 0.0
        for parameter in set.indexParameters {
            guard let extent = extents[parameter] else {
                throw FormulaError("cannot count \(set.name): no bound array has an axis \(parameter)", at: offset)
            }
            for value in stride(from: 1, through: extent, by: 1) {
                var inner = scope
                inner[parameter] = Double(value)
                if try evaluate(set.body, scope: inner) != 0 { total += 1 }
            }
        }
        return total
    }
}
