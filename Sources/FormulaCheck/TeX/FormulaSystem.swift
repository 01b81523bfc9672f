/// The equations of one or more TeX formulas, as definitions by name.
///
/// A formula may state several equations, separated at the top level by `\qquad`, `\quad` or
/// `,` (`\mathcal{L}_{n,c} = …, \qquad \mathcal{L} = \frac{1}{NC}\sum_{n,c}\mathcal{L}_{n,c}`).
/// Each `lhs = rhs` defines its left side:
/// - `\mathcal{L}_{n,c}`, `\ell_i`: a name indexed by axes (subscripts that are axis names);
/// - `s_{nr}`, `p_t`, `L_{\text{mean}}`: a name whose subscript is part of it;
/// - `\ell(x, y)`, `\mathrm{BCE}(x, g)`: a function of its arguments (without arguments, the
///   symbols take their bound values).
/// A chain `a = b = c` defines `a` by `b`; `c` is kept as an alternative that must agree, and so
/// is every side of a second equation for the same name.
/// A left side may be led by a label, `\text{jaccard: } \mathcal{L}_{n,c} = …` (`FormulaSystem+Labels`),
/// or carry one as a superscript, `L_{TopK}^{t} = …` (`FormulaSystem+SuperscriptLabels`).
/// Pieces without `=` (remarks such as `\text{(paper)}`) are skipped, and so are identities that
/// define nothing the check needs: a left side that is a derivative (`\partial^2 \ell/\partial x^2`,
/// beside the gradient a `GradientChecker` reads) or starts with a built-in function (`\cosh r = …`).
public struct FormulaSystem: Sendable {
    public struct Definition: Sendable {
        public var name: String
        public var indexParameters: [String]
        public var arguments: [String]
        public var body: TeXExpression
        public var alternatives: [TeXExpression]
        /// Offset of the left side in its formula, and which formula (0-based).
        public var offset: Int
        public var formula: Int
        /// A set written `\{ i : condition \}`: its body is the condition (1 or 0) over its index;
        /// its name alone (`|\mathcal{H}|`) counts its members.
        public var isSet = false
        /// How many of a set's index parameters are its own (1; 2 for a set of pairs `(n,i)`), the
        /// rest being the parameters its subscript names.
        public var setIndices = 1
        /// For `\sigma_x^2 = …` (the body is its square root): the right side, which `\sigma_x^2` reads.
        public var radicand: TeXExpression?
        /// A sequence (`f^{(k)} = … f^{(k-1)} …`): the index its body reads as the term's order,
        /// and its first terms by order (`f^{(0)} = …`); see `FormulaSystem+Sequences`.
        public var sequenceIndex: String?
        public var firstTerms: [Int: TeXExpression] = [:]
    }

    /// Names without indices (`\mathcal{L}`, `s_{nr}`, `\ell(x, y)`), by full name.
    public private(set) var definitions: [String: Definition] = [:]
    /// Names indexed by axes (`\mathcal{L}_{n,c}`), by stem: `\mathcal{L}` may be both.
    public private(set) var indexed: [String: Definition] = [:]
    /// Orderings stated beside a formula (`m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots`), by the
    /// permutation's name (`\pi`).
    public private(set) var orderings: [String: Ordering] = [:]
    /// Definition names in the order the equations are written.
    public private(set) var order: [String] = []

    /// - Parameters:
    ///   - formulas: TeX strings, read together (later ones may define what earlier ones use).
    ///   - axes: index names (`i`, `n`, `c`): a left side's subscript made of them is an index.
    ///   - names: multi-letter names the bindings use (`TP`), besides those defined here.
    ///   - indexSuperscripts: symbols whose superscript is an index (`s_i^c`, see `TeXLexer`).
    ///   - given: full names whose values the binding gives (another loss's value): an equation
    ///     defining one of them is not read (`\mathcal{L}_{\text{HD-DT}} = …` over distance maps).
    ///   - givenIn: the formulas (0-based) where `given` drops equations; nil: all of them (a
    ///     binding's own `= …` definition, read last, can so replace a formula's).
    ///   - operators: names the binding gives as maps of a whole grid (`E`, `\Delta`: `E(x)`,
    ///     `E^{k}(x)` are calls, see `FieldFunction`).
    public init(formulas: [String], macros: [String: String] = [:], axes: Set<String> = [], names: Set<String> = [],
                indexSuperscripts: Set<String> = [], given: Set<String> = [], givenIn: Set<Int>? = nil,
                operators: Set<String> = []) throws {
        let lexer = TeXLexer(macros: macros, indexSuperscripts: indexSuperscripts)
        var equations: [(lhs: [TeXToken], rhs: [[TeXToken]], formula: Int, squared: Bool)] = []
        for (index, formula) in formulas.enumerated() {
            let tokens = try lexer.tokens(formula)
            let pieces = TeXParser.split(tokens) { token in
                token.command == "qquad" || token.command == "quad" || token.isSymbol(",")
            }
            for piece in pieces {
                let sides = TeXParser.split(piece) { $0.isSymbol("=") }
                if sides.count == 1, let ordering = try Self.ordering(piece, formula: index) {
                    orderings[ordering.name] = ordering
                    continue
                }
                // A derivative's statement (`\partial^2 \ell / \partial x^2 = …`) is a remark here:
                // gradient formulas are read by `GradientChecker`.
                guard sides.count >= 2, !sides[0].isEmpty, !sides[0].contains(where: Self.mentionsPartial) else { continue }
                // `0\log 0 := 0`: a convention stated beside the formula, not a definition.
                if sides[0].last?.isSymbol(":") == true { continue }
                if !given.isEmpty, givenIn?.contains(index) ?? true, Self.defines(sides[0], oneOf: given) { continue }
                let (unsquared, squared) = Self.square(Self.unlabelled(sides[0]))
                let lhs = squared ? unsquared : Self.withoutSuperscriptLabel(unsquared, axes: axes)
                equations.append((lhs, Array(sides[1...]), index, squared))
            }
        }
        // First pass: names and functions, so right sides can use them in any order.
        var multiLetter = names
        var functions = Set(orderings.keys).union(operators)
        var heads: [(SymbolReference, [String], Bool)?] = []
        for equation in equations {
            let reference: SymbolReference, arguments: [String], isCall: Bool
            do {
                (reference, arguments, isCall) = try Self.leftSide(equation.lhs, names: multiLetter)
            } catch {
                // An identity (`\log\cosh d = …`): read below, or the left side's error.
                guard Self.isExpression(equation.lhs, names: multiLetter) else { throw error }
                heads.append(nil)
                continue
            }
            heads.append((reference, arguments, isCall))
            if reference.base.count > 1, reference.base.allSatisfy(\.isLetter) { multiLetter.insert(reference.base) }
            if isCall { functions.insert(reference.fullName) }
            if isCall, Self.isIndexedFunction(reference, arguments, axes: axes) { functions.insert(reference.stem) }
        }
        for (k, (equation, head)) in zip(equations, heads).enumerated() {
            guard var (reference, arguments, isCall) = head else {
                try addIdentity(equation.lhs, equation.rhs, number: k, formula: equation.formula, names: multiLetter, functions: functions)
                continue
            }
            if let set = try Self.setBuilder(equation.rhs.first ?? [], name: reference, formula: equation.formula,
                                             names: multiLetter, functions: functions) {
                if indexed[set.name] == nil { order.append(set.name) }
                indexed[set.name] = set
                continue
            }
            // Re-read the left side now that every multi-letter name is known.
            if !isCall { (reference, arguments, isCall) = try Self.leftSide(equation.lhs, names: multiLetter) }
            if let termOrder = reference.order {
                try addTerm(reference, order: termOrder, sides: equation.rhs, formula: equation.formula, names: multiLetter, functions: functions)
                continue
            }
            var parts = (reference.subscriptText ?? "").split(separator: ",").map(String.init)
            // `m_i(c)`: the vector m_{·}(c), read as m indexed by c and i (`FormulaSystem+Orderings`).
            let indexedFunction = isCall && Self.isIndexedFunction(reference, arguments, axes: axes)
            if indexedFunction { (parts, arguments, isCall) = (arguments + parts, [], false) }
            let isIndexed = !isCall && !parts.isEmpty && parts.allSatisfy(axes.contains)
            let name = isIndexed ? reference.stem : reference.fullName
            var sides: [TeXExpression] = []
            for rhs in equation.rhs where !rhs.isEmpty {
                var parser = TeXParser(rhs, names: multiLetter, functions: functions)
                let side = try parser.parseAll()
                sides.append(equation.squared ? .function(.sqrt, [side], offset: reference.offset) : side)
            }
            guard let body = sides.first else { continue }
            // A name defined again (`\ell(z, q) = …, \qquad \ell(z, y) = …`, one loss in two
            // notations): every side of both must agree, none replaces the other.
            if var first = isIndexed ? indexed[name] : definitions[name] {
                first.alternatives += sides
                if isIndexed { indexed[name] = first } else { definitions[name] = first }
                continue
            }
            if definitions[name] == nil && indexed[name] == nil { order.append(isIndexed ? "\(name)_{\(parts.joined(separator: ","))}" : name) }
            var definition = Definition(name: name, indexParameters: isIndexed ? parts : [], arguments: arguments,
                                           body: body, alternatives: Array(sides.dropFirst()),
                                           offset: reference.offset, formula: equation.formula)
            if equation.squared, sides.count == 1, case let .function(.sqrt, radicand, _) = body { definition.radicand = radicand.first }
            if isIndexed { indexed[name] = definition } else { definitions[name] = definition }
        }
    }

    /// Records a definition without indices (an identity's, `FormulaSystem+Identities`).
    mutating func add(_ definition: Definition) {
        if definitions[definition.name] == nil { order.append(definition.name) }
        definitions[definition.name] = definition
    }

    /// Whether a left side is one symbol among `names` (by full name).
    private static func defines(_ lhs: [TeXToken], oneOf names: Set<String>) -> Bool {
        var parser = TeXParser(lhs)
        guard let reference = try? parser.parseSymbol(), parser.remaining.isEmpty else { return false }
        return names.contains(reference.fullName)
    }

    private static func mentionsPartial(_ token: TeXToken) -> Bool {
        if case let .group(inner, _) = token.kind { return inner.contains(where: mentionsPartial) }
        return token.command == "partial"
    }

    /// `p_{i,c}`, or `\ell(x, y)` with its argument names.
    private static func leftSide(_ tokens: [TeXToken], names: Set<String>) throws -> (SymbolReference, [String], Bool) {
        // A left side written as several letters (`TP`) names one thing.
        var run = ""
        for token in tokens { if case let .letter(c) = token.kind { run.append(c) } else { break } }
        var parser = TeXParser(tokens, names: run.count > 1 ? names.union([run]) : names)
        var reference = try parser.parseSymbol()
        if parser.peek?.command == "ominus" { reference = try parser.parseErosion(of: reference) }
        let rest = parser.remaining
        guard let open = rest.first else { return (reference, [], false) }
        guard open.isSymbol("("), rest.last?.isSymbol(")") == true else {
            throw FormulaError("the left side of an equation must be a name such as \\mathcal{L}_{n,c} or \\ell(x, y)",
                               at: open.offset)
        }
        // Arguments apart by commas, or by `\|` as a divergence's `D(P \,\|\, Q)` (read as `\lVert`).
        let inside = Array(rest.dropFirst().dropLast())
        let parts = inside.contains { $0.command == "lVert" }
            ? inside.split(omittingEmptySubsequences: false) { $0.isSymbol(",") || $0.command == "lVert" }.map(Array.init)
            : TeXParser.split(inside) { $0.isSymbol(",") }
        let arguments = try parts.map { part -> String in
            var argument = TeXParser(part, names: names)
            let symbol = try argument.parseSymbol()
            guard argument.remaining.isEmpty else {
                throw FormulaError("a function's arguments must be names", at: part.first?.offset)
            }
            return symbol.fullName
        }
        return (reference, arguments, true)
    }

    /// Every definition whose chain has later sides (`\ell(r) = r^2 = (x - y)^2`), by its key.
    var chained: [(key: String, indexed: Bool, definition: Definition)] {
        definitions.sorted { $0.key < $1.key }.filter { !$0.value.alternatives.isEmpty }.map { ($0.key, false, $0.value) }
            + indexed.sorted { $0.key < $1.key }.filter { !$0.value.alternatives.isEmpty }.map { ($0.key, true, $0.value) }
    }

    /// The system with one definition's first side replaced by another side of its chain.
    func replacingBody(of key: String, indexed isIndexed: Bool, with body: TeXExpression) -> FormulaSystem {
        var copy = self
        if isIndexed { copy.indexed[key]?.body = body } else { copy.definitions[key]?.body = body }
        return copy
    }

    /// The system with every occurrence of `expression` in its definitions (as parsed: a partial's
    /// variable written as an expression, `w \star x^2`) replaced by `replacement`, and how many
    /// were replaced.
    func substituting(_ expression: TeXExpression, with replacement: TeXExpression) -> (FormulaSystem, Int) {
        var copy = self, total = 0
        func replaced(_ e: TeXExpression) -> TeXExpression {
            let (out, count) = e.replacing(expression, with: replacement)
            total += count
            return out
        }
        func rewrite(_ definition: Definition) -> Definition {
            var out = definition
            out.body = replaced(definition.body)
            out.alternatives = definition.alternatives.map(replaced)
            out.radicand = definition.radicand.map(replaced)
            out.firstTerms = definition.firstTerms.mapValues(replaced)
            return out
        }
        copy.definitions = definitions.mapValues(rewrite)
        copy.indexed = indexed.mapValues(rewrite)
        return (copy, total)
    }

    /// The name to compare with the library when a binding does not say: `\mathcal{L}` or `L`
    /// if defined, else the first equation's.
    public var mainName: String? {
        for candidate in ["\\mathcal{L}", "L"] where definitions[candidate] != nil { return candidate }
        return order.first
    }

    /// A definition by the name a binding gives: `\mathcal{L}`, `\mathcal{L}_{n,c}` or the stem of an indexed one.
    public func definition(named name: String) -> Definition? {
        if let definition = definitions[name] ?? indexed[name] { return definition }
        guard let tokens = try? TeXLexer().tokens(name) else { return nil }
        var parser = TeXParser(tokens)
        guard let reference = try? parser.parseSymbol() else { return nil }
        return definitions[reference.fullName] ?? indexed[reference.stem]
    }
}
