/// Sets written by a condition, `\mathcal{H} = \{\, i : p_{i, y_i} < t \,\}`: an indexed
/// definition whose body is the condition, so `\sum_{i \in \mathcal{H}}` runs over its members
/// (`TeXParser.indexCondition`) and `|\mathcal{H}|` counts them. A set of pairs,
/// `K = \{ (n,i) : … \}`, is indexed by both (`\sum_{(n,i) \in K}`, `|K|` counts the pairs).
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
        let head = Array(tokens[1..<colon])
        let indices: [String]
        if let (tuple, count) = TeXParser.indexTuple(head), count == head.count {
            indices = tuple
        } else if head.count == 1, case let .letter(c) = head[0].kind {
            indices = [String(c)]
        } else {
            throw FormulaError("a set {i : condition} takes one index name, or a pair (n,i), before its ':'", at: tokens.first?.offset)
        }
        var parser = TeXParser(Array(tokens[(colon + 1)..<(tokens.count - 1)]), names: names, functions: functions)
        return Definition(name: name.stem, indexParameters: parameters + indices, arguments: [], body: try parser.parseAll(),
                          alternatives: [], offset: name.offset, formula: formula, isSet: true, setIndices: indices.count)
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
    /// How many members a set has: its condition counted over its indices' axes, every pair of a
    /// set of pairs (the indices are the set's own: a value they have outside is not used).
    func count(_ set: FormulaSystem.Definition, scope: Scope, offset: Int) throws -> Double {
        // A subscript's parameter given by the scope keeps its value (`|G_c|` inside a sum over c).
        let own = set.indexParameters.enumerated().filter { k, parameter in
            k >= set.indexParameters.count - set.setIndices || scope[parameter] == nil
        }.map(\.element)
        let extents = try own.map { parameter -> (String, Int) in
            guard let extent = self.extents[parameter] else {
                throw FormulaError("cannot count \(set.name): no bound array has an axis \(parameter)", at: offset)
            }
            return (parameter, extent)
        }
        var total = 0.0
        func loop(_ k: Int, _ scope: Scope) throws {
            guard k < extents.count else {
                if try evaluate(set.body, scope: scope) != 0 { total += 1 }
                return
            }
            var inner = scope
            for value in stride(from: 1, through: extents[k].1, by: 1) {
                inner[extents[k].0] = Double(value)
                try loop(k + 1, inner)
            }
        }
        try loop(0, scope)
        return total
    }
}
