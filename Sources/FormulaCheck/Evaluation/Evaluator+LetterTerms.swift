/// Names defined at a letter that indexes no array, read at another value of it: the soft
/// skeleton's `s_k = s_{k-1} + [d_k - s_{k-1} d_k]_+`, `s_0 = …`, `S = s_K` (clDice #2). `s_{k-1}`,
/// `s_K`, `d_{k+1}` evaluate the definition `s_k` (`d_k`) with k at the subscript's value, or the
/// first term `s_0` written for that value. A definition that reads itself must read an earlier
/// term (`k - 1`), so the recursion goes down to its first terms; a value below 0 is an error.
/// (The sequences of `FormulaSystem+Sequences` write their order as `f^{(k)}`; this is the
/// subscript spelling, resolved where no name or array of that spelling is bound.)
extension Evaluator {
    /// The value of `reference` as a term of a name defined at a letter; nil when it is not one.
    func letterTerm(_ reference: SymbolReference, scope: Scope) throws -> Double? {
        guard reference.label == nil, reference.order == nil, let subscripts = reference.subscripts, subscripts.count == 1,
              let (letter, definition) = letterDefinition(reference.base), isOrder(subscripts[0], letter: letter, scope: scope) else { return nil }
        let value = try evaluate(subscripts[0], scope: scope)
        guard let m = Int(exactly: value), m >= 0 else {
            throw FormulaError("\(reference.fullName): \(definition.name) is read at \(letter) = \(value), not a whole number ≥ 0",
                               at: reference.offset)
        }
        if let first = system.definitions["\(reference.base)_{\(m)}"] { return try evaluate(first.body, scope: scope) }
        guard memo.flag("reads earlier terms " + definition.name, { Self.readsOnlyEarlier(definition.body, base: reference.base, letter: letter) }) else {
            throw FormulaError("\(definition.name) reads a term of itself that is not an earlier one", at: definition.offset,
                               hint: "a term is defined from earlier ones, e.g. s_{\(letter)} = s_{\(letter)-1} + …, with s_0 = …")
        }
        return try memo.value(.init(label: "term " + definition.name, what: .number(Double(m))), in: scope) { scope in
            var inner = scope
            inner[letter] = Double(m)
            return try evaluate(definition.body, scope: inner)
        }
    }

    /// The definition `base_{k}` at a one-letter subscript that is no index of a bound array, and its letter.
    private func letterDefinition(_ base: String) -> (String, FormulaSystem.Definition)? {
        let prefix = base + "_{"
        for (name, definition) in system.definitions where name.hasPrefix(prefix) && name.count == prefix.count + 2 && name.hasSuffix("}") {
            let letter = String(name.dropFirst(prefix.count).dropLast())
            guard letter.first?.isLetter == true, extents[letter] == nil, definition.arguments.isEmpty else { continue }
            return (letter, definition)
        }
        return nil
    }

    /// Whether a subscript reads as a term's order: a number, the letter shifted by a number
    /// (`k - 1`), or a name bound to a number (`K`); not an array's index (`d_g` beside `d_p`).
    private func isOrder(_ order: TeXExpression, letter: String, scope: Scope) -> Bool {
        switch order {
        case .number: return true
        case let .binary(.add, .symbol(k), .number, _), let .binary(.subtract, .symbol(k), .number, _): return k.fullName == letter
        case let .symbol(name) where name.subscriptText == nil:
            if case .scalar? = values[name.fullName] { return true }
            return false
        default: return false
        }
    }

    /// Whether every read of `base` in `body` at a subscript is at `letter − c`, c ≥ 1, or at a number.
    private static func readsOnlyEarlier(_ body: TeXExpression, base: String, letter: String) -> Bool {
        var earlier = true
        walk(body) { e in
            guard case let .symbol(reference) = e, reference.base == base, let subscripts = reference.subscripts,
                  subscripts.count == 1 else { return }
            switch subscripts[0] {
            case .number: break
            case let .binary(.subtract, .symbol(k), .number(c), _) where k.fullName == letter && c >= 1 && c == c.rounded(): break
            default: earlier = false
            }
        }
        return earlier
    }
}
