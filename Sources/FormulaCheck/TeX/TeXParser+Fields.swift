/// Calls of the mask functions (`FieldFunction`): `\operatorname{edt}(m)`, `\operatorname{EDT}(M)`.
extension TeXParser {
    /// Reads `\operatorname{name}(argument)`, the `\operatorname` token at the current position.
    mutating func parseFieldCall(_ text: String, _ token: TeXToken) throws -> TeXExpression {
        position += 2
        guard let open = peek, open.isSymbol("(") else {
            throw FormulaError("'\\operatorname{\(text)}' needs its mask in parentheses, e.g. \\operatorname{\(text)}(m)", at: token.offset)
        }
        position += 1
        let argument = try parseComparison()
        try expectSymbol(")", opening: open)
        return .call(FieldFunction.names[text] ?? text, [argument], offset: token.offset)
    }
}

extension TeXParser {
    /// `\operatorname{mean}_{n,c} x`: the sum of x over the indices divided by the number of terms,
    /// read as Σ x / Σ 1 over the same indices.
    mutating func parseMean(_ token: TeXToken) throws -> TeXExpression {
        position += 1 // the `\operatorname` token; parseBigOperator skips the `{mean}` group as the operator's name
        guard case let .bigOperator(_, indices, lower, upper, condition, body, offset) = try parseBigOperator(.sum, token) else {
            throw FormulaError("'\\operatorname{mean}' needs its indices as a subscript, e.g. \\operatorname{mean}_{n,c}", at: token.offset)
        }
        let count = TeXExpression.bigOperator(.sum, indices: indices, lower: lower, upper: upper, condition: condition,
                                              body: .number(1), offset: offset)
        return .binary(.divide, .bigOperator(.sum, indices: indices, lower: lower, upper: upper, condition: condition,
                                             body: body, offset: offset), count, offset: offset)
    }
}
