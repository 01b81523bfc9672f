import Foundation

/// Evaluates a `FormulaSystem` in `Double` with bound symbols.
///
/// Indices are 1-based, as in the notes (`\sum_{c=1}^{C}`, `[c = y_i]`). A sum without limits
/// (`\sum_i`, `\sum_{n,c}`) runs over the whole axis of that name. A reference fills its
/// axes from its subscript — positionally when it gives one subscript per axis (`p_{i,y_i}`),
/// else by name (`p_i` inside `\mathcal{L}_{n,c}` takes n and c from the scope): broadcasting
/// by index name, as in Einstein-style notation.
///
/// 0·∞ is 0 (the convention 0 log 0 = 0, so a one-hot target times log of a zero probability
/// contributes nothing, as in every cross-entropy implementation); any other NaN propagates.
public struct Evaluator: Sendable {
    public var system: FormulaSystem {
        didSet { memo = EvaluationMemo() }
    }
    /// By full name (`s_{nr}`, `\gamma`) for scalars, by stem (`p`) for arrays.
    public var values: [String: BoundValue] {
        didSet { memo = EvaluationMemo() }
    }
    /// Extent of each index name, from the bound arrays.
    public var extents: [String: Int] {
        didSet { memo = EvaluationMemo() }
    }
    /// Functions of a whole mask (`\operatorname{edt}`), by name: see `FieldFunction`.
    public var fieldFunctions: [String: FieldFunction] = [:] {
        didSet { memo = EvaluationMemo() }
    }
    /// The meaning of the correlation operators (`\star`, `*`) the binding gives: see `Correlation`.
    public var correlations: [String: Correlation] = [:] {
        didSet { memo = EvaluationMemo() }
    }
    /// The grid each grid index runs over (`i` over `[H, W]`), from the bound arrays' last axes
    /// and the output grids of valid correlations.
    public var grids: [String: [Int]] = [:] {
        didSet { memo = EvaluationMemo() }
    }
    /// What this evaluator has computed on its values and may reuse (`EvaluationMemo`).
    var memo = EvaluationMemo()

    public init(system: FormulaSystem, values: [String: BoundValue]) throws {
        self.system = system
        self.values = values
        var extents: [String: Int] = [:]
        for case let (name, .array(array)) in values {
            for (axis, extent) in zip(array.axes, array.extents) where extent > 1 || extents[axis] == nil {
                if let known = extents[axis], known > 1, known != extent {
                    throw FormulaError("index \(axis) has extent \(known) elsewhere but \(extent) in '\(name)'")
                }
                extents[axis] = extent
            }
        }
        self.extents = extents
        for case let (_, .array(array)) in values.sorted(by: { $0.key < $1.key }) {
            if let axis = array.axes.last, grids[axis] == nil || array.grid.count > 1 { grids[axis] = array.grid }
        }
    }

    /// The value of a defined name with its index parameters taken from `scope`.
    public func evaluate(definition name: String, scope: Scope = [:]) throws -> Double {
        guard let definition = system.definition(named: name) else {
            throw FormulaError("the formula defines no '\(name)'", hint: "defined: \(system.order.joined(separator: ", "))")
        }
        for parameter in definition.indexParameters where scope[parameter] == nil {
            throw FormulaError("'\(name)' is indexed by \(parameter), which is not bound here", at: definition.offset,
                               hint: "reduce over it (reduction: mean over \(definition.indexParameters.joined(separator: ",")))")
        }
        return try evaluate(definition.body, scope: scope)
    }

    public func evaluate(_ expression: TeXExpression, scope: Scope) throws -> Double {
        switch expression {
        case let .number(x):
            return x
        case let .symbol(reference):
            return try resolve(reference, scope: scope)
        case let .negate(inner):
            return -(try evaluate(inner, scope: scope))
        case let .binary(op, left, right, _):
            let a = try evaluate(left, scope: scope), b = try evaluate(right, scope: scope)
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return Self.multiply(a, b)
            case .divide: return a / b
            }
        case let .power(base, exponent):
            let power = try evaluate(exponent, scope: scope)
            if power == 2, case let .symbol(reference) = base, scope[reference.fullName] == nil,
               let radicand = system.definitions[reference.fullName]?.radicand {
                // `\sigma_x^2` of `\sigma_x^2 = …`: the right side as written (√ then ² of a
                // variance that rounds below 0 would be NaN).
                return try evaluate(radicand, scope: scope)
            }
            return pow(try evaluate(base, scope: scope), power)
        case let .comparison(relation, left, right) where isSet(left) || isSet(right):
            return try compareSets(relation, left, right, scope: scope)
        case let .comparison(relation, left, right):
            let a = try evaluate(left, scope: scope), b = try evaluate(right, scope: scope)
            let holds: Bool
            switch relation {
            case .less: holds = a < b
            case .lessOrEqual: holds = a <= b
            case .greater: holds = a > b
            case .greaterOrEqual: holds = a >= b
            case .equal: holds = a == b
            case .notEqual: holds = a != b
            }
            return holds ? 1 : 0
        case let .function(.abs, arguments, _) where arguments.count == 1 && isSet(arguments[0]):
            return try cardinality(arguments[0], scope: scope)
        case let .orderedPrefix(_, _, offset), let .setOperation(_, _, _, offset):
            throw FormulaError("a set has no value", at: offset, hint: "count its members with |…|, or pass it to a function of sets")
        case let .function(function, arguments, offset):
            let xs = try arguments.map { try evaluate($0, scope: scope) }
            return try Self.apply(function, xs, offset: offset)
        case let .bigOperator(op, indices, lower, upper, condition, body, offset):
            // Evaluated again wherever it stands (a whole mask's minimum in the condition of a map
            // read at every position): computed once for the values of what it reads.
            return try memo.value(.init(label: "big operator", what: expression), in: scope) { scope in
                try reduce(op, indices, lower: lower, upper: upper, condition: condition, body: body, scope: scope, offset: offset)
            }
        case let .norm(inner, p, offset):
            let free = freeAxes(of: inner, scope: scope)
            var total = 0.0, largest = 0.0
            try forEach(free, lower: nil, upper: nil, body: inner, scope: scope, offset: offset) { inner2 in
                let x = abs(try evaluate(inner, scope: inner2))
                total += pow(x, p)
                largest = max(largest, x)
            }
            return p.isInfinite ? largest : pow(total, 1 / p)
        case let .cases(rows, offset):
            for row in rows {
                if let condition = row.condition, try evaluate(condition, scope: scope) == 0 { continue }
                return try evaluate(row.value, scope: scope)
            }
            throw FormulaError("no case applies", at: offset, hint: "add an \\text{otherwise} row")
        case let .call(name, arguments, offset):
            if let correlation = correlations[name], arguments.count == 2 {
                return try evaluate(correlation: correlation, kernel: arguments[0], map: arguments[1], scope: scope, offset: offset)
            }
            if name == #"\min"# || name == #"\max"#, arguments.count == 1, system.definition(named: name) == nil {
                return try gridExtreme(name, arguments[0], scope: scope, offset: offset)
            }
            if name == #"\star"# || name == "*" {
                throw FormulaError("'\(name)' has no meaning here", at: offset,
                                   hint: "bind it under where:, e.g. \(name): valid correlation over j into i")
            }
            if let ordering = system.orderings[name], arguments.count == 1 {
                return try position(in: ordering, rank: arguments[0], scope: scope, offset: offset)
            }
            if system.definition(named: name) == nil, FieldFunction.names.values.contains(name) || fieldFunctions[name] != nil,
               arguments.count == 1 || arguments.count == 2 {
                // Two arguments: an operator's power, `E^{k}(x)` (`TeXParser.parseCallOrSymbol`).
                return try evaluate(field: name, arguments[0], times: arguments.count == 2 ? arguments[1] : nil, scope: scope, offset: offset)
            }
            if let value = try indexedApplication(name, arguments, scope: scope) { return value }
            guard let definition = system.definition(named: name) else { throw FormulaError("'\(name)' is not defined", at: offset) }
            guard definition.arguments.count == arguments.count else {
                throw FormulaError("'\(name)' takes \(definition.arguments.count) arguments, given \(arguments.count)", at: offset)
            }
            if !fieldFunctions.isEmpty || !correlations.isEmpty, memo.flag("fields " + definition.name, { usesFields(definition.body) }) {
                // A mask passed to a function of masks is passed by name: it stays a map over the grid.
                return try evaluate(Self.substitute(definition.body, Dictionary(uniqueKeysWithValues: zip(definition.arguments, arguments))),
                                    scope: scope)
            }
            var inner = scope
            var renames: [String: SymbolReference] = [:]
            var sets: [String: TeXExpression] = [:]
            for (parameter, argument) in zip(definition.arguments, arguments) {
                // A set is passed by name (`\Delta_J(\{\pi(1), \dots, \pi(k)\})`), and so is a vector
                // (`m(c)` of `m_i(c) = …`), with the indices its call fixes.
                if isSet(argument) { sets[parameter] = argument; continue }
                if let (vector, fixed) = try vectorArgument(argument, scope: scope) {
                    if vector.fullName != parameter { renames[parameter] = vector }
                    for (index, value) in fixed { inner[index] = value }
                    continue
                }
                // A function of vectors called with bound arrays (`\cos(a, b)` with a, b bound over
                // n, d): its body reads the arrays themselves (`Evaluator+ArrayArguments`).
                if scope[parameter] == nil, let array = arrayArgument(argument, scope: scope) {
                    if array.fullName != parameter { renames[parameter] = array }
                    continue
                }
                inner[parameter] = try evaluate(argument, scope: scope)
            }
            let body = sets.isEmpty ? definition.body : Self.substitute(definition.body, sets)
            return try evaluate(renames.isEmpty ? body : Self.renaming(body, renames), scope: inner)
        }
    }

    /// Where a scalar named like an array's stem is kept (`M` beside `M_c`): under its own name
    /// unless an array holds it.
    static func scalarKey(_ name: String, in values: [String: BoundValue]? = nil) -> String {
        guard let values else { return name + "\u{1}scalar" }
        if case .array? = values[name] { return scalarKey(name) }
        return name
    }

    static func multiply(_ a: Double, _ b: Double) -> Double {
        if (a == 0 && b.isInfinite) || (b == 0 && a.isInfinite) { return 0 }
        return a * b
    }

    static func apply(_ function: MathFunction, _ x: [Double], offset: Int) throws -> Double {
        if function == .clip {
            guard x.count == 3 else { throw FormulaError("clip takes three arguments (x, low, high), given \(x.count)", at: offset) }
            return min(max(x[0], x[1]), x[2])
        }
        guard function == .max || function == .min || x.count == 1 else {
            throw FormulaError("\(function.rawValue) takes one argument, given \(x.count)", at: offset)
        }
        switch function {
        case .log, .ln: return log(x[0])
        case .exp: return exp(x[0])
        case .sigmoid: return x[0] >= 0 ? 1 / (1 + exp(-x[0])) : exp(x[0]) / (1 + exp(x[0]))
        case .softplus: return max(x[0], 0) + log1p(exp(-abs(x[0])))
        case .log1p: return log1p(x[0])
        case .floor: return x[0].rounded(.down)
        case .ceil: return x[0].rounded(.up)
        case .max: return x.max()!
        case .min: return x.min()!
        case .abs: return abs(x[0])
        case .sqrt: return sqrt(x[0])
        case .tanh: return tanh(x[0])
        case .cosh: return cosh(x[0])
        case .sinh: return sinh(x[0])
        case .sign: return x[0] > 0 ? 1 : x[0] < 0 ? -1 : 0
        case .arctan: return atan(x[0])
        case .tan: return tan(x[0])
        case .sg: return x[0]
        case .clip: return x[0] // handled above
        }
    }

    // MARK: - Names

    private func resolve(_ reference: SymbolReference, scope: Scope) throws -> Double {
        if let order = reference.order { return try term(reference, order: order, scope: scope) }
        if let value = scope[reference.fullName] { return value }
        if let definition = system.definitions[reference.fullName], definition.indexParameters.isEmpty {
            guard memo.flag("worth keeping " + definition.name, { Self.worthKeeping(definition.body) }) else {
                return try evaluate(definition.body, scope: scope)
            }
            // Read again wherever it is used (at every element of a gradient): computed once for
            // the values of what it reads.
            return try memo.value(.init(label: "definition " + definition.name), in: scope) { inner in
                try evaluate(definition.body, scope: inner)
            }
        }
        if case let .scalar(x)? = values[reference.fullName] { return x }
        if case let .scalar(x)? = values[Self.scalarKey(reference.fullName)] { return x }
        // A set named bare (`\lvert K \rvert`) is counted, also where its index is bound outside
        // (TopK's gradient at element i, `1/\lvert K \rvert` for `i \in K`); membership is `K_i`.
        if let definition = system.indexed[reference.stem], definition.isSet, reference.subscriptText == nil {
            return try count(definition, scope: scope, offset: reference.offset)
        }
        if let definition = system.indexed[reference.stem] {
            let indices = try fill(definition.indexParameters, from: reference, scope: scope, what: "'\(definition.name)'")
            var inner = scope
            for (parameter, index) in zip(definition.indexParameters, indices) { inner[parameter] = Double(index) }
            return try evaluate(definition.body, scope: inner)
        }
        if reference.subscriptText != nil, case let .array(array)? = values[reference.fullName] {
            // Bound under its full name (the subscript names it): every index from the scope.
            var bare = reference
            bare.subscriptText = nil
            bare.subscripts = nil
            let indices = try fill(array.axes, from: bare, scope: scope, what: "'\(reference.fullName)'")
            guard let value = array.element(indices) else {
                throw FormulaError("\(reference.fullName): index \(indices) is outside \(array.extents)", at: reference.offset)
            }
            return value
        }
        if case let .array(array)? = values[reference.stem] {
            let indices = try fill(array.axes, from: reference, scope: scope, what: "'\(reference.stem)'")
            guard let value = array.element(indices) else {
                throw FormulaError("\(reference.fullName): index \(indices) is outside \(array.extents) (indices count from 1)",
                                   at: reference.offset)
            }
            return value
        }
        if case let .scalar(x)? = values[reference.stem], reference.subscriptText != nil { return x }
        if reference.subscriptText == nil && reference.label == nil {
            if reference.base == "e" { return M_E }
            if reference.base == "\\pi" { return Double.pi }
        }
        if let ordering = system.orderings[reference.stem], let rank = reference.subscripts, rank.count == 1 {
            return try position(in: ordering, rank: rank[0], scope: scope, offset: reference.offset)
        }
        if let value = try subscriptArgument(reference, scope: scope) { return value }
        if let value = try letterTerm(reference, scope: scope) { return value }
        if let value = try labelledIndex(reference, scope: scope) { return value }
        throw FormulaError("'\(reference.fullName)' is not bound", at: reference.offset,
                           hint: "bind it under where:, e.g. \(reference.fullName): probability, a parameter name, or a number")
    }

    /// Whether a definition's value costs more than looking it up: it sums, takes a norm or
    /// calls a function (the memo's bookkeeping would cost more than `[p > \tfrac{1}{2}]`).
    static func worthKeeping(_ body: TeXExpression) -> Bool {
        var found = false
        walk(body) { e in
            switch e {
            case .bigOperator, .norm, .call: found = true
            default: break
            }
        }
        return found
    }

    /// The 1-based index for each axis: positional when the subscript gives one per axis,
    /// else by index name, missing ones from the scope.
    private func fill(_ axes: [String], from reference: SymbolReference, scope: Scope, what: String) throws -> [Int] {
        let subscripts = reference.subscriptText == nil ? [] : (reference.subscripts ?? [])
        if reference.subscriptText != nil && reference.subscripts == nil {
            throw FormulaError("cannot read the subscript of \(reference.fullName) as indices", at: reference.offset)
        }
        var named: [String: Double] = [:]
        if let placed = Self.namedPlacement(subscripts, among: axes, bound: { scope[$0] != nil }) {
            // `x_{t, l'_s}` over (t, n, c) with n bound here: t fills t, l'_s the axis left (c).
            for (axis, expression) in zip(placed, subscripts) { named[axis] = try evaluate(expression, scope: scope) }
            return try axes.map { axis in
                guard let value = named[axis] ?? scope[axis], value == value.rounded(), abs(value) < 1e9 else {
                    throw FormulaError("\(reference.fullName): index \(axis) of \(what) is not a whole number bound here", at: reference.offset)
                }
                return Int(value)
            }
        }
        // Fewer subscripts than axes, the leading axes bound here: they come from the scope, the
        // subscripts fill the rest in order (`q_k` inside a per-position formula over i: q_{i,k}).
        let leading = axes.count - subscripts.count
        let positional = subscripts.count == axes.count
            || (leading > 0 && !subscripts.isEmpty && axes.prefix(leading).allSatisfy { scope[$0] != nil }
                && !subscripts.allSatisfy { if case let .symbol(s) = $0 { return axes.contains(s.fullName) } else { return false } })
        // Or the trailing axes bound here and the subscripts fill the leading ones (`x_1` inside a
        // per-pair formula over i: x_{1,i}, the first of a stacked pair).
        let trailingFromScope = !positional && leading > 0 && !subscripts.isEmpty
            && axes.suffix(leading).allSatisfy { scope[$0] != nil }
            && !subscripts.contains { if case let .symbol(s) = $0 { return axes.contains(s.fullName) } else { return false } }
        if positional {
            for (axis, expression) in zip(Self.subscriptPlacement(subscripts, among: axes), subscripts) {
                named[axis] = try evaluate(expression, scope: scope)
            }
        } else if trailingFromScope {
            for (axis, expression) in zip(axes.prefix(subscripts.count), subscripts) { named[axis] = try evaluate(expression, scope: scope) }
        } else {
            for expression in subscripts {
                guard case let .symbol(index) = expression, axes.contains(index.fullName) else {
                    throw FormulaError("\(reference.fullName): \(what) has indices \(axes.joined(separator: ",")); give all of them, "
                                       + "or only index names", at: reference.offset)
                }
                named[index.fullName] = try evaluate(expression, scope: scope)
            }
        }
        return try axes.map { axis in
            guard let value = named[axis] ?? scope[axis] else {
                throw FormulaError("\(reference.fullName): index \(axis) of \(what) is not bound here", at: reference.offset,
                                   hint: "sum over it, give it in the subscript, or reduce over it")
            }
            guard value == value.rounded(), abs(value) < 1e9 else {
                throw FormulaError("\(reference.fullName): index \(axis) = \(value) is not a whole number", at: reference.offset)
            }
            return Int(value)
        }
    }

    // MARK: - Index ranges

    /// `\sum`, `\prod`, `\max`, `\min` over `indices` of `body` where `condition` holds.
    private func reduce(_ op: TeXExpression.BigOperator, _ indices: [String], lower: TeXExpression?, upper: TeXExpression?,
                        condition: TeXExpression?, body: TeXExpression, scope: Scope, offset: Int) throws -> Double {
        var result: Double
        switch op {
        case .sum: result = 0
        case .product: result = 1
        case .maximum: result = -.infinity
        case .minimum: result = .infinity
        }
        try forEach(indices, lower: lower, upper: upper, body: body, scope: scope, offset: offset) { inner in
            if let condition, try evaluate(condition, scope: inner) == 0 { return }
            let term = try evaluate(body, scope: inner)
            switch op {
            case .sum: result += term
            case .product: result = Self.multiply(result, term)
            case .maximum: result = max(result, term)
            case .minimum: result = min(result, term)
            }
        }
        return result
    }

    private func forEach(_ indices: [String], lower: TeXExpression?, upper: TeXExpression?, body: TeXExpression,
                         scope: Scope, offset: Int, _ visit: (Scope) throws -> Void) throws {
        var ranges: [(String, ClosedRange<Int>)] = []
        for index in indices {
            let from = try lower.map { try Int(exactly: evaluate($0, scope: scope)) ?? 1 } ?? 1
            let to: Int
            if let upper {
                let value = try evaluate(upper, scope: scope)
                guard let whole = Int(exactly: value) else {
                    throw FormulaError("the upper limit of \(index) is \(value), not a whole number", at: offset)
                }
                to = whole
            } else if let extent = extent(of: index, in: body) {
                to = extent
            } else {
                throw FormulaError("cannot tell the range of \(index)", at: offset,
                                   hint: "bind an array with an axis named \(index), or write limits _{\(index)=1}^{n}")
            }
            if to < from { return }
            ranges.append((index, from...to))
        }
        func loop(_ k: Int, _ scope: Scope) throws {
            guard k < ranges.count else { return try visit(scope) }
            var inner = scope
            for value in ranges[k].1 {
                inner[ranges[k].0] = Double(value)
                try loop(k + 1, inner)
            }
        }
        try loop(0, scope)
    }

    /// The axis an index runs over: the bound axis of that name, or the axis it fills in a
    /// reference inside `body` (`\sum_k e^{x_{i,k}}` runs over x's second axis).
    func extent(of index: String, in body: TeXExpression) -> Int? {
        if let extent = extents[index] { return extent }
        var found: Int?
        visitReferences(body) { reference in
            guard found == nil, case let .array(array)? = values[reference.stem],
                  let subscripts = reference.subscripts, subscripts.count == array.axes.count else { return }
            for (position, expression) in subscripts.enumerated() {
                if case let .symbol(s) = expression, s.fullName == index { found = array.extents[position] }
            }
        }
        return found
    }

    /// Axes of the arrays referenced in `expression` that the scope leaves free (for norms).
    func freeAxes(of expression: TeXExpression, scope: Scope) -> [String] {
        var axes: [String] = []
        visitReferences(expression) { reference in
            guard case let .array(array)? = values[reference.stem] else { return }
            for axis in array.axes where scope[axis] == nil && !axes.contains(axis) { axes.append(axis) }
        }
        return axes
    }

    private func visitReferences(_ expression: TeXExpression, _ visit: (SymbolReference) -> Void) {
        func walk(_ e: TeXExpression) {
            switch e {
            case .number: break
            case let .symbol(reference):
                visit(reference)
                reference.subscripts?.forEach(walk)
            case let .negate(a): walk(a)
            case let .binary(_, a, b, _), let .power(a, b), let .comparison(_, a, b): walk(a); walk(b)
            case let .function(_, xs, _), let .call(_, xs, _): xs.forEach(walk)
            case let .bigOperator(_, _, lower, upper, condition, body, _):
                [lower, upper, condition].compactMap { $0 }.forEach(walk)
                walk(body)
            case let .norm(a, _, _), let .orderedPrefix(_, a, _): walk(a)
            case let .setOperation(_, a, b, _): walk(a); walk(b)
            case let .cases(rows, _):
                for row in rows { walk(row.value); row.condition.map(walk) }
            }
        }
        walk(expression)
    }
}
