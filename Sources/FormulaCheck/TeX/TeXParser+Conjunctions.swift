/// Conditions joined by a word, as the notes write them in an indicator:
/// `\mathbf{1}\{g_i^c = 1 \text{ and } s_i^c < t\}` (TopK's threshold form). Each condition is 1
/// or 0, so `A \text{ and } B` is their product.
extension TeXParser {
    /// A comparison, then any number of `\text{and}` and comparisons: their product.
    mutating func parseConjunction() throws -> TeXExpression {
        var expression = try parseComparison()
        while atConjunction, let token = peek {
            position += 2
            expression = .binary(.multiply, expression, try parseComparison(), offset: token.offset)
        }
        return expression
    }

    /// Whether the next tokens are `\text{and}` (a product of factors stops there).
    var atConjunction: Bool {
        guard let token = peek, token.command == "text", position + 1 < tokens.count,
              case let .group(_, text) = tokens[position + 1].kind else { return false }
        return text.trimmingCharacters(in: .whitespaces) == "and"
    }

    /// A `cases` condition: `i \in K`, `(n,i) \in K` or `i \notin K` for a set K (`TeXParser.indexCondition`:
    /// TopK's gradient, `\dfrac{1}{\lvert K \rvert}(s_i^j - g_i^j)` where `i \in K`), else a
    /// condition as `parseConjunction` reads it.
    static func caseCondition(_ tokens: [TeXToken], names: Set<String>, functions: Set<String>, endOffset: Int) throws -> TeXExpression {
        if tokens.count >= 3, tokens[1].command == "in" || tokens[1].command == "notin" || indexTuple(tokens) != nil,
           let (_, membership) = try indexCondition(tokens, names: names, functions: functions) {
            return membership
        }
        var parser = TeXParser(tokens, names: names, functions: functions, endOffset: endOffset)
        let condition = try parser.parseConjunction()
        if let token = parser.peek { throw FormulaError("unexpected \(describe(token))", at: token.offset) }
        return condition
    }
}
