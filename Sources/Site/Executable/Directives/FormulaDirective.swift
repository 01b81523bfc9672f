import FormulaCheck
import Foundation
import LossFormulas
import Losses

extension DirectiveExpander {
    // MARK: - formula

    /// A note's ```` ```formula ```` block: the TeX, bound to a loss (`check:`, `where:`), evaluated
    /// on the loss's probes and compared with `Losses`; shown with a "checked against the code" mark.
    /// A block with `gradient:` is compared element by element with the library's analytic gradient.
    /// A disagreement or an unreadable formula fails at the formula's `path:line:col`. A block
    /// with `notation:` or `paper:` and a reason instead (`NotationBlock`) is only shown.
    func checkedFormula(_ spec: DirectiveSpec) throws -> Expansion {
        let block: FormulaBlock
        do {
            // `notation:` / `paper:` instead of `check:`: defines no loss, shown without the mark.
            if let notation = try NotationBlock.parse(spec.body) {
                return Expansion(output: .formulas([notation.tex.trimmingCharacters(in: .whitespacesAndNewlines)], marks: [nil]),
                                 mentions: [], fixes: [])
            }
            block = try FormulaBlock.parse(spec.body)
        } catch let error as FormulaError {
            throw formulaError(spec, error, offset: error.offset ?? 0)
        }
        let binding = block.binding
        guard Catalog.ids.contains(binding.loss) else {
            let suggestion = Catalog.closest(to: binding.loss, in: Catalog.ids)
            throw formulaError(spec, FormulaError("unknown loss '\(binding.loss)'",
                                                  hint: suggestion.map { "did you mean '\($0)'?" } ?? "see `lossbook list` for the ids"),
                               offset: block.keyOffsets["check"] ?? 0)
        }
        var checked = 0
        for settings in binding.settings {
            let loss: CatalogLoss
            do {
                loss = try CatalogLoss(id: binding.loss, settings: settings)
            } catch let error as LossError {
                throw formulaError(spec, FormulaError(error.description), offset: block.keyOffsets["params"] ?? block.keyOffsets["check"] ?? 0)
            }
            let report: FormulaChecker.Report
            do {
                if let gradient = block.gradient {
                    report = try GradientChecker.check(formula: [block.tex], binding: gradient, loss: loss, macros: macros)
                } else {
                    report = try FormulaChecker.check(formula: [block.tex], binding: binding, loss: loss, macros: macros)
                }
            } catch let error as FormulaError {
                // An error in the TeX has an offset in it; one about a binding points at `where:`.
                throw formulaError(spec, error, offset: error.offset ?? block.keyOffsets["where"] ?? 0)
            } catch let error as LossError {
                throw formulaError(spec, FormulaError(error.description), offset: firstTeXOffset(block.tex))
            }
            if let d = report.disagreement {
                let setting = settings.isEmpty ? "" : " with " + Self.pairs(settings, separator: ", ")
                let which = block.gradient != nil ? "the gradient formula" : d.alternative == 0 ? "the formula" : "alternative \(d.alternative + 1) of the formula (after its \(d.alternative + 1). '=')"
                var error = formulaError(spec, FormulaError(
                    "\(which) disagrees with '\(binding.loss)'\(setting) on probe \(d.probe.label): the formula gives \(Self.full(d.formulaValue)), "
                        + "Losses computes \(Self.full(d.libraryValue))\(block.gradient != nil ? " (its analytic gradient)" : "")",
                    hint: "fix the formula or its bindings (where:, reduction:), or the loss; --verbose shows the probe"), offset: firstTeXOffset(block.tex))
                error.details = Self.details(d)
                throw error
            }
            checked += report.checked
        }
        let mark = formulaMark(loss: binding.loss, probes: checked, gradient: block.gradient != nil)
        return Expansion(output: .formulas([block.tex.trimmingCharacters(in: .whitespacesAndNewlines)], marks: [mark]),
                         mentions: [binding.loss], fixes: [])
    }

    /// The "checked against the code" line under a bound formula (HTML).
    func formulaMark(loss: String, probes: Int?, gradient: Bool = false) -> String {
        let template = gradient
            ? strings["formula_gradient_checked"] ?? "checked against the code: equals the analytic gradient of {loss} of Losses at {probes} elements of probe inputs within {grtol} relative, {gatol} absolute"
            : probes == nil
            ? strings["formula_checked_catalog"] ?? "checked against the code: every build compares it with {loss} of Losses on probe inputs within {rtol} relative, {atol} absolute"
            : strings["formula_checked"] ?? "checked against the code: equals {loss} of Losses on {probes} probe inputs within {rtol} relative, {atol} absolute"
        let text = template.utf8Replacing("{loss}", with: loss)
            .utf8Replacing("{probes}", with: probes.map(String.init) ?? "")
            .utf8Replacing("{grtol}", with: Self.format(GradientChecker.relativeTolerance, digits: 2))
            .utf8Replacing("{gatol}", with: Self.format(GradientChecker.absoluteTolerance, digits: 2))
            .utf8Replacing("{rtol}", with: Self.format(FormulaChecker.relativeTolerance, digits: 2))
            .utf8Replacing("{atol}", with: Self.format(FormulaChecker.absoluteTolerance, digits: 2))
        return "<p class=\"verified formula-checked\">✓ \(escapeHTML(text))"
            + " · <span class=\"fingerprint\">lossbook \(LossbookVersion.current), Losses sources \(sources.fingerprint.prefix(8))</span></p>"
    }

    /// The error at `offset` characters into the block's body, as `path:line:col`.
    private func formulaError(_ spec: DirectiveSpec, _ error: FormulaError, offset: Int) -> Diagnostic {
        let (line, column) = FormulaBlock.lineAndColumn(of: offset, in: spec.body)
        return Diagnostic(spec.path, line: spec.fenceLine + 1 + line, column: spec.fileColumn(1 + column, line: 1 + line), stage: .execute,
                          "formula: " + error.message, hint: error.hint)
    }

    private func firstTeXOffset(_ tex: String) -> Int {
        Array(tex).firstIndex { !$0.isWhitespace } ?? 0
    }

    /// A disagreement's evidence for `--verbose`: the probe's arrays whole, and what each symbol was bound to.
    static func details(_ d: FormulaChecker.Disagreement) -> [String] {
        ["probe \(d.probe)", "bound: \(d.bindings.joined(separator: ", "))"]
    }

    /// Enough digits to show why two values differ.
    static func full(_ x: Double) -> String { x.isFinite ? String(format: "%.10g", x) : "\(x)" }

    /// `name=value` pairs in name order: a binding's settings in messages, the site's macros in cache keys.
    static func pairs(_ values: [String: String], separator: String) -> String {
        values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: separator)
    }
}
