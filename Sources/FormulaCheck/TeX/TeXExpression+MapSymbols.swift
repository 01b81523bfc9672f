extension TeXExpression {
    /// The expression with each symbol for which `transform` gives a replacement replaced by it
    /// (every other node kept, its parts transformed in turn).
    func mapSymbols(_ transform: (SymbolReference) -> TeXExpression?) -> TeXExpression {
        func go(_ e: TeXExpression) -> TeXExpression {
            switch e {
            case .number: return e
            case let .symbol(reference): return transform(reference) ?? e
            case let .negate(a): return .negate(go(a))
            case let .binary(op, a, b, offset): return .binary(op, go(a), go(b), offset: offset)
            case let .power(a, b): return .power(go(a), go(b))
            case let .comparison(r, a, b): return .comparison(r, go(a), go(b))
            case let .function(f, xs, offset): return .function(f, xs.map(go), offset: offset)
            case let .call(name, xs, offset): return .call(name, xs.map(go), offset: offset)
            case let .bigOperator(op, indices, lower, upper, condition, body, offset):
                return .bigOperator(op, indices: indices, lower: lower.map(go), upper: upper.map(go),
                                    condition: condition.map(go), body: go(body), offset: offset)
            case let .norm(a, p, offset): return .norm(go(a), p: p, offset: offset)
            case let .orderedPrefix(name, count, offset): return .orderedPrefix(name, count: go(count), offset: offset)
            case let .setOperation(op, a, b, offset): return .setOperation(op, go(a), go(b), offset: offset)
            case let .cases(rows, offset):
                return .cases(rows.map { .init(value: go($0.value), condition: $0.condition.map(go)) }, offset: offset)
            }
        }
        return go(self)
    }
}
