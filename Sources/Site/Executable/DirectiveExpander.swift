import Foundation
import Losses
import Yams

/// A number `lossbook build --fix` writes back into a note's `expected:` rows.
public struct FixEdit: Sendable, Equatable {
    public var path: String
    public var line: Int
    public var column: Int
    /// The text that stands there now, and what replaces it.
    public var old: String
    public var new: String
}

/// What expanding one executable block gives.
struct Expansion: Sendable {
    /// Markdown (tables, display math, code, raw HTML for plots) rendered in place of the block.
    var markdown: String
    /// Loss ids the block uses (for the reference pages' "mentioned in").
    var mentions: Set<String>
    /// Expected numbers that differ from the computed ones (only with `fix`).
    var fixes: [FixEdit]
}

/// Turns executable blocks (`loss-table`, `loss-grad`, `loss-plot`, `loss-formula`, `loss-code`,
/// `distance-map`) into markdown whose every number was computed by `Losses` and verified
/// against `LossReference`.
struct DirectiveExpander: Sendable {
    let language: String
    let strings: [String: String]
    let sources: LossSources
    /// Collect differing `expected:` numbers as edits instead of failing.
    let fix: Bool

    func expand(_ block: CodeBlockInfo, path: String) throws -> Expansion {
        guard let kind = DirectiveKind.of(block.info) else { throw Diagnostic(path, stage: "directives", "not a directive") }
        let spec = try DirectiveSpec(kind: kind, info: block.info, body: block.code, path: path,
                                     fenceLine: block.line, fenceColumn: block.column)
        switch kind {
        case .table, .grad: return try table(spec, gradient: kind == .grad)
        case .plot: return try plot(spec)
        case .formula: return try formula(spec)
        case .code: return try code(spec)
        case .distanceMap: return try distanceMap(spec)
        }
    }

    /// The fields of a code block a directive needs (keeps this type free of cmark).
    struct CodeBlockInfo: Sendable {
        var info: String
        var code: String
        var line: Int
        var column: Int
    }

    // MARK: - loss-formula, loss-code

    func formula(_ spec: DirectiveSpec) throws -> Expansion {
        let id = try spec.lossID()
        let descriptor = try Catalog.descriptor(for: id)
        let formulas = try spec.bool("all", default: false) ? descriptor.formulas : Array(descriptor.formulas.prefix(1))
        let markdown = formulas.map { "$$\n\($0)\n$$" }.joined(separator: "\n\n")
        return Expansion(markdown: markdown + "\n", mentions: [id], fixes: [])
    }

    func code(_ spec: DirectiveSpec) throws -> Expansion {
        let id = try spec.lossID()
        let excerpt: (path: String, firstLine: Int, lastLine: Int, code: String)
        do {
            excerpt = try sources.excerpt(id: id)
        } catch let error as ProbeError {
            throw spec.error(error.message, hint: "build from the repository root, where Sources/Losses is")
        }
        let caption = "<p class=\"code-source\"><code>\(escapeHTML(excerpt.path))</code>, \(text("lines")) \(excerpt.firstLine)–\(excerpt.lastLine)</p>"
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(excerpt.code) + 1))
        return Expansion(markdown: "\(caption)\n\n\(fence)swift\n\(excerpt.code)\n\(fence)\n", mentions: [id], fixes: [])
    }

    private func longestBacktickRun(_ s: String) -> Int {
        var longest = 0, current = 0
        for c in s { if c == "`" { current += 1; longest = max(longest, current) } else { current = 0 } }
        return longest
    }

    // MARK: - loss-table, loss-grad

    /// One evaluation of a table cell or plot point.
    struct Evaluation {
        var id: String
        var parameters: [String: ParameterValue]
        var point: ProbePoint
        /// The variable and its value, for directional gradients (nil for fixed inputs).
        var variable: (ProbeVariable, Double, Mask?)?
    }

    /// Computes a value (or dL/dv) and verifies it; errors point at the block.
    func evaluate(_ evaluation: Evaluation, gradient: Bool, spec: DirectiveSpec, tolerance: LossRunner.Tolerance) throws -> Double {
        var parameters = evaluation.parameters
        for (key, value) in evaluation.point.parameters { parameters[key] = value }
        let runner: LossRunner
        do {
            runner = try LossRunner(id: evaluation.id, parameters: parameters)
        } catch let error as LossError {
            var node: Yams.Node? = nil
            if case let .unknownParameter(_, name, _) = error { node = spec.parameterNode(name) }
            if case let .invalidParameter(_, name, _) = error { node = spec.parameterNode(name) }
            throw spec.error(error.description, at: node)
        }
        do {
            if fix {
                // `--fix` brings the notes' expected numbers in line with the library; the build that
                // follows verifies the library against its reference as always.
                let output = try runner.loss.evaluate(evaluation.point.input, target: evaluation.point.target, gradient: gradient)
                guard gradient else { return output.value.data.reduce(0.0) { $0 + Double($1) } }
                let g = output.gradient?.data ?? []
                return zip(g, evaluation.point.derivative).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            }
            let result = try runner.run(input: evaluation.point.input, target: evaluation.point.target,
                                        gradient: gradient && evaluation.variable == nil, valueTolerance: tolerance)
            guard gradient else { return result.value }
            guard let (variable, v, mask) = evaluation.variable else {
                throw spec.error("a gradient table needs a varied input ('vary' or 'losses' with 'vary')")
            }
            // dL/dv by the chain rule from the library's analytic gradient…
            let output = try runner.loss.evaluate(evaluation.point.input, target: evaluation.point.target, gradient: true)
            guard let g = output.gradient?.data else { throw spec.error("'\(evaluation.id)' returned no gradient") }
            let analytic = zip(g, evaluation.point.derivative).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            // …checked against central differences of the Float64 reference along v.
            let h = 1e-6 * max(1, abs(v))
            func reference(_ x: Double) throws -> Double {
                let point = try variable.point(id: evaluation.id, value: x, mask: mask)
                return try runner.referenceValue(input: point.input, exactInput: point.exactInput, target: point.target)
            }
            let numeric = (try reference(v + h) - reference(v - h)) / (2 * h)
            guard LossRunner.Tolerance.gradient.accepts(analytic, numeric) else {
                throw LossRunner.Disagreement(message: "'\(evaluation.id)': dL/d\(variable.rawValue) at \(variable.rawValue) = \(v) is \(analytic) "
                                              + "but central differences of the Float64 reference give \(numeric)")
            }
            return analytic
        } catch let error as LossError {
            throw spec.error(error.description)
        } catch let error as LossRunner.Disagreement {
            throw spec.error("verification failed: \(error.message)", hint: "the library and its reference disagree: fix the loss, not the note")
        } catch let error as ProbeError {
            throw spec.error(error.message)
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch {
            throw spec.error("\(error)")
        }
    }

    func table(_ spec: DirectiveSpec, gradient: Bool) throws -> Expansion {
        let digits = try spec.int("digits", default: 4, range: 1...12)
        var tolerance = LossRunner.Tolerance.value
        if let node = spec.node("tolerance") {
            let t = try spec.number(node, "tolerance")
            guard t > 0, t < 1 else { throw spec.error("'tolerance' must lie between 0 and 1", at: node) }
            tolerance.relative = t
        }
        let base = try spec.parameters()
        let mask = try spec.mask()
        let vary = try spec.variable("vary")
        let series = try spec.single("series")
        let losses = try spec.lossIDs()
        let cases = try spec.cases()
        var mentions = Set<String>()

        var header: [String] = []
        var rowLabels: [String] = []
        var cells: [[Evaluation]] = []

        func varied(_ id: String, _ variable: ProbeVariable, _ v: Double, _ parameters: [String: ParameterValue]) throws -> Evaluation {
            do {
                return Evaluation(id: id, parameters: parameters, point: try variable.point(id: id, value: v, mask: mask),
                                  variable: (variable, v, mask))
            } catch let error as ProbeError {
                throw spec.error(error.message, at: vary?.node)
            }
        }
        func fixed(_ id: String, _ parameters: [String: ParameterValue]) throws -> Evaluation {
            guard let mask else { throw spec.error("give 'vary', 'cases' or a 'mask' with a 'prediction'") }
            do {
                return Evaluation(id: id, parameters: parameters, point: try mask.point(), variable: nil)
            } catch let error as ProbeError {
                throw spec.error(error.message, at: spec.node("mask"))
            }
        }

        if let losses {
            if series != nil { throw spec.error("'series' goes with one loss; with 'losses' the rows are the losses", at: spec.node("series")) }
            mentions.formUnion(losses)
            header = [text("loss")]
            if let vary {
                header += vary.values.map { "$\(vary.variable.tex) = \(Self.format($0, digits: 6))$" }
            } else {
                header += [gradient ? text("gradient") : text("value")]
            }
            for id in losses {
                rowLabels.append(try loss(id))
                if let vary {
                    cells.append(try vary.values.map { try varied(id, vary.variable, $0, base) })
                } else {
                    cells.append([try fixed(id, base)])
                }
            }
        } else {
            let id = try spec.lossID()
            mentions.insert(id)
            let columns: [(label: String, parameters: [String: ParameterValue])]
            if let series {
                columns = series.values.map { ("$\(Self.parameterTeX(series.name)) = \(Self.format($0, digits: 6))$", base.merging([series.name: .number($0)]) { $1 }) }
            } else {
                columns = [(gradient ? gradientHeader(vary?.variable) : text("value"), base)]
            }
            if let cases {
                header = [text("case")] + columns.map(\.label)
                for testCase in cases {
                    rowLabels.append(escapeTableCell(testCase.label))
                    cells.append(columns.map { column in
                        Evaluation(id: id, parameters: column.parameters.merging(testCase.parameters) { $1 },
                                   point: ProbePoint(input: testCase.input, target: testCase.target, parameters: [:], derivative: []),
                                   variable: nil)
                    })
                }
                if gradient { return try explicitGradientTable(spec, id: id, cases: cases, base: base, digits: digits, mentions: mentions) }
            } else if let vary {
                header = ["$\(vary.variable.tex)$"] + columns.map(\.label)
                for v in vary.values {
                    rowLabels.append(Self.display(v, digits: 6))
                    cells.append(try columns.map { try varied(id, vary.variable, v, $0.parameters) })
                }
            } else {
                header = [text("case")] + columns.map(\.label)
                rowLabels = [text("mask")]
                cells = [try columns.map { try fixed(id, $0.parameters) }]
            }
        }

        let values = try cells.map { row in try row.map { try evaluate($0, gradient: gradient, spec: spec, tolerance: tolerance) } }
        let fixes = try checkExpected(spec, values: values, digits: digits, tolerance: tolerance)
        var markdown = "<div class=\"executed\">\n\n"
        if let caption = try spec.string("caption") { markdown += "<p class=\"caption\">\(escapeHTML(caption))</p>\n\n" }
        markdown += "| " + header.joined(separator: " | ") + " |\n"
        markdown += "|" + String(repeating: " ---: |", count: header.count) + "\n"
        for (label, row) in zip(rowLabels, values) {
            markdown += "| \(label) | " + row.map { Self.display($0, digits: digits) }.joined(separator: " | ") + " |\n"
        }
        markdown += "\n" + verifiedMark(gradient ? "verified_gradient" : "verified_value", tolerance: gradient ? .gradient : tolerance) + "\n</div>\n"
        return Expansion(markdown: markdown, mentions: mentions, fixes: fixes)
    }

    /// Explicit cases in a gradient table: the whole gradient tensor of each case, checked element-wise.
    func explicitGradientTable(_ spec: DirectiveSpec, id: String, cases: [DirectiveSpec.Case], base: [String: ParameterValue],
                               digits: Int, mentions: Set<String>) throws -> Expansion {
        var markdown = "<div class=\"executed\">\n\n"
        if let caption = try spec.string("caption") { markdown += "<p class=\"caption\">\(escapeHTML(caption))</p>\n\n" }
        markdown += "| \(text("case")) | \(text("input")) | $\\partial L / \\partial x$ |\n| --- | --- | --- |\n"
        var values: [[Double]] = []
        for testCase in cases {
            let runner: LossRunner
            do {
                runner = try LossRunner(id: id, parameters: base.merging(testCase.parameters) { $1 })
            } catch let error as LossError {
                throw spec.error(error.description)
            }
            do {
                let g: [Double]
                if fix {
                    g = try runner.loss.evaluate(testCase.input, target: testCase.target, gradient: true).gradient?.data.map(Double.init) ?? []
                } else {
                    g = try runner.run(input: testCase.input, target: testCase.target, gradient: true).gradient ?? []
                }
                values.append(g)
                markdown += "| \(escapeTableCell(testCase.label)) | \(vector(testCase.input.data.map(Double.init), digits: digits)) | \(vector(g, digits: digits)) |\n"
            } catch let error as LossRunner.Disagreement {
                throw spec.error("verification failed: \(error.message)")
            } catch let error as LossError {
                throw spec.error(error.description)
            }
        }
        let fixes = try checkExpected(spec, values: values, digits: digits, tolerance: .gradient)
        markdown += "\n" + verifiedMark("verified_gradient", tolerance: .gradient) + "\n</div>\n"
        return Expansion(markdown: markdown, mentions: mentions, fixes: fixes)
    }

    private func vector(_ xs: [Double], digits: Int) -> String {
        "[" + xs.map { Self.display($0, digits: digits) }.joined(separator: ", ") + "]"
    }

    /// Doctest: `expected:` rows must match the computed values to the printed precision
    /// (half a unit in the last printed digit) or the block's tolerance, whichever is looser.
    func checkExpected(_ spec: DirectiveSpec, values: [[Double]], digits: Int, tolerance: LossRunner.Tolerance) throws -> [FixEdit] {
        guard let expected = try spec.expected() else { return [] }
        var fixes: [FixEdit] = []
        var diagnostics: [Diagnostic] = []
        guard expected.count == values.count, zip(expected, values).allSatisfy({ $0.count == $1.count }) else {
            let shape = values.map { String($0.count) }.joined(separator: ", ")
            throw spec.error("'expected' must have \(values.count) row(s) of (\(shape)) numbers, like the table",
                             at: spec.node("expected"), hint: fix ? nil : "run `lossbook build --fix` to write them")
        }
        for (row, computedRow) in zip(expected, values) {
            for (written, computed) in zip(row, computedRow) {
                let printed = Self.format(computed, digits: digits)
                let halfUnit = Self.halfUnit(computed, digits: digits)
                let ok = computed.isFinite ? abs(written.value - computed) <= max(halfUnit, tolerance.absolute + tolerance.relative * abs(computed))
                                           : written.value == computed
                if ok { continue }
                if fix {
                    fixes.append(FixEdit(path: spec.path, line: written.line, column: written.column, old: written.text, new: printed))
                } else {
                    diagnostics.append(Diagnostic(spec.path, line: written.line, column: written.column, stage: spec.kind.rawValue,
                                                  "expected \(written.text) but the library computes \(printed)",
                                                  hint: "if the new value is right, run `lossbook build --fix`"))
                }
            }
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
        return fixes
    }

    // MARK: - loss-plot

    func plot(_ spec: DirectiveSpec) throws -> Expansion {
        guard let x = try spec.variable("x") else {
            throw spec.error("loss-plot needs 'x', e.g. 'x: {p: [0.01, 1]}'", hint: "the variable and its range [from, to]")
        }
        guard x.values.count == 2, x.values[0] < x.values[1] else {
            throw spec.error("'x' takes a range [from, to] with from < to", at: x.node)
        }
        let points = try spec.int("points", default: 101, range: 2...2001)
        let yKind = try spec.string("y") ?? "value"
        guard ["value", "gradient"].contains(yKind) else { throw spec.error("'y' is 'value' or 'gradient'", at: spec.node("y")) }
        let gradient = yKind == "gradient"
        let mask = try spec.mask()
        let base = try spec.parameters()
        var yRange: ClosedRange<Double>?
        if let node = spec.node("y_range") {
            let r = try spec.numbers(node, "y_range")
            guard r.count == 2, r[0] < r[1] else { throw spec.error("'y_range' takes [from, to] with from < to", at: node) }
            yRange = r[0]...r[1]
        }
        let grid = (0..<points).map { x.values[0] + (x.values[1] - x.values[0]) * Double($0) / Double(points - 1) }
        var seriesList: [(label: String, id: String, parameters: [String: ParameterValue])] = []
        var mentions = Set<String>()
        if let losses = try spec.lossIDs() {
            mentions.formUnion(losses)
            seriesList = try losses.map { (try Catalog.descriptor(for: $0).name[language], $0, base) }
        } else {
            let id = try spec.lossID()
            mentions.insert(id)
            if let series = try spec.single("series") {
                seriesList = series.values.map { ("\(Self.parameterUnicode(series.name)) = \(Self.format($0, digits: 6))", id, base.merging([series.name: .number($0)]) { $1 }) }
            } else {
                seriesList = [(try Catalog.descriptor(for: id).name[language], id, base)]
            }
        }
        var plotted: [PlotSeries] = []
        for series in seriesList {
            var pts: [PlotSeries.Point] = []
            for v in grid {
                let evaluation: Evaluation
                do {
                    evaluation = Evaluation(id: series.id, parameters: series.parameters,
                                            point: try x.variable.point(id: series.id, value: v, mask: mask), variable: (x.variable, v, mask))
                } catch let error as ProbeError {
                    throw spec.error(error.message, at: x.node)
                }
                pts.append(PlotSeries.Point(x: v, y: try evaluate(evaluation, gradient: gradient, spec: spec, tolerance: .value)))
            }
            plotted.append(PlotSeries(label: series.label, points: pts))
        }
        let variableLabel = Self.variableUnicode(x.variable)
        let title = try spec.string("title") ?? (seriesList.count == 1 ? seriesList[0].label : text("plot"))
        let plot = SVGPlot(title: title, xLabel: try spec.string("x_label") ?? variableLabel,
                           yLabel: try spec.string("y_label") ?? (gradient ? "∂L/∂\(variableLabel.split(separator: " ").first ?? "v")" : text("loss")),
                           series: plotted, yRange: yRange)
        let id = "plot-\(spec.fenceLine)"
        let svg = plot.render(idPrefix: id)
        let markdown = "<figure class=\"executed plot\">\n\(svg)\n<figcaption>\(escapeHTML(title)) · "
            + verifiedText(gradient ? "verified_gradient" : "verified_value", tolerance: gradient ? .gradient : .value)
            + "</figcaption>\n</figure>\n"
        return Expansion(markdown: markdown, mentions: mentions, fixes: [])
    }

    // MARK: - distance-map

    func distanceMap(_ spec: DirectiveSpec) throws -> Expansion {
        guard let mask = try spec.mask() else { throw spec.error("distance-map needs a 'mask' grid") }
        let kind = try spec.string("kind") ?? "edt"
        let shape = [mask.rows, mask.columns]
        let bits = mask.target.flatMap { $0 }.map { $0 > 0.5 }
        var spacing: [Double]?
        if let node = spec.node("spacing") { spacing = try spec.numbers(node, "spacing") }
        let values: [Double]
        do {
            switch kind {
            case "edt": values = try DistanceTransform.euclidean(bits, shape: shape, spacing: spacing)
            case "signed": values = try DistanceTransform.signedBoundaryMap(bits, shape: shape, spacing: spacing)
            case "karimi": values = try DistanceTransform.boundaryDistanceMap(bits, shape: shape, spacing: spacing)
            default: throw spec.error("unknown kind '\(kind)'", at: spec.node("kind"), hint: "one of edt, signed, karimi")
            }
        } catch let error as LossError {
            throw spec.error(error.description, at: spec.node("spacing"))
        }
        let rows = (0..<mask.rows).map { r in Array(values[(r * mask.columns)..<((r + 1) * mask.columns)]) }
        let title = try spec.string("title") ?? kind
        let heatmap = SVGHeatmap(title: title, values: rows, labels: try spec.bool("labels", default: mask.rows * mask.columns <= 144))
        let markdown = "<figure class=\"executed heatmap\">\n\(heatmap.render(idPrefix: "map-\(spec.fenceLine)"))\n<figcaption>\(escapeHTML(title))</figcaption>\n</figure>\n"
        return Expansion(markdown: markdown, mentions: [], fixes: [])
    }

    // MARK: - Text

    func text(_ key: String) -> String { strings[key] ?? key }

    func loss(_ id: String) throws -> String {
        let name = try Catalog.descriptor(for: id).name[language]
        return "[\(escapeTableCell(name))](ref:\(id))"
    }

    func gradientHeader(_ variable: ProbeVariable?) -> String {
        guard let variable else { return "$\\partial L / \\partial x$" }
        let symbol: String
        switch variable {
        case .r: symbol = "\\hat y"
        case .m: symbol = "f"
        case .p: symbol = "p_t"
        case .z: symbol = "z_t"
        case .w: symbol = "w"
        case .s: symbol = "s"
        case .q: symbol = "q"
        case .a: symbol = "a"
        case .x: symbol = "x"
        }
        return "$\\partial L / \\partial \(symbol)$"
    }

    func verifiedText(_ key: String, tolerance: LossRunner.Tolerance) -> String {
        let template = text(key)
        return escapeHTML(template.replacingOccurrences(of: "{rtol}", with: Self.format(tolerance.relative, digits: 2))
            .replacingOccurrences(of: "{atol}", with: Self.format(tolerance.absolute, digits: 2)))
            + " · <span class=\"fingerprint\">lossbook \(LossbookVersion.current), Losses sources \(sources.fingerprint.prefix(8))</span>"
    }

    func verifiedMark(_ key: String, tolerance: LossRunner.Tolerance) -> String {
        "<p class=\"verified\">✓ \(verifiedText(key, tolerance: tolerance))</p>"
    }

    func escapeTableCell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    // MARK: - Numbers

    /// `digits` significant digits, without float noise (`0.1054`, `2.5e-07`).
    static func format(_ x: Double, digits: Int) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        var s = String(format: "%.\(digits)g", x)
        if s.contains("e") {
            let parts = s.split(separator: "e")
            var mantissa = String(parts[0])
            if mantissa.contains(".") {
                while mantissa.hasSuffix("0") { mantissa.removeLast() }
                if mantissa.hasSuffix(".") { mantissa.removeLast() }
            }
            var exponent = String(parts[1])
            let negative = exponent.hasPrefix("-")
            exponent = String(exponent.drop(while: { $0 == "+" || $0 == "-" || $0 == "0" }))
            s = mantissa + "e" + (negative ? "-" : "") + (exponent.isEmpty ? "0" : exponent)
        } else if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// As `format`, with a real minus sign and ∞ for display.
    static func display(_ x: Double, digits: Int) -> String {
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        return format(x, digits: digits).replacingOccurrences(of: "-", with: "−")
    }

    static func halfUnit(_ x: Double, digits: Int) -> Double {
        guard x.isFinite, x != 0 else { return 0.5 * pow(10, -Double(digits)) }
        let exponent = floor(log10(abs(x)))
        return 0.5 * pow(10, exponent - Double(digits - 1))
    }

    static let greek = ["alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "lambda": "λ"]

    static func parameterTeX(_ name: String) -> String {
        greek[name] != nil ? "\\\(name)" : "\\texttt{\(name.replacingOccurrences(of: "_", with: "\\_"))}"
    }

    static func parameterUnicode(_ name: String) -> String { greek[name] ?? name }

    static func variableUnicode(_ variable: ProbeVariable) -> String {
        switch variable {
        case .r: return "r = ŷ − y"
        case .m: return "m = y·f"
        case .p: return "pₜ"
        case .z: return "zₜ"
        case .w: return "w"
        case .s: return "s"
        case .q: return "q"
        case .a: return "a"
        case .x: return "x"
        }
    }
}
