/// Sets the Lovász extension is written with: the first k elements of an ordering,
/// `\{\pi(1), \dots, \pi(k)\}` (or `\{\pi_1, \ldots, \pi_k\}`), combined by `\setminus`, `\cup` and
/// `\cap` and counted by `|…|`. The ordering itself is stated beside the formula,
/// `m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots` (`FormulaSystem+Orderings`).
extension TeXParser {
    static let ellipses: Set<String> = ["dots", "ldots", "cdots", "dotsc"]

    static func setOperation(_ token: TeXToken) -> TeXExpression.SetOperation? {
        switch token.command {
        case "setminus", "backslash": return .difference
        case "cup": return .union
        case "cap": return .intersection
        default: return nil
        }
    }

    /// Whether the parenthesis at the position opens a list with an ellipsis, `(a, \dots, b)`.
    var startsOrderedPrefix: Bool {
        guard let parts = orderedPrefixParts() else { return false }
        return parts.contains { $0.count == 1 && $0[0].command.map(Self.ellipses.contains) == true }
    }

    /// The comma-separated parts between the parenthesis at the position and its match.
    private func orderedPrefixParts() -> [[TeXToken]]? {
        guard let open = peek, open.isSymbol("(") else { return nil }
        var depth = 0
        for j in position..<tokens.count {
            if tokens[j].isSymbol("(") || tokens[j].isSymbol("[") { depth += 1 }
            if tokens[j].isSymbol(")") || tokens[j].isSymbol("]") { depth -= 1 }
            if depth == 0 {
                return Self.split(Array(tokens[(position + 1)..<j]), at: { $0.isSymbol(",") })
            }
        }
        return nil
    }

    /// `\{\pi(1), \dots, \pi(k)\}`: the ordering π's first k elements.
    mutating func parseOrderedPrefix(_ open: TeXToken) throws -> TeXExpression {
        guard let parts = orderedPrefixParts(), parts.count == 3,
              parts[1].count == 1, parts[1][0].command.map(Self.ellipses.contains) == true else {
            throw FormulaError("cannot evaluate a list with an ellipsis here", at: open.offset,
                               hint: #"the one list read is the start of an ordering, \{\pi(1), \dots, \pi(k)\}"#)
        }
        let (first, firstName) = try orderingElement(parts[0], at: open.offset)
        let (last, lastName) = try orderingElement(parts[2], at: open.offset)
        guard first == .number(1), firstName == lastName else {
            throw FormulaError("a set written with an ellipsis must run from \(firstName)(1) to \(firstName)(k)", at: open.offset,
                               hint: #"e.g. \{\pi(1), \dots, \pi(k)\}, the first k elements in the order π"#)
        }
        position += parts.reduce(0) { $0 + $1.count } + parts.count + 1
        return .orderedPrefix(firstName, count: last, offset: open.offset)
    }

    /// `\pi(k)` or `\pi_k`: the ordering's name and the position asked.
    private func orderingElement(_ tokens: [TeXToken], at offset: Int) throws -> (TeXExpression, String) {
        var parser = TeXParser(tokens, names: names, functions: functions, endOffset: offset)
        switch try parser.parseAll() {
        case let .call(name, arguments, _) where arguments.count == 1:
            return (arguments[0], name)
        case let .binary(.multiply, .symbol(name), position, _) where name.subscriptText == nil:
            // `\pi(k)` where no ordering makes `\pi` a function: the evaluator says so.
            return (position, name.fullName)
        case let .symbol(reference) where reference.subscripts?.count == 1:
            return (reference.subscripts![0], reference.stem)
        default:
            throw FormulaError("an element of an ordering is written \\pi(k) or \\pi_k", at: tokens.first?.offset ?? offset,
                               hint: #"and the ordering is stated beside the formula: m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#)
        }
    }
}
