import Foundation

/// A displayed gradient formula bound to a loss: `\partial \ell/\partial x = 2(x - y)`, whose
/// right side is evaluated for every element of the input and compared with the library's
/// analytic gradient.
///
/// The equation whose left side contains `\partial` is the gradient (the other equations of the
/// formulas read together define what it uses, e.g. `h_c = …`). Its elements run over
/// `elements`: index names in the input's axis order, each over an axis of a bound array
/// (`i`, or `j=c` for an index written `j` that runs over axis c). `value.reduction` says how the
/// loss reduces the per-element formula: `mean over i` divides the formula by the extent of i
/// before it is compared with ∂(Σ value)/∂input.
///
/// A formula that holds on part of the input only (`∂ℓ/∂x_1 = -y` where the margin is not met,
/// `∂ℓ/∂μ` on the mean half of a `[μ, σ²]` input) says where in `holds`: TeX conditions over the
/// element indices and the bound symbols (`k = 1`, `-y_i(x_{1,i} - x_{2,i}) + \text{margin} > 0`),
/// all of which must hold for an element to be checked; the check fails when no element of any
/// probe satisfies them.
///
/// A formula written at the ranks of an ordering (the Lovász extension's
/// `\partial \overline{\Delta}/\partial m_{\pi_i} = g_i(m)`) names its element `\pi_i`: the element
/// at position j of axis i is the formula at the rank i with π_i = j, π the ordering stated beside
/// it (`m_{\pi_1} \ge m_{\pi_2} \ge \cdots`, `FormulaSystem+Orderings`). `holds` and a TeX `chain`
/// read the element's own position.
public struct GradientBinding: Sendable, Equatable {
    public var value: FormulaBinding
    /// (index as written, axis it runs over), in the input's axis order.
    public var elements: [Element]
    /// Conditions an element must meet to be checked (empty: every element).
    public var holds: [String]
    /// For a formula that differentiates by an intermediate u (`∂L_pGD/∂L_GD`): the array of
    /// ∂u/∂input (a probe array, or one the loss computes, e.g. `gradient of generalized-dice`);
    /// the formula times it, element by element, is compared with the library's gradient.
    /// Written `= <TeX>`, the factor is a formula over the element indices and the bound symbols
    /// (a note's `\partial m_i(c)/\partial s_i^c`, stated in its prose), evaluated at each element.
    public var chain: String?

    public struct Element: Sendable, Equatable {
        public var index: String
        public var axis: String
        /// The ordering whose ranks the formula is written at (`\pi` for the element `\pi_i`).
        public var permutation: String? = nil
    }

    /// - Parameter elements: `"i"`, `"i, j=c"`, `"n, c, i"`, `"b, c, \pi_i"`.
    public init(_ value: FormulaBinding, elements: String, holds: [String] = [], chain: String? = nil) {
        self.value = value
        self.holds = holds
        self.chain = chain
        self.elements = elements.split(separator: ",").map { part in
            let sides = part.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            if sides.count == 1, sides[0].hasPrefix("\\"), let underscore = sides[0].lastIndex(of: "_") {
                // `\pi_i` or `\pi_{i}`: the index i, at its rank in the ordering π.
                let index = sides[0][sides[0].index(after: underscore)...].filter { $0 != "{" && $0 != "}" }
                return Element(index: index, axis: index, permutation: String(sides[0][..<underscore]))
            }
            return Element(index: sides[0], axis: sides.count > 1 ? sides[1] : sides[0])
        }
    }

    /// Whether `chain` is a TeX factor (`= …`) rather than an array's name.
    var chainFormula: String? {
        guard let chain, chain.trimmingCharacters(in: .whitespaces).hasPrefix("=") else { return nil }
        return String(chain.trimmingCharacters(in: .whitespaces).dropFirst())
    }
}

public enum GradientChecker {
    /// `Losses` computes gradients in `Float` from `Float` inputs: 1e-4 relative (the site's
    /// gradient tolerance), 1e-6 absolute.
    public static let relativeTolerance = 1e-4
    public static let absoluteTolerance = 1e-6

    public static func agree(_ formula: Double, _ library: Double) -> Bool {
        if formula.isNaN || library.isNaN { return formula.isNaN && library.isNaN }
        if formula.isInfinite || library.isInfinite { return formula == library }
        return abs(formula - library) <= absoluteTolerance + relativeTolerance * abs(library)
    }

    /// The name a gradient's left side is read as.
    static let name = #"\Xi"#
    /// The name of the product of a binding's `holds` conditions (1 where the formula holds).
    static let holdsName = #"\Xi^{\text{holds}}"#

    /// The name of a binding's TeX chain factor.
    static let chainName = #"\Xi^{\text{chain}}"#

    /// The equation `\Xi^{\text{holds}}_{i,k} = \mathbb{1}[c_1]\,\mathbb{1}[c_2]…` for `holds`, or nil.
    static func holdsEquation(_ binding: GradientBinding) -> String? {
        guard !binding.holds.isEmpty else { return nil }
        let indices = binding.elements.map(\.index).joined(separator: ",")
        return "\(holdsName)_{\(indices)} = " + binding.holds.map { "\\mathbb{1}[\($0)]" }.joined(separator: "\\, ")
    }

    /// The equation `\Xi^{\text{chain}}_{i,k} = …` for a TeX chain factor, or nil.
    static func chainEquation(_ binding: GradientBinding) -> String? {
        binding.chainFormula.map { "\(chainName)_{\(binding.elements.map(\.index).joined(separator: ","))} = " + $0 }
    }

    /// The scope with each element written through a permutation (`\pi_i`) moved from its
    /// position j to its rank: the i with π_i = j.
    static func ranked(_ scope: Evaluator.Scope, _ elements: [GradientBinding.Element], evaluator: Evaluator) throws -> Evaluator.Scope {
        var ranked = scope
        for element in elements {
            guard let name = element.permutation, let position = scope[element.index] else { continue }
            guard let ordering = evaluator.system.orderings[name] else {
                throw FormulaError("the gradient element \(name)_\(element.index) names no ordering \(name)",
                                   hint: #"state it beside the formula, e.g. m_{\pi_1} \ge m_{\pi_2} \ge \cdots"#)
            }
            ranked[element.index] = try evaluator.rank(of: Int(position), in: ordering, axis: element.axis, scope: scope)
        }
        return ranked
    }

    /// The formulas with the gradient equation's left side renamed to `\Xi_{…}`; throws when no
    /// equation's left side has a `\partial`.
    static func renamed(_ formulas: [String], elements: [GradientBinding.Element]) throws -> [String] {
        for (k, tex) in formulas.enumerated() {
            var depth = 0
            for (offset, c) in tex.enumerated() {
                if c == "{" || c == "(" || c == "[" { depth += 1 }
                if c == "}" || c == ")" || c == "]" { depth -= 1 }
                guard c == "=", depth == 0 else { continue }
                let left = String(tex.prefix(offset))
                guard left.contains(#"\partial"#) || left.contains(#"\nabla"#) else { break }
                var out = formulas
                out[k] = "\(name)_{\(elements.map(\.index).joined(separator: ","))} " + tex.dropFirst(offset)
                return out
            }
        }
        throw FormulaError("no equation of the formula has a derivative (\\partial) on its left side",
                           hint: "a gradient formula reads like \\partial \\ell/\\partial x = …")
    }

    /// Evaluates the gradient formula on every probe and element, against `loss.gradient(on:)`.
    /// A disagreement's `probe` label names the element (`… element (i=2, c=1)`).
    public static func check(formula: [String], binding: GradientBinding, loss: some CheckableLoss,
                             macros: [String: String] = [:]) throws -> FormulaChecker.Report {
        // Chain-rule factors (`\frac{\partial L_{pGD}}{\partial L_{GD}}`) read as names first.
        let (derived, binding) = derivativeNames(formula, binding)
        let tex = try renamed(derived, elements: binding.elements) + [holdsEquation(binding), chainEquation(binding)].compactMap { $0 }
        var checked = 0, skipped = 0
        for probe in try loss.probes() {
            guard let library = try loss.gradient(on: probe) else {
                throw FormulaError("'\(loss.id)' gives no gradient to check the formula against")
            }
            let (evaluator, bindings) = try FormulaChecker.bind(formula: tex, binding: binding.value, loss: loss, probe: probe, macros: macros)
            guard let definition = evaluator.system.definition(named: name)
                ?? evaluator.system.definitions.values.first(where: { $0.name.hasPrefix(name) && $0.formula < formula.count }) else {
                throw FormulaError("the gradient equation could not be read")
            }
            // Indexed when its indices are axes (`i, k`), else by its full name (`n, i=c`): found by its place.
            let holds = binding.holds.isEmpty ? nil
                : (Array(evaluator.system.indexed.values) + Array(evaluator.system.definitions.values)).first { $0.formula == formula.count }
            if !binding.holds.isEmpty && holds == nil {
                throw FormulaError("the conditions \(binding.holds) could not be read over the elements \(binding.elements.map(\.index))")
            }
            // After the formula and the holds equation.
            let chainPlace = formula.count + (binding.holds.isEmpty ? 0 : 1)
            let chainFactor = binding.chainFormula == nil ? nil
                : (Array(evaluator.system.indexed.values) + Array(evaluator.system.definitions.values)).first { $0.formula == chainPlace }
            if let chain = binding.chainFormula, chainFactor == nil {
                throw FormulaError("the chain factor '\(chain)' could not be read over the elements \(binding.elements.map(\.index))")
            }
            let extents = try binding.elements.map { element -> Int in
                guard let extent = evaluator.extents[element.axis] else {
                    throw FormulaError("gradient index \(element.index) runs over axis \(element.axis), which no bound array has")
                }
                return extent
            }
            guard extents.reduce(1, *) == library.count else {
                throw FormulaError("the gradient's elements (\(binding.elements.map(\.index).joined(separator: ",")): \(extents.reduce(1, *))) "
                                   + "are not the input's \(library.count)")
            }
            let chain = try binding.chain.flatMap { name -> ProbeArray? in
                if binding.chainFormula != nil { return nil }
                guard let array = try probe.arrays[name] ?? loss.array(name, on: probe), array.values.count == library.count else {
                    throw FormulaError("the chain factor '\(name)' is not an array of the input's \(library.count) elements")
                }
                return array
            }
            var scale = 1.0
            if case let .mean(axes) = binding.value.reduction {
                for axis in axes {
                    guard let extent = evaluator.extents[axis] else { throw FormulaError("cannot reduce over \(axis): no bound array has that axis") }
                    scale *= Double(extent)
                }
            }
            for (flat, libraryValue) in library.enumerated() {
                var scope: Evaluator.Scope = [:]
                var rest = flat
                for (element, extent) in zip(binding.elements, extents).reversed() {
                    scope[element.index] = Double(rest % extent + 1)
                    rest /= extent
                }
                if let holds, try evaluator.evaluate(holds.body, scope: scope) == 0 {
                    skipped += 1
                    continue
                }
                let factor = try chain?.values[flat] ?? chainFactor.map { try evaluator.evaluate($0.body, scope: scope) } ?? 1
                let ranked = try Self.ranked(scope, binding.elements, evaluator: evaluator)
                // Every side of a chain `∂L/∂x = a = b` is checked.
                for (alternative, body) in ([definition.body] + definition.alternatives).enumerated() {
                    let value = try evaluator.evaluate(body, scope: ranked) / scale * factor
                    checked += 1
                    if !agree(value, libraryValue) {
                        let at = binding.elements.map { "\($0.index)=\(Int(scope[$0.index]!))" }.joined(separator: ", ")
                        var labelled = probe
                        labelled.label += ", gradient element (\(at))"
                        return .init(checked: checked, disagreement: .init(loss: loss.id, probe: labelled, formulaValue: value,
                                                                            libraryValue: libraryValue, bindings: bindings, alternative: alternative))
                    }
                }
            }
        }
        if checked == 0 && skipped > 0 {
            throw FormulaError("no element of any probe meets \(binding.holds.joined(separator: ", ")): nothing was checked",
                               hint: "add a probe where the formula holds")
        }
        return .init(checked: checked, disagreement: nil)
    }
}
