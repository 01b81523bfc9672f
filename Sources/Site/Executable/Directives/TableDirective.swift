import Foundation
import Losses
import Yams

extension DirectiveExpander {
    // MARK: - loss-table, loss-grad

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

        var header: [Cell] = []
        var rowLabels: [Cell] = []
        var cells: [[Evaluation]] = []
        // How `claims:` name the rows and columns.
        let valueAxis = ClaimTable.Axis.named("value", [["value", "gradient", "grad"]])
        var rowAxis = valueAxis, columnAxis = valueAxis

        func varied(_ id: String, _ variable: ProbeVariable, _ v: Double, _ parameters: [String: ParameterValue]) throws -> Evaluation {
            do {
                return Evaluation(id: id, parameters: parameters, point: try variable.point(id: id, value: v, mask: mask),
                                  variable: (variable, v, mask), origin: spec.maskOrigin(input: vary?.node))
            } catch let error as ProbeError {
                throw spec.error(error.message, at: vary?.node)
            }
        }
        func fixed(_ id: String, _ parameters: [String: ParameterValue], prediction: (label: String, grid: [[Double]])? = nil) throws -> Evaluation {
            guard var mask else { throw spec.error("give 'vary', 'cases' or a 'mask' with a 'prediction'") }
            if let prediction { mask.prediction = prediction.grid }
            do {
                return Evaluation(id: id, parameters: parameters, point: try SegmentationExtrasProbe.adapt(try mask.point(), id: id), variable: nil,
                                  origin: spec.maskOrigin(prediction: prediction?.label))
            } catch let error as ProbeError {
                throw spec.error(error.message, at: spec.node("mask"))
            }
        }

        if let losses {
            if series != nil { throw spec.error("'series' goes with one loss; with 'losses' the rows are the losses", at: spec.node("series")) }
            mentions.formUnion(losses)
            rowAxis = .named("loss", try losses.map { [$0, try name($0)] })
            if let vary { columnAxis = .numeric(vary.variable.rawValue, vary.values) }
            let predictions = vary == nil ? mask?.predictions ?? [] : []
            if !predictions.isEmpty { columnAxis = .named("prediction", predictions.map { [$0.label] }) }
            header = [.text(text("loss"))]
            if let vary {
                header += vary.values.map { .math("\(vary.variable.tex) = \(Self.format($0, digits: 6))") }
            } else if !predictions.isEmpty {
                header += predictions.map { .markdown($0.label) }
            } else {
                header += [.text(gradient ? text("gradient") : text("value"))]
            }
            for id in losses {
                rowLabels.append(try loss(id))
                if let vary {
                    cells.append(try vary.values.map { try varied(id, vary.variable, $0, base) })
                } else if !predictions.isEmpty {
                    cells.append(try predictions.map { try fixed(id, base, prediction: ($0.label, $0.grid)) })
                } else {
                    cells.append([try fixed(id, base)])
                }
            }
        } else {
            let id = try spec.lossID()
            mentions.insert(id)
            let columns: [(label: Cell, parameters: [String: ParameterValue])]
            if let series { columnAxis = .numeric(series.name, series.values) }
            if let series {
                columns = series.values.map { (.math("\(Self.parameterTeX(series.name)) = \(Self.format($0, digits: 6))"), base.merging([series.name: .number($0)]) { $1 }) }
            } else {
                columns = [(gradient ? gradientHeader(vary?.variable) : .text(text("value")), base)]
            }
            if let cases {
                header = [.text(text("case"))] + columns.map(\.label)
                rowAxis = .named("case", cases.map { [$0.label] })
                for testCase in cases {
                    rowLabels.append(.markdown(testCase.label))
                    cells.append(columns.map { column in
                        Evaluation(id: id, parameters: column.parameters.merging(testCase.parameters) { $1 },
                                   point: ProbePoint(input: testCase.input, target: testCase.target, parameters: [:], derivative: []),
                                   variable: nil, origin: testCase.origin)
                    })
                }
                if gradient { return try explicitGradientTable(spec, id: id, cases: cases, base: base, digits: digits, mentions: mentions) }
            } else if let vary {
                header = [.math(vary.variable.tex)] + columns.map(\.label)
                rowAxis = .numeric(vary.variable.rawValue, vary.values)
                for v in vary.values {
                    rowLabels.append(.text(Self.display(v, digits: 6)))
                    cells.append(try columns.map { try varied(id, vary.variable, v, $0.parameters) })
                }
            } else {
                header = [.text(text("case"))] + columns.map(\.label)
                rowLabels = [.text(text("mask"))]
                rowAxis = .named("case", [["mask"]])
                cells = [try columns.map { try fixed(id, $0.parameters) }]
            }
        }

        let values = try cells.map { row in try row.map { try evaluate($0, gradient: gradient, spec: spec, tolerance: tolerance) } }
        let fixes = try checkExpected(spec, values: values, digits: digits, tolerance: tolerance)
        try checkClaims(spec, ClaimTable(rows: rowAxis, columns: columnAxis, values: values), tolerance: gradient ? .gradient : tolerance)
        let table = ResultTable(
            caption: try spec.string("caption"), header: header,
            rows: zip(rowLabels, values).map { label, row in [label] + row.map { .text(Self.display($0, digits: digits)) } },
            rightAligned: true,
            verified: verifiedMark(gradient ? "verified_gradient" : "verified_value", tolerance: gradient ? .gradient : tolerance, ids: mentions))
        return Expansion(output: .table(table), mentions: mentions, fixes: fixes)
    }

    /// Explicit cases in a gradient table: the whole gradient tensor of each case, checked element-wise.
    func explicitGradientTable(_ spec: DirectiveSpec, id: String, cases: [DirectiveSpec.Case], base: [String: ParameterValue],
                               digits: Int, mentions: Set<String>) throws -> Expansion {
        if let claims = spec.node("claims") {
            throw spec.error("claims work on tables of numbers; a gradient table of cases shows vectors", at: claims)
        }
        var rows: [[Cell]] = []
        var values: [[Double]] = []
        for testCase in cases {
            let runner: LossRunner
            do {
                runner = try LossRunner(id: id, parameters: base.merging(testCase.parameters) { $1 })
            } catch let error as LossError {
                throw spec.error(error.description, at: spec.node(for: error, from: testCase.origin))
            }
            do {
                let g: [Double]
                if fix {
                    g = try runner.loss.evaluate(testCase.input, target: testCase.target, gradient: true).gradient?.data.map(Double.init) ?? []
                } else {
                    g = try runner.run(input: testCase.input, target: testCase.target, gradient: true).gradient ?? []
                }
                values.append(g)
                rows.append([.markdown(testCase.label), .text(vector(testCase.input.data.map(Double.init), digits: digits)),
                             .text(vector(g, digits: digits))])
            } catch let error as LossRunner.Disagreement {
                throw spec.error("verification failed: \(error.message)")
            } catch let error as LossError {
                throw spec.error(error.description, at: spec.node(for: error, from: testCase.origin))
            }
        }
        let fixes = try checkExpected(spec, values: values, digits: digits, tolerance: .gradient)
        let table = ResultTable(caption: try spec.string("caption"),
                                header: [.text(text("case")), .text(text("input")), .math("\\partial L / \\partial x")],
                                rows: rows, rightAligned: false, verified: verifiedMark("verified_gradient", tolerance: .gradient, ids: mentions))
        return Expansion(output: .table(table), mentions: mentions, fixes: fixes)
    }

    /// `claims:` — statements over the computed values, each failing at its own line when false
    /// (not checked with `--fix`, which only rewrites `expected:` numbers).
    func checkClaims(_ spec: DirectiveSpec, _ table: ClaimTable, tolerance: LossRunner.Tolerance) throws {
        guard !fix, let node = spec.node("claims") else { return }
        guard let claims = node.sequence, !claims.isEmpty else {
            throw spec.error("'claims' must be a list of statements, e.g. '- decreasing in gamma'", at: node)
        }
        var diagnostics: [Diagnostic] = []
        for claim in claims {
            guard case let .scalar(scalar) = claim else { throw spec.error("a claim is one line of text", at: claim) }
            do {
                try TableClaim(text: scalar.string).check(table, relative: tolerance.relative, absolute: tolerance.absolute)
            } catch let failure as TableClaim.Failure {
                diagnostics.append(spec.error("claim '\(scalar.string)': \(failure.message)", at: claim, hint: failure.hint))
            }
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
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
                    diagnostics.append(Diagnostic(spec.path, line: written.line, column: written.column, stage: .execute,
                                                  "expected \(written.text) but the library computes \(printed)",
                                                  hint: "if the new value is right, run `lossbook build --fix`"))
                }
            }
        }
        guard diagnostics.isEmpty else { throw BuildFailure(diagnostics) }
        return fixes
    }
}
