/// Orderings and vectors of a function's argument, as the Lovász extension is written:
///
/// - `m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots` (or `e_{\pi_1} \ge e_{\pi_2} \ge \ldots`, or with `\le`) beside
///   an equation states that π sorts m over its last axis, decreasingly (increasingly with `\le`);
///   ties keep the order of position, as a stable sort does. `\pi(k)` and `\pi_k` are then the k-th
///   position in that order, and `\{\pi(1), \dots, \pi(k)\}` the set of the first k
///   (`TeXParser+OrderedSets`, `Evaluator+Orderings`).
/// - `m_i(c) = …`, a name with an index subscript and index arguments, is the vector m(c) over i:
///   it is defined as m indexed by c and i, and `m(c)` passed to a function (`\overline{\Delta}(m(c))`)
///   passes that vector by name, c at its value.
extension FormulaSystem {
    public struct Ordering: Sendable {
        /// The permutation's name, `\pi`.
        public var name: String
        /// What it sorts, `m` (its last axis).
        public var key: SymbolReference
        public var descending: Bool
        public var offset: Int
        public var formula: Int
    }

    /// The ordering a piece without `=` states, nil when it states none.
    static func ordering(_ piece: [TeXToken], formula: Int) throws -> Ordering? {
        let terms = TeXParser.split(piece) { TeXParser.relation($0) != nil }
        let relations = piece.compactMap(TeXParser.relation)
        guard terms.count >= 3, relations.count == terms.count - 1,
              let last = terms.last, last.count == 1, last[0].command.map(TeXParser.ellipses.contains) == true else { return nil }
        guard Set(relations).count == 1, relations[0] == .greaterOrEqual || relations[0] == .lessOrEqual else {
            throw FormulaError("an ordering is stated with one relation throughout, \\ge or \\le", at: piece.first?.offset,
                               hint: #"e.g. m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#)
        }
        var elements: [(key: SymbolReference, permutation: String, position: TeXExpression)] = []
        for term in terms.dropLast() {
            var parser = TeXParser(term)
            let key = try parser.parseSymbol()
            guard parser.remaining.isEmpty, let subscripts = key.subscriptText.flatMap({ _ in key.subscripts }), subscripts.count == 1,
                  let (permutation, position) = permutationElement(subscripts[0]) else {
                throw FormulaError("an ordering compares one name at successive positions, \\pi(1), \\pi(2), …",
                                   at: term.first?.offset, hint: #"e.g. m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#)
            }
            elements.append((key, permutation, position))
        }
        let first = elements[0]
        for (k, element) in elements.enumerated()
        where element.key.stem != first.key.stem || element.permutation != first.permutation || element.position != .number(Double(k + 1)) {
            throw FormulaError("an ordering compares \(first.key.stem) at \(first.permutation)(1), \(first.permutation)(2), … in turn",
                               at: terms[k].first?.offset)
        }
        var key = first.key
        key.subscriptText = nil
        key.subscripts = nil
        return Ordering(name: first.permutation, key: key, descending: relations[0] == .greaterOrEqual,
                        offset: piece.first?.offset ?? 0, formula: formula)
    }

    /// `\pi(1)` (read before `\pi` is known as a function: a product) or `\pi_1`.
    private static func permutationElement(_ expression: TeXExpression) -> (String, TeXExpression)? {
        switch expression {
        case let .binary(.multiply, .symbol(name), position, _) where name.subscriptText == nil: return (name.fullName, position)
        case let .call(name, arguments, _) where arguments.count == 1: return (name, arguments[0])
        case let .symbol(name) where name.subscripts?.count == 1: return (name.stem, name.subscripts![0])
        default: return nil
        }
    }

    /// `m_i(c)`: an index subscript and index arguments (a vector over i for each c).
    static func isIndexedFunction(_ reference: SymbolReference, _ arguments: [String], axes: Set<String>) -> Bool {
        let parts = (reference.subscriptText ?? "").split(separator: ",").map(String.init)
        return !parts.isEmpty && !arguments.isEmpty && (parts + arguments).allSatisfy(axes.contains)
    }
}
