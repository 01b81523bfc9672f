import Foundation
import Losses
import Yams

extension DirectiveExpander {
    // MARK: - loss-plot

    /// A plot of one or more series over x. `claims:` (as on tables, `TableClaim`) compare its
    /// series at the grid's points: the rows are the series (loss ids and names, or `gamma=2`
    /// for a `series:` parameter), the columns the grid's x values (`for all s`, `at s=0.5`).

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
        // How `claims:` name the series (rows: losses or a parameter's values) and the grid (columns: x).
        var seriesAxis: ClaimTable.Axis
        if let losses = try spec.lossIDs() {
            mentions.formUnion(losses)
            seriesList = try losses.map { (try name($0), $0, base) }
            seriesAxis = .named("loss", try losses.map { [$0, try name($0)] })
        } else {
            let id = try spec.lossID()
            mentions.insert(id)
            seriesAxis = .named("loss", [[id, try name(id)]])
            if let series = try spec.single("series") {
                seriesAxis = .numeric(series.name, series.values)
                seriesList = series.values.map { ("\(Self.parameterUnicode(series.name)) = \(Self.format($0, digits: 6))", id, base.merging([series.name: .number($0)]) { $1 }) }
            } else {
                seriesList = [(try name(id), id, base)]
            }
        }
        var plotted: [PlotSeries] = []
        var values: [[Double]] = []
        for series in seriesList {
            func value(at v: Double, centralDifferences: Bool = true) throws -> Double {
                let evaluation: Evaluation
                do {
                    evaluation = Evaluation(id: series.id, parameters: series.parameters,
                                            point: try x.variable.point(id: series.id, value: v, mask: mask), variable: (x.variable, v, mask),
                                            origin: spec.maskOrigin(input: x.node))
                } catch let error as ProbeError {
                    throw spec.error(error.message, at: x.node)
                }
                return try evaluate(evaluation, gradient: gradient, spec: spec, tolerance: .value, centralDifferences: centralDifferences)
            }
            let pts = try grid.map { PlotSeries.Point(x: $0, y: try value(at: $0)) }
            values.append(pts.map(\.y))
            // Where the plotted function jumps the line breaks. The points that locate a jump are checked
            // against the reference like the rest, but a gradient's jump is a kink of the loss, where
            // central differences straddle it: there the library's gradient is taken as it is.
            plotted.append(PlotSeries(label: series.label, points: try PlotSeries.breakingJumps(pts) { try value(at: $0, centralDifferences: false) }))
        }
        try checkClaims(spec, ClaimTable(rows: seriesAxis, columns: .numeric(x.variable.rawValue, grid), values: values),
                        tolerance: gradient ? .gradient : .value)
        let variableLabel = Self.variableUnicode(x.variable)
        let title = try spec.string("title") ?? (seriesList.count == 1 ? seriesList[0].label : text("plot"))
        let plot = SVGPlot(title: title, xLabel: try spec.string("x_label") ?? variableLabel,
                           yLabel: try spec.string("y_label") ?? (gradient ? "∂L/∂\(variableLabel.split(separator: " ").first ?? "v")" : text("loss")),
                           series: plotted, yRange: yRange)
        let svg = plot.render(idPrefix: "plot-" + BlockOutput.fenceLineToken)
        let html = "<figure class=\"executed plot\">\n\(svg)\n<figcaption>\(escapeHTML(title)) "
            + verifiedMark(gradient ? "verified_gradient" : "verified_value", tolerance: gradient ? .gradient : .value, ids: mentions)
            + "</figcaption>\n</figure>\n"
        return Expansion(output: .figure(html), mentions: mentions, fixes: [])
    }
}
