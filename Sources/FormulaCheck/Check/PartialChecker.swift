import Foundation

/// A displayed partial derivative with respect to an intermediate quantity of a loss
/// (`\partial \ell/\partial I = -(D + I)/D^2`, I the boxes' intersection), which no library
/// gradient can be compared with: it is compared with a central finite difference of the loss's
/// own value formula, written in that intermediate.
///
/// `value` binds the formulas read together: first the descriptor's formulas `definitions` (the
/// loss's value formula, checked against `Losses` by a `FormulaBinding` of its own), then the
/// prose spans `value.formulas` around the partial. `function` is the defined name
/// differentiated (nil: the value formula's main name), reduced by `value.reduction`;
/// `variable` the name differentiated by, as written (`I`, `T_{prec}`), over the `elements`
/// (index names of its axes). A variable written as an expression (`w \star x^2`, SSIM's
/// windowed second moment) is that expression wherever the formulas write it (compared as
/// parsed, so `w \star (x y)` is `w \star (xy)`): it is given in its place, and a variable the
/// formulas do not write is an error. A `local` function is a map over the elements (SSIM's
/// `l s` at each position of Ω′), read at each element and moved by the variable there alone.
///
/// On each probe the checker
/// 1. evaluates the variable at every element with the formulas as written (the base point);
/// 2. reads the formulas again with the variable given (its own equation not read, its base
///    values bound as an array) and each of `replacing`'s equations replaced by the binding's
///    `= …` definition (`U = A + A^g - I`, the union written in the predicted box's area A);
/// 3. requires the function there to equal the function as written (the rewrite is an identity
///    at the probe) and, when `isLoss`, `Losses`' value (`FormulaChecker.agree`);
/// 4. moves the variable at one element by ±h, h = 10⁻⁵·max(1, |v|), and compares
///    (F(v + h) − F(v − h))/2h with the partial's right side at that element: agreement is
///    `|partial − difference| ≤ 10⁻⁶ + 10⁻⁵·|difference|` (Double throughout: the difference's
///    error is about h² and 10⁻¹⁶·|F|/h).
public struct PartialBinding: Sendable, Equatable {
    /// The spans of the gradient section (`formulas`), what their symbols stand for, the
    /// function's reduction and the settings.
    public var value: FormulaBinding
    /// Indices of the loss descriptor's formulas read before the spans.
    public var definitions: [Int]
    public var function: String?
    public var variable: String
    public var elements: [String]
    /// Names whose equations the binding's `= …` definitions replace.
    public var replacing: [String]
    /// Whether `function` reduced is the loss's value (then also compared with `Losses`).
    public var isLoss: Bool
    /// Axes the function averages the partial's term over (`\frac{1}{NC}\sum_{n,c}`): the
    /// difference is multiplied by their extents before it is compared.
    public var averagedOver: [String]
    /// Whether the function is a map over the elements, each element's value read in that
    /// element's scope (SSIM's `l s` at a position of Ω′, which reads that position's μ_x alone):
    /// the difference is the map's at the element moved, not the reduced function's.
    public var local: Bool
    /// The central difference's step, relative to max(1, |variable|) (`PartialChecker.step` unless
    /// the function curves too fast for it: SSIM's denominators near c₂).
    public var step: Double

    /// - Parameter elements: `"n"`, `"n, c"`.
    public init(_ value: FormulaBinding, definitions: [Int], function: String? = nil, variable: String, elements: String,
                replacing: [String] = [], isLoss: Bool = true, averagedOver: String = "", local: Bool = false,
                step: Double = PartialChecker.step) {
        self.value = value
        self.definitions = definitions
        self.function = function
        self.variable = variable
        self.elements = elements.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        self.replacing = replacing
        self.isLoss = isLoss
        self.averagedOver = averagedOver.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        self.local = local
        self.step = step
    }
}

public enum PartialChecker {
    public static let relativeTolerance = 1e-5
    public static let absoluteTolerance = 1e-6
    /// The step, relative to max(1, |variable|).
    public static let step = 1e-5

    public static func agree(_ partial: Double, _ difference: Double) -> Bool {
        if partial.isNaN || difference.isNaN { return partial.isNaN && difference.isNaN }
        return abs(partial - difference) <= absoluteTolerance + relativeTolerance * abs(difference)
    }

    /// - Parameters:
    ///   - definitions: the TeX of the descriptor formulas `binding.definitions`.
    ///   - spans: the TeX of the spans `binding.value.formulas`, one of them the partial.
    /// - Returns: a report whose disagreement gives the partial as `formulaValue` and the central
    ///   difference (or, at the base point, the value the function must equal) as `libraryValue`.
    public static func check(definitions: [String], spans: [String], binding: PartialBinding, loss: some CheckableLoss,
                             macros: [String: String] = [:]) throws -> FormulaChecker.Report {
        let partial = try GradientChecker.renamed(spans, elements: binding.elements.map { .init(index: $0, axis: $0) })
        let formulas = definitions + partial
        let lexed = try TeXLexer(macros: macros).tokens(binding.variable)
        var tokens = TeXParser(lexed)
        let symbol = try? tokens.parseSymbol()
        // A variable that is not one name (`w \star x^2`): the expression, given under a name of its own.
        var whole = TeXParser(lexed)
        let written = symbol != nil && tokens.remaining.isEmpty ? nil : try whole.parseAll()
        let variable = written == nil ? symbol! : SymbolReference(base: GradientChecker.name, label: #"\text{variable}"#, offset: 0)
        if binding.local && binding.isLoss {
            throw FormulaError("a local function is a map over \(binding.elements.joined(separator: ", ")), not the loss", hint: "isLoss: false")
        }
        var checked = 0
        for probe in try loss.probes() {
            // As written: without the `= …` definitions that replace a name (`w = h\tan\theta` would
            // make θ = arctan(w/h) circular there).
            var asWrittenBinding = binding.value
            asWrittenBinding.symbols.removeAll { entry in
                entry.source.trimmingCharacters(in: .whitespaces).hasPrefix("=") && binding.replacing.contains(entry.symbol.filter { !$0.isWhitespace })
            }
            let (plain, bindings) = try FormulaChecker.bind(formula: formulas, binding: asWrittenBinding, loss: loss, probe: probe, macros: macros)
            let extents = try binding.elements.map { axis -> Int in
                guard let extent = plain.extents[axis] else { throw FormulaError("the variable's index \(axis) is the axis of no bound array") }
                return extent
            }
            let count = extents.reduce(1, *)
            let averaged = try binding.averagedOver.reduce(1.0) { product, axis in
                guard let extent = plain.extents[axis] else { throw FormulaError("the function averages over \(axis), the axis of no bound array") }
                return product * Double(extent)
            }
            func scope(_ flat: Int) -> Evaluator.Scope {
                var scope: Evaluator.Scope = [:], rest = flat
                for (axis, extent) in zip(binding.elements, extents).reversed() {
                    scope[axis] = Double(rest % extent + 1)
                    rest /= extent
                }
                return scope
            }
            let base = try (0..<count).map { try plain.evaluate(written ?? .symbol(variable), scope: scope($0)) }
            func report(_ what: String, _ value: Double, _ expected: Double) -> FormulaChecker.Report {
                var labelled = probe
                labelled.label += ", \(what)"
                return .init(checked: checked, disagreement: .init(loss: loss.id, probe: labelled, formulaValue: value,
                                                                   libraryValue: expected, bindings: bindings, alternative: 0))
            }
            // The variable's own `= …` definition, if the binding gives it (A in words), is not read either.
            var given = binding.value
            given.symbols.removeAll { $0.symbol.filter { !$0.isWhitespace } == binding.variable.filter { !$0.isWhitespace } }
            var (moved, _) = try FormulaChecker.bind(formula: formulas, binding: given, loss: loss, probe: probe, macros: macros,
                                                     replacing: Set(binding.replacing + (written == nil ? [variable.fullName] : [])))
            if let written {
                let (system, replaced) = moved.system.substituting(written, with: .symbol(variable))
                guard replaced > 0 else {
                    throw FormulaError("the variable '\(binding.variable)' is written nowhere in the formulas",
                                       hint: "write it as they do, or name a symbol they define")
                }
                moved.system = system
            }
            // Stored by stem when its subscripts are the elements (`P_{n,c,i}`), else by full name (`T_{prec}`).
            let indexedByElements = variable.subscriptText.map { Set($0.split(separator: ",").map(String.init)) == Set(binding.elements) } ?? true
            let key = indexedByElements ? variable.stem : variable.fullName
            func function(_ values: [Double]) throws -> Double {
                moved.values[key] = .array(try BoundArray(axes: binding.elements, extents: extents, values: values))
                return try value(of: moved, binding)
            }
            /// A local function at the element `flat`, the variable there `v`. A variable read by one
            /// name (`\mu_x`, an expression's) is given in the scope (read before any bound value),
            /// so the evaluator's memo keeps what does not read it (the windowed moments of the other
            /// images) from one element and step to the next; one bound by its stem (`p_{n,c,i}`, read
            /// as `p` or `p_i` too) is set in its array, and the memo starts over.
            func local(_ flat: Int, _ v: Double) throws -> Double {
                var inner = scope(flat)
                if indexedByElements && written == nil {
                    var values = base
                    values[flat] = v
                    moved.values[key] = .array(try BoundArray(axes: binding.elements, extents: extents, values: values))
                } else {
                    inner[variable.fullName] = v
                }
                return try value(of: moved, binding, at: inner)
            }
            if binding.local {
                let asWritten = try (0..<count).map { try value(of: plain, binding, at: scope($0)) }
                moved.values[key] = .array(try BoundArray(axes: binding.elements, extents: extents, values: base))
                for flat in 0..<count {
                    let atBase = try local(flat, base[flat])
                    checked += 1
                    guard FormulaChecker.agree(atBase, asWritten[flat]) else {
                        let at = binding.elements.map { "\($0)=\(Int(scope(flat)[$0]!))" }.joined(separator: ", ")
                        return report("the function at (\(at)) with \(binding.variable) given and \(binding.replacing) replaced",
                                      atBase, asWritten[flat])
                    }
                }
            } else {
                let asWritten = try value(of: plain, binding), atBase = try function(base)
                checked += 1
                guard FormulaChecker.agree(atBase, asWritten) else {
                    return report("the function with \(binding.variable) given and \(binding.replacing) replaced, at the probe", atBase, asWritten)
                }
                if binding.isLoss {
                    let library = try loss.value(on: probe)
                    guard FormulaChecker.agree(atBase, library) else { return report("the value formula against the library", atBase, library) }
                }
            }
            guard let derivative = moved.system.definition(named: GradientChecker.name)
                ?? moved.system.definitions.values.first(where: { $0.name.hasPrefix(GradientChecker.name) }) else {
                throw FormulaError("the partial's equation could not be read")
            }
            // The partial at every element first, while the evaluator's memo holds the function at
            // the probe (`function(base)` above): evaluated after each perturbation instead, every
            // element recomputed what the others share (the Hausdorff erosion loss's K erosions of the
            // whole grid), most of an uncached `check --formulas`.
            let partials = try (0..<count).map { try moved.evaluate(derivative.body, scope: scope($0)) }
            for flat in 0..<count {
                let h = binding.step * max(1, abs(base[flat]))
                var up = base, down = base
                up[flat] += h
                down[flat] -= h
                let difference = binding.local ? (try local(flat, up[flat]) - local(flat, down[flat])) / (2 * h) * averaged
                    : (try function(up) - function(down)) / (2 * h) * averaged
                let value = partials[flat]
                checked += 1
                if !agree(value, difference) {
                    let at = binding.elements.map { "\($0)=\(Int(scope(flat)[$0]!))" }.joined(separator: ", ")
                    return report("partial at (\(at)) against the central difference", value, difference)
                }
            }
        }
        return .init(checked: checked, disagreement: nil)
    }

    /// The function, reduced as the binding says, or (a local one) at the element in `scope`.
    private static func value(of evaluator: Evaluator, _ binding: PartialBinding, at scope: Evaluator.Scope? = nil) throws -> Double {
        guard let name = binding.function ?? evaluator.system.mainName, let definition = evaluator.system.definition(named: name) else {
            throw FormulaError("the formulas define no '\(binding.function ?? "")'", hint: "defined: \(evaluator.system.order.joined(separator: ", "))")
        }
        if let scope { return try evaluator.evaluate(definition.body, scope: scope) }
        return try FormulaChecker.reduce(definition.body, definition: definition, evaluator: evaluator, reduction: binding.value.reduction)
    }
}
