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

    private static func reduce(_ body: TeXExpression, definition: FormulaSystem.Definition, evaluator: Evaluator,
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
    static func bind(formula: [String], binding: FormulaBinding, loss: some CheckableLoss, probe: Probe,
                     macros: [String: String]) throws -> (Evaluator, [String]) {
        let lexer = TeXLexer(macros: macros)
        var values: [String: BoundValue] = [:]
        var described: [String] = []
        var arrayAxes: Set<String> = []
        var names: Set<String> = []
        // Keys first: an array's subscripts name axes, which decide how list parameters read theirs.
        var keys: [(SymbolReference, String)] = []
        // Superscript letters the keys use as labels (`x_{k,n}^g`) read as labels in the formula too.
        let superscripts = Set(binding.symbols.compactMap { Self.superscriptLabel(of: $0.symbol) })
        names.formUnion(superscripts)
        for (symbol, source) in binding.symbols {
            var parser = TeXParser(try lexer.tokens(symbol), names: superscripts)
            let reference = try parser.parseSymbol()
            guard parser.remaining.isEmpty else { throw FormulaError("'\(symbol)' under where: is not a single symbol") }
            if reference.base.count > 1, reference.base.allSatisfy(\.isLetter) || reference.base.hasPrefix(#"\text{"#) {
                names.insert(reference.base)
            }
            keys.append((reference, source))
            if probe.arrays[source] != nil { arrayAxes.formUnion(Self.axes(reference)) }
        }
        for (reference, source) in keys {
            let axes = Self.axes(reference)
            let trimmed = source.trimmingCharacters(in: .whitespaces)
            if let array = probe.arrays[trimmed] {
                values[reference.stem] = .array(try BoundArray(axes: axes, shape: array.shape, values: array.values))
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
                                   hint: "one of: \(known.joined(separator: ", ")), size <index>, or a number")
            }
            described.append("\(reference.fullName): \(trimmed)")
        }
        var evaluator = try Evaluator(system: FormulaSystem(formulas: formula, macros: macros, axes: arrayAxes, names: names),
                                      values: values)
        for (reference, source) in keys where source.hasPrefix("size ") {
            let axis = String(source.dropFirst(5)).trimmingCharacters(in: .whitespaces)
            guard let extent = evaluator.extents[axis] else {
                throw FormulaError("'\(reference.fullName): \(source)': no bound array has an axis \(axis)")
            }
            evaluator.values[Evaluator.scalarKey(reference.fullName, in: evaluator.values)] = .scalar(Double(extent))
        }
        return (evaluator, described)
    }

    /// A key's subscripts as axis names: `p_{n,c,i}` → n, c, i.
    static func axes(_ reference: SymbolReference) -> [String] {
        (reference.subscriptText ?? "").split(separator: ",").map(String.init)
    }
}
