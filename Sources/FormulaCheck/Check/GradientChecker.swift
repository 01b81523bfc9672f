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
public struct GradientBinding: Sendable, Equatable {
    public var value: FormulaBinding
    /// (index as written, axis it runs over), in the input's axis order.
    public var elements: [Element]

    public struct Element: Sendable, Equatable {
        public var index: String
        public var axis: String
    }

    /// - Parameter elements: `"i"`, `"i, j=c"`, `"n, c, i"`.
    public init(_ value: FormulaBinding, elements: String) {
        self.value = value
        self.elements = elements.split(separator: ",").map { part in
            let sides = part.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            return Element(index: sides[0], axis: sides.count > 1 ? sides[1] : sides[0])
        }
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
        let tex = try renamed(derived, elements: binding.elements)
        var checked = 0
        for probe in try loss.probes() {
            guard let library = try loss.gradient(on: probe) else {
                throw FormulaError("'\(loss.id)' gives no gradient to check the formula against")
            }
            let (evaluator, bindings) = try FormulaChecker.bind(formula: tex, binding: binding.value, loss: loss, probe: probe, macros: macros)
            guard let definition = evaluator.system.definition(named: name) ?? evaluator.system.definitions.values.first(where: { $0.name.hasPrefix(name) }) else {
                throw FormulaError("the gradient equation could not be read")
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
                // Every side of a chain `∂L/∂x = a = b` is checked.
                for (alternative, body) in ([definition.body] + definition.alternatives).enumerated() {
                    let value = try evaluator.evaluate(body, scope: scope) / scale
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
        return .init(checked: checked, disagreement: nil)
    }
}
