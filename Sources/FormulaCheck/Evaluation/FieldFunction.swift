/// A function of a whole mask over the grid, such as the Euclidean distance transform
/// `\operatorname{edt}(m)` or the soft skeleton `\operatorname{skel}(p)`: its argument is evaluated at every position of the grid axis, the
/// function maps those values to one value per position, and the call's value is the one at the
/// position in scope (`\operatorname{edt}(\lnot g)` inside a sum over i is the transform at i).
///
/// `FormulaCheck` knows no distance transform: the loss under check provides its functions
/// (`CheckableLoss.fieldFunctions(on:)`), for the probe's grid shape.
public struct FieldFunction: Sendable {
    /// The index that runs over the grid (`i`): the argument is evaluated for each of its values.
    public var axis: String
    /// One value per grid position (row-major, as the axis numbers them) → one value per position.
    public var apply: @Sendable ([Double]) throws -> [Double]

    /// The number of grid positions.
    public var count: Int

    public init(axis: String, count: Int, apply: @escaping @Sendable ([Double]) throws -> [Double]) {
        self.axis = axis
        self.count = count
        self.apply = apply
    }

    /// The names a formula may call with `\operatorname{…}(m)`, and the function each stands for.
    public static let names: [String: String] = ["edt": edt, "EDT": edt, "skel": skel]
    /// The key of the Euclidean distance transform in `CheckableLoss.fieldFunctions(on:)`.
    public static let edt = #"\operatorname{edt}"#
    /// The key of clDice's soft skeleton (iterated soft erosions and openings of an image of
    /// values in [0, 1]) in `CheckableLoss.fieldFunctions(on:)`.
    public static let skel = #"\operatorname{skel}"#
}

extension Evaluator {
    /// The value at the scope's grid position of `function` applied to `argument` over the grid;
    /// `times` (`E^{k}(x)`, an operator bound under where: applied k times) applies it that many times.
    func evaluate(field name: String, _ argument: TeXExpression, times: TeXExpression? = nil, scope: Scope, offset: Int) throws -> Double {
        guard let function = fieldFunctions[name] else {
            throw FormulaError("'\(name)' has no implementation for this loss", at: offset,
                               hint: "the loss's fieldFunctions(on:) provides the mask functions (edt, skel)")
        }
        // The grid's index as the binding names it: the function's own (i), else the one index in
        // scope that runs over as many positions as the grid has (q in a note's \sum_{q \in \Omega}).
        // An index over several grids stacked (clDice's i over the classes' images, `p_i` bound
        // `over n,i`) runs over a multiple of them: the function maps each grid of the stack.
        // (Asked of the scope one by one, so that a kept evaluation logs what it looked for.)
        func stacks(_ axis: String) -> Bool {
            guard let extent = extents[axis], function.count > 0 else { return false }
            return extent > function.count && extent % function.count == 0
        }
        let others = extents.keys.sorted().filter { $0 != function.axis }
        let exact = ([function.axis] + others).first { scope[$0] != nil && extents[$0] == function.count }
        guard let axis = exact ?? ([function.axis] + others).first(where: { scope[$0] != nil && stacks($0) }),
              let point = scope[axis], let extent = extents[axis] else {
            throw FormulaError("\(name)(…) is a map over the grid (\(function.count) positions); use it where an index over "
                               + "the grid is bound (inside \\sum_{\(function.axis) \\in \\Omega})", at: offset)
        }
        // The whole map, kept for the values of what the argument reads besides the grid's index
        // (which it binds itself): computed once for every position it is read at.
        let what = times.map { TeXExpression.call(name, [argument, $0], offset: 0) } ?? argument
        let mapped = try memo.map(.init(label: "\(name) over \(axis)", what: what), in: scope) { scope in
            var inner = scope
            let values = try (1...max(extent, 1)).map { j -> Double in
                inner[axis] = Double(j)
                return try evaluate(argument, scope: inner)
            }
            let count = try times.map { try evaluate($0, scope: scope) } ?? 1
            guard let repeats = Int(exactly: count), repeats >= 0 else {
                throw FormulaError("\(name) is applied \(count) times, not a whole number ≥ 0 of times", at: offset)
            }
            return try stride(from: 0, to: values.count, by: function.count).flatMap { start in
                try (0..<repeats).reduce(Array(values[start..<min(start + function.count, values.count)])) { image, _ in
                    try function.apply(image)
                }
            }
        }
        let k = Int(point) - 1
        guard mapped.indices.contains(k) else {
            throw FormulaError("\(name) gave \(mapped.count) values for \(extent) positions", at: offset)
        }
        return mapped[k]
    }

    /// Whether `expression` calls a field function, directly or through a definition it names.
    func usesFields(_ expression: TeXExpression, depth: Int = 0) -> Bool {
        guard depth < 8 else { return false }
        var found = false
        Self.walk(expression) { e in
            guard !found else { return }
            switch e {
            case let .call(name, arguments, _):
                if fieldFunctions[name] != nil || correlations[name] != nil { found = true; return }
                if (name == #"\min"# || name == #"\max"#) && arguments.count == 1 { found = true; return }
                if let d = system.definition(named: name), usesFields(d.body, depth: depth + 1) { found = true }
            case let .symbol(reference):
                if let d = system.definitions[reference.fullName] ?? system.indexed[reference.stem] {
                    if usesFields(d.body, depth: depth + 1) { found = true }
                } else if reference.subscriptText != nil {
                    // `d_p` read through `d_m` (`subscriptArgument`).
                    found = system.definitions.values.contains {
                        $0.name.hasPrefix(reference.base + "_{") && $0.name.count == reference.base.count + 4
                            && usesFields($0.body, depth: depth + 1)
                    }
                }
            default: break
            }
        }
        return found
    }

    /// `body` with each symbol named by a key of `arguments` (written without subscript) replaced
    /// by its argument: a call by name, so a mask passed to a function stays a map over the grid.
    static func substitute(_ body: TeXExpression, _ arguments: [String: TeXExpression]) -> TeXExpression {
        body.mapSymbols { reference in
            reference.subscriptText == nil && reference.label == nil ? arguments[reference.base] : nil
        }
    }

    /// A name written with a mask as its subscript, `d_p` beside a definition `d_m = …(m)…` and a
    /// mask `m_p = …`: the definition with `m` replaced by `m_p` (the formulas' "d_m for a mask m,
    /// d_p its map for m_p"). Nil when the reference is not of that form.
    func subscriptArgument(_ reference: SymbolReference, scope: Scope) throws -> Double? {
        guard let label = reference.subscriptText, reference.label == nil else { return nil }
        for definition in system.definitions.values where definition.arguments.isEmpty {
            let head = definition.name
            guard head.hasPrefix(reference.base + "_{"), head.hasSuffix("}") else { continue }
            let parameter = String(head.dropFirst(reference.base.count + 2).dropLast())
            guard parameter.count == 1, parameter != label, system.definitions["\(parameter)_{\(label)}"] != nil else { continue }
            let argument = TeXExpression.symbol(SymbolReference(base: parameter, subscriptText: label,
                                                                subscripts: [.symbol(SymbolReference(base: label, offset: reference.offset))],
                                                                offset: reference.offset))
            return try memo.value(.init(label: "subscript argument", what: .symbol(reference)), in: scope) { inner in
                try evaluate(Self.substitute(definition.body, [parameter: argument]), scope: inner)
            }
        }
        return nil
    }

    static func walk(_ expression: TeXExpression, _ visit: (TeXExpression) -> Void) {
        visit(expression)
        switch expression {
        case .number, .symbol: break
        case let .negate(a): walk(a, visit)
        case let .binary(_, a, b, _), let .power(a, b), let .comparison(_, a, b): walk(a, visit); walk(b, visit)
        case let .function(_, xs, _), let .call(_, xs, _): xs.forEach { walk($0, visit) }
        case let .bigOperator(_, _, lower, upper, condition, body, _):
            [lower, upper, condition].compactMap { $0 }.forEach { walk($0, visit) }
            walk(body, visit)
        case let .norm(a, _, _), let .orderedPrefix(_, a, _): walk(a, visit)
        case let .setOperation(_, a, b, _): walk(a, visit); walk(b, visit)
        case let .cases(rows, _):
            for row in rows { walk(row.value, visit); row.condition.map { walk($0, visit) } }
        }
    }
}
