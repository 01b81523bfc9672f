/// Terms of a sequence (`FormulaSystem+Sequences`) and the extremes of a map over its grid
/// (`\min r`, `\max r`, the rescaling of the Hausdorff erosion loss).
extension Evaluator {
    /// The term of `reference`'s sequence at the order it gives, in `scope`.
    func term(_ reference: SymbolReference, order: TeXExpression, scope: Scope) throws -> Double {
        guard let definition = system.definitions[reference.stem] else {
            throw FormulaError("'\(reference.stem)' is not defined", at: reference.offset,
                               hint: "define it from its predecessor, f^{(k)} = … f^{(k-1)} …, and its first term, f^{(0)} = …")
        }
        if let point = reference.point, scope[point] == nil {
            throw FormulaError("\(reference.base) is read at \(point), which is not bound here", at: reference.offset,
                               hint: "inside \\sum_{\(point) \\in \\Omega}")
        }
        let value = try evaluate(order, scope: scope)
        guard let m = Int(exactly: value), m >= 0 else {
            throw FormulaError("\(reference.base): the order \(value) is not a whole number ≥ 0", at: reference.offset)
        }
        // Each term is read by the next at every position (and its neighbours'): kept per order
        // and per value of what it reads.
        return try memo.value(.init(label: "term " + definition.name, what: .number(Double(m))), in: scope) { scope in
            if let first = definition.firstTerms[m] { return try evaluate(first, scope: scope) }
            guard let index = definition.sequenceIndex, m > (definition.firstTerms.keys.min() ?? 0) else {
                throw FormulaError("\(reference.base) has no term \(m)", at: reference.offset,
                                   hint: "give its first term, e.g. \(reference.base) at 0 = …, and the step from k - 1 to k")
            }
            var inner = scope
            inner[index] = Double(m)
            return try evaluate(definition.body, scope: inner)
        }
    }

    /// `\min r`, `\max r` of a map: its extreme over the one grid index bound here (i).
    func gridExtreme(_ name: String, _ argument: TeXExpression, scope: Scope, offset: Int) throws -> Double {
        // Which grid is a fact of the place, not a value the result depends on: asked unlogged.
        let bound = grids.keys.sorted().filter { scope.unloggedBits($0) != nil && extents[$0] != nil }
        guard bound.count == 1, let axis = bound.first, let extent = extents[axis] else {
            throw FormulaError("\(name) of a map takes its extreme over the grid, but \(bound.isEmpty ? "no grid index is bound here" : "\(bound.joined(separator: ", ")) are all bound")",
                               at: offset, hint: "name the index: \(name)_{i \\in \\Omega}")
        }
        return try memo.value(.init(label: "\(name) over \(axis)", what: argument), in: scope) { scope in
            var inner = scope
            var result = name == #"\min"# ? Double.infinity : -Double.infinity
            for j in 1...max(extent, 1) {
                inner[axis] = Double(j)
                let x = try evaluate(argument, scope: inner)
                if x.isNaN { return .nan }
                result = name == #"\min"# ? min(result, x) : max(result, x)
            }
            return result
        }
    }
}
