/// A sequence defined from its predecessor, as the recursions of the notes write them:
/// `f^{(k)} = \operatorname{norm}(\max(B * f^{(k-1)} - \tfrac12, 0)), \quad f^{(0)} = (p - g)^2`, or
/// `f \ominus_k B = … (f \ominus_{k-1} B) …, \quad f \ominus_0 B = …`. The equation at an index
/// (`k`) defines every later term from earlier ones; equations at a number give the first terms.
/// A term is evaluated at its order (`f^{(3)}` with k = 3), in turn reading the earlier terms,
/// each kept once per position (`Evaluator.term`).
extension FormulaSystem {
    mutating func addTerm(_ reference: SymbolReference, order termOrder: TeXExpression, sides: [[TeXToken]], formula: Int,
                          names: Set<String>, functions: Set<String>) throws {
        let bodies = try sides.filter { !$0.isEmpty }.map { side -> TeXExpression in
            var parser = TeXParser(side, names: names, functions: functions)
            return try parser.parseAll()
        }
        guard let body = bodies.first else { return }
        let name = reference.stem
        var definition = definitions[name]
            ?? Definition(name: name, indexParameters: [], arguments: [], body: body, alternatives: [], offset: reference.offset, formula: formula)
        switch termOrder {
        case let .number(m) where m >= 0 && m == m.rounded():
            guard definition.firstTerms[Int(m)] == nil else {
                throw FormulaError("the term \(Int(m)) of \(name) is defined twice", at: reference.offset)
            }
            definition.firstTerms[Int(m)] = body
        case let .symbol(index) where index.subscriptText == nil && index.order == nil:
            guard definition.sequenceIndex == nil else {
                throw FormulaError("\(name) is defined from its predecessor twice", at: reference.offset)
            }
            try Self.readsEarlierTerms(body, of: name, index: index.fullName, offset: reference.offset)
            definition.sequenceIndex = index.fullName
            definition.body = body
            definition.alternatives = Array(bodies.dropFirst())
            definition.offset = reference.offset
            definition.formula = formula
        default:
            throw FormulaError("a term's order is an index (f^{(k)}) or a whole number (f^{(0)})", at: reference.offset)
        }
        add(definition)
    }

    /// The terms of the same sequence that `body` reads must be earlier ones, `k - 1` (a
    /// positive whole number subtracted), or the evaluation would not end.
    private static func readsEarlierTerms(_ body: TeXExpression, of name: String, index: String, offset: Int) throws {
        var later: SymbolReference?
        Evaluator.walk(body) { e in
            guard later == nil, case let .symbol(reference) = e, reference.stem == name else { return }
            if case let .binary(.subtract, .symbol(k), .number(c), _)? = reference.order, k.fullName == index, c >= 1, c == c.rounded() {
                return
            }
            later = reference
        }
        if let later {
            throw FormulaError("\(name) at \(index) reads a term that is not an earlier one", at: later.offset,
                               hint: "a term is defined from earlier terms, e.g. f^{(\(index))} = … f^{(\(index)-1)} …")
        }
    }
}
