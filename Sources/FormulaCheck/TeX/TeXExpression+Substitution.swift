extension TeXExpression {
    /// The expression with each of its direct parts replaced by `transform`'s result.
    func mapChildren(_ transform: (TeXExpression) -> TeXExpression) -> TeXExpression {
        switch self {
        case .number, .symbol: return self
        case let .negate(a): return .negate(transform(a))
        case let .binary(op, a, b, offset): return .binary(op, transform(a), transform(b), offset: offset)
        case let .power(a, b): return .power(transform(a), transform(b))
        case let .comparison(r, a, b): return .comparison(r, transform(a), transform(b))
        case let .function(f, xs, offset): return .function(f, xs.map(transform), offset: offset)
        case let .call(name, xs, offset): return .call(name, xs.map(transform), offset: offset)
        case let .bigOperator(op, indices, lower, upper, condition, body, offset):
            return .bigOperator(op, indices: indices, lower: lower.map(transform), upper: upper.map(transform),
                                condition: condition.map(transform), body: transform(body), offset: offset)
        case let .norm(a, p, offset): return .norm(transform(a), p: p, offset: offset)
        case let .orderedPrefix(name, count, offset): return .orderedPrefix(name, count: transform(count), offset: offset)
        case let .setOperation(op, a, b, offset): return .setOperation(op, transform(a), transform(b), offset: offset)
        case let .cases(rows, offset):
            return .cases(rows.map { .init(value: transform($0.value), condition: $0.condition.map(transform)) }, offset: offset)
        }
    }

    /// The expression as parsed with every source offset set to 0: two spellings of one
    /// expression (`w \star (x y)` in a formula, `w \star (xy)` in a binding) compare equal.
    var withoutOffsets: TeXExpression {
        let inner = mapChildren { $0.withoutOffsets }
        switch inner {
        case var .symbol(reference):
            reference.offset = 0
            reference.subscripts = reference.subscripts?.map(\.withoutOffsets)
            reference.order = reference.order?.withoutOffsets
            return .symbol(reference)
        case let .binary(op, a, b, _): return .binary(op, a, b, offset: 0)
        case let .function(f, xs, _): return .function(f, xs, offset: 0)
        case let .call(name, xs, _): return .call(name, xs, offset: 0)
        case let .bigOperator(op, indices, lower, upper, condition, body, _):
            return .bigOperator(op, indices: indices, lower: lower, upper: upper, condition: condition, body: body, offset: 0)
        case let .norm(a, p, _): return .norm(a, p: p, offset: 0)
        case let .orderedPrefix(name, count, _): return .orderedPrefix(name, count: count, offset: 0)
        case let .setOperation(op, a, b, _): return .setOperation(op, a, b, offset: 0)
        case let .cases(rows, _): return .cases(rows, offset: 0)
        default: return inner
        }
    }

    /// The expression with every occurrence of `target` (compared without offsets) replaced by
    /// `replacement`, and how many were replaced.
    func replacing(_ target: TeXExpression, with replacement: TeXExpression) -> (TeXExpression, Int) {
        let key = target.withoutOffsets
        var count = 0
        func go(_ e: TeXExpression) -> TeXExpression {
            if e.withoutOffsets == key { count += 1; return replacement }
            return e.mapChildren(go)
        }
        let out = go(self)
        return (out, count)
    }
}
