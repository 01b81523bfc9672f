/// `\lfloor x \rfloor` and `\lceil x \rceil` (a top-K count, `\max(1, \lfloor M k / 100 \rfloor)`).
extension TeXParser {
    mutating func parseRounding(_ name: String, _ token: TeXToken) throws -> TeXExpression {
        let close = name == "lfloor" ? "rfloor" : "rceil"
        position += 1
        let inner = try parseAdditive()
        guard let end = peek, end.command == close else {
            throw FormulaError("'\\\(name)' is not closed by '\\\(close)'", at: token.offset)
        }
        position += 1
        return .function(name == "lfloor" ? .floor : .ceil, [inner], offset: token.offset)
    }
}
