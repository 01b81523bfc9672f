extension Evaluator {
    /// `T_{prec,n}` beside a definition `T_{prec} = …` (a name whose subscript is part of it,
    /// `FormulaSystem`): that name read at the trailing index names, which must be bound here
    /// (dice-cldice's `\frac{1}{N}\sum_n` over the per-sample T_{prec} of clDice's formula).
    /// Nil when the reference is not of that form.
    func labelledIndex(_ reference: SymbolReference, scope: Scope) throws -> Double? {
        guard let text = reference.subscriptText else { return nil }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count >= 2 else { return nil }
        for k in stride(from: parts.count - 1, through: 1, by: -1) {
            var bare = reference
            bare.subscriptText = parts[..<k].joined(separator: ",")
            bare.subscripts = nil
            guard let definition = system.definitions[bare.fullName], definition.indexParameters.isEmpty,
                  definition.arguments.isEmpty else { continue }
            let indices = parts[k...]
            guard indices.allSatisfy({ extents[$0] != nil }) else { return nil }
            for index in indices where scope[index] == nil {
                throw FormulaError("\(reference.fullName): index \(index) is not bound here", at: reference.offset,
                                   hint: "sum over it (\\sum_\(index)) or reduce over it")
            }
            return try evaluate(.symbol(bare), scope: scope)
        }
        return nil
    }
}
