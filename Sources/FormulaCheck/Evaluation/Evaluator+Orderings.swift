/// Orderings, the sets made of them and vectors passed by name (`FormulaSystem+Orderings`,
/// `TeXParser+OrderedSets`): what the Lovász extension needs.
///
/// A set is evaluated as its members over one axis: a set defined by a condition
/// (`G = \{ i : g_i = 1 \}`, its subscripts as parameters: `G_c`), the first k of an ordering, or
/// a set operation of two sets over the same axis. `|A|` counts the members; a set has no value.
extension Evaluator {
    /// The position (1-based) of the element at `rank` in `ordering`, for `\pi(k)` and `\pi_k`.
    func position(in ordering: FormulaSystem.Ordering, rank: TeXExpression, scope: Scope, offset: Int) throws -> Double {
        let k = try evaluate(rank, scope: scope)
        let order = try sorted(ordering, scope: scope)
        guard k == k.rounded(), k >= 1, Int(k) <= order.count else {
            throw FormulaError("\(ordering.name)(\(k)) is outside 1…\(order.count)", at: offset)
        }
        return Double(order[Int(k) - 1])
    }

    /// The rank (1-based) at which `ordering` puts the element at `position` of its axis, `axis`:
    /// the inverse of `\pi`, for a gradient element written `\pi_i` (`GradientBinding.Element`).
    func rank(of position: Int, in ordering: FormulaSystem.Ordering, axis: String, scope: Scope) throws -> Double {
        let sortedAxis = try orderingAxis(ordering)
        guard sortedAxis == axis else {
            throw FormulaError("\(ordering.name) sorts over \(sortedAxis), not over \(axis)", at: ordering.offset)
        }
        guard let rank = try sorted(ordering, scope: scope).firstIndex(of: position) else {
            throw FormulaError("position \(position) is outside \(ordering.name)'s axis \(axis)", at: ordering.offset)
        }
        return Double(rank + 1)
    }

    /// The positions of the ordering's axis in its order: a stable sort of the key's values.
    func sorted(_ ordering: FormulaSystem.Ordering, scope: Scope) throws -> [Int] {
        let axis = try orderingAxis(ordering)
        guard let extent = extents[axis] else {
            throw FormulaError("cannot sort \(ordering.key.stem): no bound array has an axis \(axis)", at: ordering.offset)
        }
        // Read at every rank (`m_{\pi_i}` inside a sum over i): sorted once for the values of what the key reads.
        return try memo.map(.init(label: "ordering \(ordering.name)"), in: scope) { scope in
            var inner = scope
            let keys = try (1...max(extent, 1)).map { j -> Double in
                inner[axis] = Double(j)
                return try evaluate(.symbol(ordering.key), scope: inner)
            }
            return keys.indices.sorted { a, b in
                if keys[a] != keys[b] { return ordering.descending ? keys[a] > keys[b] : keys[a] < keys[b] }
                return a < b
            }.map { Double($0 + 1) }
        }.map { Int($0) }
    }

    /// The axis an ordering sorts over: the last index of what it sorts.
    private func orderingAxis(_ ordering: FormulaSystem.Ordering) throws -> String {
        if let definition = system.indexed[ordering.key.stem], let axis = definition.indexParameters.last { return axis }
        if case let .array(array)? = values[ordering.key.stem], let axis = array.axes.last { return axis }
        throw FormulaError("\(ordering.name) sorts \(ordering.key.stem), which is neither bound to an array nor defined with an index",
                           at: ordering.offset, hint: "define it over the axis it sorts, e.g. m_i = …")
    }

    /// Whether `expression` is a set (`|…|` of it counts its members).
    func isSet(_ expression: TeXExpression) -> Bool {
        switch expression {
        case .orderedPrefix, .setOperation: return true
        case _ where Self.isEmptySet(expression): return true
        case let .symbol(reference):
            // A set's name without its element indices: `G`, `G_c` for `G_c = \{ i : … \}`, `K` for
            // `K = \{ (n,i) : … \}` (`K_i` is the membership of (n, i), n from the scope).
            guard let definition = system.indexed[reference.stem], definition.isSet else { return false }
            return (reference.subscripts?.count ?? 0) <= definition.indexParameters.count - definition.setIndices
        default: return false
        }
    }

    /// `A = B`, `A \ne B` between sets (`\emptyset` the empty one): 1 or 0.
    func compareSets(_ relation: TeXExpression.Relation, _ a: TeXExpression, _ b: TeXExpression, scope: Scope) throws -> Double {
        guard relation == .equal || relation == .notEqual else {
            throw FormulaError("sets are compared with = or \\ne only", hint: "compare their sizes, |A| < |B|")
        }
        func flags(_ set: TeXExpression) throws -> [Bool]? { Self.isEmptySet(set) ? nil : try members(set, scope: scope).flags }
        let (x, y) = (try flags(a), try flags(b))
        let equal = (x ?? y?.map { _ in false } ?? []) == (y ?? x?.map { _ in false } ?? [])
        return equal == (relation == .equal) ? 1 : 0
    }

    static func isEmptySet(_ expression: TeXExpression) -> Bool {
        if case let .symbol(reference) = expression { return reference.fullName == #"\emptyset"# || reference.fullName == #"\varnothing"# }
        return false
    }

    /// How many members the set has; a set of pairs counts its pairs (`count`).
    func cardinality(_ set: TeXExpression, scope: Scope) throws -> Double {
        if case let .symbol(reference) = set, let definition = system.indexed[reference.stem], definition.isSet, definition.setIndices > 1 {
            var inner = scope
            for (parameter, expression) in zip(definition.indexParameters, reference.subscripts ?? []) {
                inner[parameter] = try evaluate(expression, scope: scope)
            }
            return try count(definition, scope: inner, offset: reference.offset)
        }
        return Double(try members(set, scope: scope).flags.filter { $0 }.count)
    }

    /// The set's members as flags over its axis.
    func members(_ set: TeXExpression, scope: Scope) throws -> (axis: String, flags: [Bool]) {
        switch set {
        case _ where Self.isEmptySet(set):
            throw FormulaError("∅ has no axis to count over here", hint: "compare with it, S = \\emptyset, or write 0 for |∅|")
        case let .orderedPrefix(name, count, offset):
            guard let ordering = system.orderings[name] else {
                throw FormulaError("'\(name)' is not an ordering", at: offset,
                                   hint: #"state it beside the formula: m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#)
            }
            let k = try evaluate(count, scope: scope)
            let order = try sorted(ordering, scope: scope)
            var flags = [Bool](repeating: false, count: order.count)
            for position in order.prefix(max(0, Int(k))) { flags[position - 1] = true }
            return (try orderingAxis(ordering), flags)
        case let .setOperation(op, a, b, offset):
            let (left, right) = (try members(a, scope: scope), try members(b, scope: scope))
            guard left.axis == right.axis, left.flags.count == right.flags.count else {
                throw FormulaError("\(op.rawValue) of a set over \(left.axis) and one over \(right.axis)", at: offset)
            }
            return (left.axis, zip(left.flags, right.flags).map { x, y in
                switch op {
                case .difference: return x && !y
                case .union: return x || y
                case .intersection: return x && y
                }
            })
        case let .symbol(reference):
            guard let definition = system.indexed[reference.stem], definition.isSet, let axis = definition.indexParameters.last,
                  let extent = extents[axis] else {
                throw FormulaError("'\(reference.fullName)' is not a set", at: reference.offset,
                                   hint: #"define it by a condition, e.g. G: = \{ i : g_i = 1 \}"#)
            }
            var inner = scope
            let parameters = definition.indexParameters.dropLast()
            let given = reference.subscripts ?? []
            if !given.isEmpty {
                guard given.count == parameters.count else {
                    throw FormulaError("'\(reference.fullName)' gives \(given.count) subscripts for \(parameters.count) parameters",
                                       at: reference.offset)
                }
                for (parameter, expression) in zip(parameters, given) { inner[parameter] = try evaluate(expression, scope: scope) }
            }
            let flags = try (1...max(extent, 1)).map { j -> Bool in
                inner[axis] = Double(j)
                return try evaluate(definition.body, scope: inner) != 0
            }
            return (axis, flags)
        default:
            throw FormulaError("not a set", hint: #"a set is defined by a condition, \{ i : … \}, or an ordering's start, \{\pi(1), \dots, \pi(k)\}"#)
        }
    }

    /// `m_j(c)` of a definition `m_i(c) = …` (m indexed by c and i): the element at index j and
    /// argument c, both evaluated here. Nil when `name` is no such indexed name.
    func indexedApplication(_ name: String, _ arguments: [TeXExpression], scope: Scope) throws -> Double? {
        guard system.definitions[name] == nil, let tokens = try? TeXLexer().tokens(name) else { return nil }
        var parser = TeXParser(tokens)
        guard let reference = try? parser.parseSymbol(), parser.remaining.isEmpty, let subscripts = reference.subscripts,
              let definition = system.indexed[reference.stem], !definition.isSet, definition.arguments.isEmpty,
              definition.indexParameters.count == arguments.count + subscripts.count else { return nil }
        var inner = scope
        // The arguments first: `m_i(c) = …` is read as m indexed by c, then i (`FormulaSystem+Orderings`).
        for (parameter, expression) in zip(definition.indexParameters, arguments + subscripts) {
            inner[parameter] = try evaluate(expression, scope: scope)
        }
        // A recursion's first term (`\alpha_0(s) = …` beside `\alpha_t(s) = … \alpha_{t-1}(s) …`): the
        // function defined at that subscript's value, with the arguments as its own.
        if subscripts.count == 1, let at = inner[definition.indexParameters[arguments.count]], let m = Int(exactly: at),
           let first = system.definitions["\(reference.base)_{\(m)}"], first.arguments.count == arguments.count {
            var own = scope
            for (parameter, expression) in zip(first.arguments, arguments) { own[parameter] = try evaluate(expression, scope: scope) }
            return try evaluate(first.body, scope: own)
        }
        return try evaluate(definition.body, scope: inner)
    }

    /// A vector passed by name to a function (`\overline{\Delta}(m(c))` for `m_i(c) = …`, or `m`
    /// itself): the name it is read under and the index values the call fixes; nil for a value.
    func vectorArgument(_ argument: TeXExpression, scope: Scope) throws -> (SymbolReference, [String: Double])? {
        switch argument {
        case let .call(name, arguments, offset):
            guard system.definitions[name] == nil, let definition = system.indexed[name],
                  arguments.count < definition.indexParameters.count else { return nil }
            var fixed: [String: Double] = [:]
            for (parameter, expression) in zip(definition.indexParameters, arguments) {
                fixed[parameter] = try evaluate(expression, scope: scope)
            }
            return (SymbolReference(base: name, offset: offset), fixed)
        case let .symbol(reference):
            guard reference.subscriptText == nil, scope[reference.fullName] == nil, system.definitions[reference.fullName] == nil,
                  let definition = system.indexed[reference.stem], !definition.isSet else { return nil }
            return (reference, [:])
        default:
            return nil
        }
    }
}
