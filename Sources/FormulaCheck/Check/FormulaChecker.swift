import Foundation

/// Evaluates a bound formula on a loss's probes and compares with the loss's own value.
///
/// Agreement is `|formula − library| ≤ 1e-6 + 1e-5·|library|` (the site's value tolerance:
/// `Losses` stores `Float`), both NaN, or equal infinities.
public enum FormulaChecker {
    public static let relativeTolerance = 1e-5
    public static let absoluteTolerance = 1e-6

    public static func agree(_ formula: Double, _ library: Double) -> Bool {
        if formula.isNaN || library.isNaN { return formula.isNaN && library.isNaN }
        if formula.isInfinite || library.isInfinite { return formula == library }
        return abs(formula - library) <= absoluteTolerance + relativeTolerance * abs(library)
    }

    /// A probe on which the formula and the loss differ.
    public struct Disagreement: Error, CustomStringConvertible, Sendable {
        public var loss: String
        public var probe: Probe
        public var formulaValue: Double
        public var libraryValue: Double
        /// Symbol → source, as bound.
        public var bindings: [String]
        /// Which alternative of a chain `a = b = c` (0 = the definition).
        public var alternative: Int

        public var description: String {
            "the formula gives \(formulaValue) but '\(loss)' computes \(libraryValue) on \(probe) "
                + "(bound: \(bindings.joined(separator: ", ")))"
        }
    }

    public struct Report: Sendable {
        /// Probes evaluated (each setting × each probe × each alternative).
        public var checked: Int
        public var disagreement: Disagreement?
        public var passed: Bool { disagreement == nil }
    }

    /// - Parameters:
    ///   - formula: the TeX of the formula (several strings are read together).
    ///   - binding: what its symbols stand for; `binding.settings` is applied by the caller when
    ///     it builds `loss`, so here `loss` is one configured loss.
    /// - Throws: `FormulaError` when the formula cannot be read or a symbol cannot be bound.
    public static func check(formula: [String], binding: FormulaBinding, loss: some CheckableLoss,
                             macros: [String: String] = [:]) throws -> Report {
        let probes = try loss.probes()
        var checked = 0
        for probe in probes {
            let (evaluator, bindings) = try bind(formula: formula, binding: binding, loss: loss, probe: probe, macros: macros)
            guard let name = binding.evaluate ?? evaluator.system.mainName,
                  let definition = evaluator.system.definition(named: name) else {
                throw FormulaError("the formula defines no '\(binding.evaluate ?? "")'",
                                   hint: "defined: \(evaluator.system.order.joined(separator: ", "))")
            }
            let library = try loss.value(on: probe)
            for (alternative, body) in ([definition.body] + definition.alternatives).enumerated() {
                let value = try reduce(body, definition: definition, evaluator: evaluator, reduction: binding.reduction)
                checked += 1
                if !agree(value, library) {
                    return Report(checked: checked, disagreement: Disagreement(
                        loss: loss.id, probe: probe, formulaValue: value, libraryValue: library,
                        bindings: bindings, alternative: alternative))
                }
            }
            // The later sides of the chains of the definitions it reads (`\ell(r_i) = r_i^2 = (x_i - y_i)^2`
            // summed in L), each in turn in place of its definition's first side: else a wrong later
            // side of a name the compared one uses would pass unseen.
            for other in evaluator.system.chained where other.definition.name != definition.name {
                for alternative in other.definition.alternatives {
                    var variant = evaluator
                    variant.system = evaluator.system.replacingBody(of: other.key, indexed: other.indexed, with: alternative)
                    let value = try reduce(definition.body, definition: definition, evaluator: variant, reduction: binding.reduction)
                    checked += 1
                    if !agree(value, library) {
                        return Report(checked: checked, disagreement: Disagreement(
                            loss: loss.id, probe: probe, formulaValue: value, libraryValue: library,
                            bindings: bindings + ["(with \(other.definition.name)'s later side)"], alternative: 0))
                    }
                }
            }
        }
        return Report(checked: checked, disagreement: nil)
    }

    /// The formula's value on one probe, without comparing (for tables and debugging).
    public static func value(formula: [String], binding: FormulaBinding, loss: some CheckableLoss, probe: Probe,
                             macros: [String: String] = [:]) throws -> Double {
        let (evaluator, _) = try bind(formula: formula, binding: binding, loss: loss, probe: probe, macros: macros)
        guard let name = binding.evaluate ?? evaluator.system.mainName, let definition = evaluator.system.definition(named: name) else {
            throw FormulaError("the formula defines nothing to evaluate")
        }
        return try reduce(definition.body, definition: definition, evaluator: evaluator, reduction: binding.reduction)
    }

    static func reduce(_ body: TeXExpression, definition: FormulaSystem.Definition, evaluator: Evaluator,
                               reduction: FormulaBinding.Reduction) throws -> Double {
        let indices: [String]
        switch reduction {
        case .none: indices = []
        case let .mean(i), let .sum(i): indices = i
        }
        for parameter in definition.indexParameters where !indices.contains(parameter) {
            throw FormulaError("'\(definition.name)' is indexed by \(parameter) but the reduction is \(reduction)",
                               at: definition.offset, hint: "reduction: mean over \(definition.indexParameters.joined(separator: ","))")
        }
        var total = 0.0, count = 0
        func loop(_ k: Int, _ scope: Evaluator.Scope) throws {
            guard k < indices.count else {
                total += try evaluator.evaluate(body, scope: scope)
                count += 1
                return
            }
            guard let extent = evaluator.extents[indices[k]] else {
                throw FormulaError("cannot reduce over \(indices[k]): no bound array has an axis of that name")
            }
            var inner = scope
            for value in stride(from: 1, through: extent, by: 1) {
                inner[indices[k]] = Double(value)
                try loop(k + 1, inner)
            }
        }
        try loop(0, [:])
        if case .mean = reduction { return count == 0 ? 0 : total / Double(count) }
        return total
    }

    /// Resolves the binding's sources on one probe.
    ///
    /// Besides what `FormulaBinding` lists, a source may be
    /// - `probability over n,c,i`: the array with its axes named in storage order, when the key
    ///   writes fewer or differently ordered indices (`s_i^c` over a `[N, C, H·W]` array);
    ///   `… pooling b into i`: with the batch pooled into the positions (`FormulaChecker+Pooling`);
    /// - `= <TeX>`: the symbol's definition, as the prose around the formula gives it
    ///   (`I: = \sum_i g_i s_i`), read together with the formula.
    /// A key with an index superscript (`s_i^c`, `g_i^{c}`) makes that symbol's superscripts
    /// indices throughout the formula (`TeXLexer.indexSuperscripts`). A key written as a function
    /// application of one letter, `f(x)`, names the value written so (a margin loss's `\ell(y, f(x))`):
    /// see `applicationNames`.
    /// `replacing` names whose equations in `formula` are not read (a `PartialBinding`'s
    /// variable and the names its `= …` definitions replace).
    static func bind(formula: [String], binding: FormulaBinding, loss: some CheckableLoss, probe: Probe,
                     macros: [String: String], replacing: Set<String> = []) throws -> (Evaluator, [String]) {
        let (formula, binding) = applicationNames(formula, binding)
        let augmented = try withLossArrays(probe, binding: binding, loss: loss)
        let lossArrays = Set(augmented.arrays.keys).subtracting(probe.arrays.keys)
        let probe = augmented
        var given: Set<String> = []
        let keyed = try indexSuperscripts(binding.symbols.map(\.symbol), macros: macros)
        let superscripted = try keyed.union(definedIndexSuperscripts(formula, keyed: keyed, macros: macros))
        let lexer = TeXLexer(macros: macros, indexSuperscripts: superscripted)
        var values: [String: BoundValue] = [:]
        var described: [String] = []
        var arrayAxes: Set<String> = []
        var names: Set<String> = []
        var definitions: [String] = []
        // Keys first: an array's subscripts name axes, which decide how list parameters read theirs.
        var keys: [(reference: SymbolReference, source: String)] = []
        // Superscript letters the keys use as labels (`x_{k,n}^g`) read as labels in the formula too.
        // A key whose superscript is an index (`s_i^c`) is not a label.
        let superscripts = Set(try binding.symbols.compactMap { key in
            try indexSuperscripts([key.symbol], macros: macros).isDisjoint(with: superscripted)
                ? Self.superscriptLabel(of: key.symbol) : nil
        })
        names.formUnion(superscripts)
        var correlations: [String: Correlation] = [:]
        var fieldFunctions = try loss.fieldFunctions(on: probe)
        var operators: Set<String> = []
        for (symbol, source) in binding.symbols {
            if Correlation.isOperator(symbol) {
                let key = symbol.trimmingCharacters(in: .whitespaces)
                correlations[key] = try Correlation(symbol: key, parsing: source.trimmingCharacters(in: .whitespaces))
                described.append("\(key): \(source.trimmingCharacters(in: .whitespaces))")
                continue
            }
            if source.trimmingCharacters(in: .whitespaces).hasPrefix("=") {
                // A definition: its left side is read with the formula (`TP` names one thing there).
                definitions.append(symbol + " " + source.trimmingCharacters(in: .whitespaces))
                described.append("\(symbol) \(source.trimmingCharacters(in: .whitespaces))")
                // `TP`, or a name in words (`\text{den}`: a denominator the prose names so).
                if symbol.count > 1, symbol.allSatisfy(\.isLetter) || symbol.hasPrefix(#"\text{"#) { names.insert(symbol) }
                continue
            }
            let tokens = try lexer.tokens(symbol)
            var parser = TeXParser(tokens, names: superscripts)
            var reference = try parser.parseSymbol()
            if !parser.remaining.isEmpty {
                // A preimage, `\mathcal{B}^{-1}(y_n)`: a set (`TeXParser+Preimages`).
                guard let set = TeXParser.preimageKey(tokens) else { throw FormulaError("'\(symbol)' under where: is not a single symbol") }
                reference = set
            }
            if reference.base.count > 1, reference.base.allSatisfy(\.isLetter) || reference.base.hasPrefix(#"\text{"#) {
                names.insert(reference.base)
            }
            if let function = fieldFunctions[source.trimmingCharacters(in: .whitespaces)] {
                // A map of the whole grid the loss provides under that name (`E: soft erosion`).
                fieldFunctions[reference.fullName] = function
                operators.insert(reference.fullName)
                described.append("\(reference.fullName): \(source.trimmingCharacters(in: .whitespaces))")
                continue
            }
            keys.append((reference, source.trimmingCharacters(in: .whitespaces)))
            // Another loss's value, from the library: the formula's own equation for it is not read.
            if let array = arraySource(source), lossArrays.contains(array.name) { given.insert(reference.fullName) }
            if let array = arraySource(source), let stored = probe.arrays[array.name], !stored.shape.isEmpty {
                arrayAxes.formUnion(array.axes ?? Self.axes(reference))
            }
        }
        for (reference, trimmed) in keys {
            let axes = Self.axes(reference)
            if let source = arraySource(trimmed), let array = probe.arrays[source.name], array.shape.isEmpty, array.values.count == 1 {
                // A rank-0 array is a number (another loss's reduced value).
                values[reference.fullName] = .scalar(array.values[0])
            } else if let source = arraySource(trimmed), let array = probe.arrays[source.name] {
                if let stored = source.axes, !axes.isEmpty, axes.allSatisfy({ !stored.contains($0) }) {
                    // A subscript that names rather than indexes (`\mathcal{L}_{GD}` over n): the
                    // array is kept under the full name and indexed from the scope.
                    values[reference.fullName] = .array(try BoundArray(axes: stored, shape: array.shape, values: array.values))
                    described.append("\(reference.fullName): \(trimmed)")
                    continue
                }
                if let stored = source.axes {
                    for axis in axes where !stored.contains(axis) {
                        throw FormulaError("'\(reference.fullName)' has index \(axis), which '\(trimmed)' does not name")
                    }
                }
                var bound = try BoundArray(axes: source.axes ?? axes, shape: array.shape, values: array.values)
                if let pool = Self.pooling(trimmed) { bound = try Self.pooled(bound, from: pool.from, into: pool.into) }
                values[reference.stem] = .array(bound)
            } else if let number = Double(trimmed) {
                values[reference.fullName] = .scalar(number)
            } else if trimmed.hasPrefix("size ") {
                let axis = String(trimmed.dropFirst(5)).trimmingCharacters(in: .whitespaces)
                values[Evaluator.scalarKey(reference.fullName, in: values)] = .scalar(.nan) // filled below once extents are known
                described.append("\(reference.fullName): size \(axis)")
                continue
            } else if let parameter = loss.parameter(trimmed) {
                if !axes.isEmpty, axes.allSatisfy(arrayAxes.contains), parameter.count != 1 {
                    let list = parameter.isEmpty ? [1.0] : parameter
                    values[reference.stem] = .array(try BoundArray(axes: axes, extents: axes.count == 1 ? [list.count] : [],
                                                                   values: list))
                } else {
                    guard parameter.count <= 1 else {
                        throw FormulaError("parameter '\(trimmed)' is a list; bind it with its index, e.g. \(reference.stem)_c")
                    }
                    values[reference.fullName] = .scalar(parameter.first ?? 1)
                }
            } else {
                let known = probe.arrays.keys.sorted() + loss.parameterNames
                throw FormulaError("'\(reference.fullName)' is bound to '\(trimmed)', which is neither a probe array nor a parameter of '\(loss.id)'",
                                   hint: "one of: \(known.joined(separator: ", ")) (optionally 'over n,c,i'), size <index>, a number, or '= <TeX>'")
            }
            described.append("\(reference.fullName): \(trimmed)")
        }
        var evaluator = try Evaluator(system: FormulaSystem(formulas: formula + definitions, macros: macros, axes: arrayAxes, names: names,
                                                            indexSuperscripts: superscripted, given: given.union(replacing),
                                                            givenIn: replacing.isEmpty ? nil : Set(formula.indices), operators: operators),
                                      values: values)
        if !correlations.isEmpty {
            evaluator.correlations = correlations
            try evaluator.registerOutputGrids()
        }
        for (reference, source) in keys where source.hasPrefix("size ") {
            let axis = String(source.dropFirst(5)).trimmingCharacters(in: .whitespaces)
            guard let extent = evaluator.extents[axis] else {
                throw FormulaError("'\(reference.fullName): \(source)': no bound array has an axis \(axis)")
            }
            evaluator.values[Evaluator.scalarKey(reference.fullName, in: evaluator.values)] = .scalar(Double(extent))
        }
        evaluator.fieldFunctions = fieldFunctions
        return (evaluator, described)
    }

    /// Keys such as `f(x)` read as the symbol `f_x`: every `f(x)` of the formulas, of the keys and of
    /// the `= …` definitions is rewritten `f_x ` (same length, so offsets still point into the
    /// formula). `f_x` is then a symbol indexed by `x`: bind it with `input` and reduce over `x`.
    static func applicationNames(_ formula: [String], _ binding: FormulaBinding) -> ([String], FormulaBinding) {
        // Index letters: the bound arrays' axes, and the letters of the other keys' subscripts and points.
        let axes = Set(binding.symbols.filter { !$0.source.trimmingCharacters(in: .whitespaces).hasPrefix("=") }.flatMap { entry in
            (arraySource(entry.source)?.axes ?? [])
                + entry.symbol.drop { $0 != "_" && $0 != "(" }.filter { $0.isLetter }.map(String.init)
        })
        let rewrites = derivativeNames(binding) + binding.symbols.compactMap { entry -> (String, String)? in
            if isFunctionDefinition(entry, axes: axes) { return nil }
            let key = Array(entry.symbol.trimmingCharacters(in: .whitespaces))
            guard key.count == 4, key[0].isLetter, key[1] == "(", key[2].isLetter, key[3] == ")" else {
                return pointApplication(String(key))
            }
            return (String(key), "\(key[0])_\(key[2]) ")
        }
        guard !rewrites.isEmpty else { return (formula, binding) }
        // Longest first: `d_s(q)` before the `s(q)` inside it.
        let ordered = rewrites.enumerated().sorted { ($0.element.0.count, -$0.offset) > ($1.element.0.count, -$1.offset) }.map(\.element)
        func rewrite(_ text: String) -> String {
            ordered.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        }
        var out = binding
        out.symbols = binding.symbols.map { (symbol: rewrite($0.symbol).trimmingCharacters(in: .whitespaces), source: rewrite($0.source)) }
        return (formula.map(rewrite), out)
    }

    /// A `= …` key that defines a function rather than naming a map's value at a point: its
    /// argument is no index of the bound arrays (`\overline{\Delta}(m): = …`), or its subscript is
    /// one (`m_i(c): = …`, the vector m(c) over i, `FormulaSystem+Orderings`).
    static func isFunctionDefinition(_ entry: (symbol: String, source: String), axes: Set<String>) -> Bool {
        let key = entry.symbol.trimmingCharacters(in: .whitespaces)
        guard entry.source.trimmingCharacters(in: .whitespaces).hasPrefix("="), key.hasSuffix(")"),
              let open = key.lastIndex(of: "(") else { return false }
        let point = String(key[key.index(after: open)..<key.index(before: key.endIndex)])
        let head = key[..<open]
        if !axes.contains(point) { return true }
        guard let underscore = head.lastIndex(of: "_") else { return false }
        return axes.contains(String(head[head.index(after: underscore)...]))
    }

    /// The probe with the arrays its binding names that only the loss can give (`CheckableLoss.array`).
    static func withLossArrays(_ probe: Probe, binding: FormulaBinding, loss: some CheckableLoss) throws -> Probe {
        var probe = probe
        for (_, source) in binding.symbols {
            guard let name = arraySource(source)?.name, probe.arrays[name] == nil, loss.parameter(name) == nil,
                  let array = try loss.array(name, on: probe) else { continue }
            probe.arrays[name] = array
        }
        return probe
    }

    /// `probability` → (probability, nil); `probability over n,c,i` → (probability, [n, c, i]).
    static func arraySource(_ source: String) -> (name: String, axes: [String]?)? {
        let trimmed = (pooling(source)?.source ?? source).trimmingCharacters(in: .whitespaces)
        guard let range = trimmed.range(of: " over ") else { return (trimmed, nil) }
        let axes = trimmed[range.upperBound...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return (String(trimmed[..<range.lowerBound]), axes)
    }

    /// The symbols whose keys carry an index superscript: `s_i^c` → `s`. A superscript that tells
    /// two bound symbols apart (`x_{k,n}` and `x_{k,n}^g`, the target's box) is a label, not an index.
    static func indexSuperscripts(_ symbols: [String], macros: [String: String]) throws -> Set<String> {
        var stems: Set<String> = []
        let keys = Set(symbols.map { $0.filter { !$0.isWhitespace } })
        for symbol in symbols {
            if let caret = symbol.firstIndex(of: "^"), keys.contains(symbol[..<caret].filter { !$0.isWhitespace }) { continue }
            if let stem = indexSuperscriptStem(try TeXLexer(macros: macros).tokens(symbol)) { stems.insert(stem) }
        }
        return stems
    }

    /// `s` of the tokens `s _ i ^ c` (a letter superscript), nil for any other shape.
    static func indexSuperscriptStem(_ tokens: [TeXToken]) -> String? {
        guard tokens.count == 5, tokens[1].kind == .subscriptMark, tokens[3].kind == .superscriptMark else { return nil }
        guard TeXParser.sourceText(tokens[4]).first?.isLetter == true else { return nil }
        switch tokens[0].kind {
        case let .letter(c): return String(c)
        case let .command(name): return "\\" + name
        default: return nil
        }
    }

    /// A key's subscripts as axis names: `p_{n,c,i}` → n, c, i.
    static func axes(_ reference: SymbolReference) -> [String] {
        (reference.subscriptText ?? "").split(separator: ",").map(String.init)
    }
}
