/// Equations whose left side is an expression rather than a name: `\log\cosh d = |d| + …`.
///
/// Such an identity defines a name of its own, `=` followed by the equation's number, whose body
/// is the left side and whose alternative is the right side, so a binding that evaluates it
/// (the formula's main name when it defines nothing else) compares both sides with the loss.
extension FormulaSystem {
    static func isExpression(_ tokens: [TeXToken], names: Set<String>) -> Bool {
        var parser = TeXParser(tokens, names: names)
        return (try? parser.parseAll()) != nil
    }

    mutating func addIdentity(_ lhs: [TeXToken], _ rhs: [[TeXToken]], number: Int, formula: Int,
                              names: Set<String>, functions: Set<String>) throws {
        var left = TeXParser(lhs, names: names, functions: functions)
        let body = try left.parseAll()
        let sides = try rhs.filter { !$0.isEmpty }.map { side -> TeXExpression in
            var parser = TeXParser(side, names: names, functions: functions)
            return try parser.parseAll()
        }
        let name = "=\(number)"
        add(Definition(name: name, indexParameters: [], arguments: [], body: body, alternatives: sides,
                       offset: lhs.first?.offset ?? 0, formula: formula))
    }
}
