/// The lines: colours and dashes per series, breaks at undefined points, clipping to the axis.
extension SVGPlot {
    /// Okabe–Ito: blue, vermillion, bluish green, reddish purple, orange (darkened for white), black.
    static let lightColors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#B07800", "currentColor"]
    /// The same hues, lighter where needed, for a dark page.
    static let darkColors = ["#56B4E9", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "currentColor"]
    static let dashes = ["", "8 4", "2 3", "10 3 2 3", "10 3 2 3 2 3", "4 6"]

    /// Colour index (0..<6) and dash index of series `i`; past six series the dashes shift so
    /// that no two of the first 36 look alike.
    static func look(_ i: Int) -> (color: Int, dash: Int) {
        (i % lightColors.count, (i + i / lightColors.count) % dashes.count)
    }

    static func strokeAttributes(_ look: (color: Int, dash: Int)) -> String {
        var s = " stroke=\"\(lightColors[look.color])\""
        if !dashes[look.dash].isEmpty { s += " stroke-dasharray=\"\(dashes[look.dash])\"" }
        return s
    }

    /// One `<g>` per series: a polyline per run of defined points, a dot for a lone one.
    func linesSVG(_ frame: PlotFrame, clipID: String?) -> String {
        let n = SVGText.number
        let yScale = frame.y
        let band = (lo: yScale.lo - (yScale.hi - yScale.lo), hi: yScale.hi + (yScale.hi - yScale.lo))
        var out = "<g class=\"lb-lines\" fill=\"none\" stroke-width=\"\(n(Self.lineWidth))\" stroke-linejoin=\"round\"\(clipID.map { " clip-path=\"url(#\($0))\"" } ?? "")>\n"
        for (i, s) in series.enumerated() {
            let look = Self.look(i)
            out += "<g class=\"lb-series lb-s\(look.color)\"\(Self.strokeAttributes(look))>"
            for run in Self.runs(s.points) {
                let pts = Self.clipToBand(run, lo: band.lo, hi: band.hi)
                var coords: [String] = []
                var last = ""
                for q in pts {
                    let c = "\(n(frame.px(q.x))),\(n(frame.py(q.y)))"
                    if c != last { coords.append(c) }
                    last = c
                }
                if run.count == 1 {
                    // A lone defined point between undefined ones: a dot, so it is not lost.
                    let q = run[0]
                    if q.y >= yScale.lo && q.y <= yScale.hi {
                        out += "<path class=\"lb-dot\" d=\"M\(n(frame.px(q.x))) \(n(frame.py(q.y)))h0\" stroke-width=\"5\" stroke-linecap=\"round\" stroke-dasharray=\"none\"/>"
                    }
                } else {
                    out += "<polyline points=\"\(coords.joined(separator: " "))\"/>"
                }
            }
            out += "</g>\n"
        }
        out += "</g>\n"
        return out
    }

    /// Maximal runs of points with finite x and y.
    static func runs(_ points: [PlotSeries.Point]) -> [[PlotSeries.Point]] {
        var runs: [[PlotSeries.Point]] = []
        var run: [PlotSeries.Point] = []
        for q in points {
            if q.x.isFinite && q.y.isFinite {
                run.append(q)
            } else if !run.isEmpty {
                runs.append(run)
                run = []
            }
        }
        if !run.isEmpty { runs.append(run) }
        return runs
    }

    /// The run with every crossing of `lo` and `hi` added as a point and then every y clamped to
    /// [lo, hi]: inside the band the line is unchanged, outside it runs along the band's edge,
    /// which lies beyond the clip rectangle. Keeps coordinates small whatever the data.
    static func clipToBand(_ run: [PlotSeries.Point], lo: Double, hi: Double) -> [PlotSeries.Point] {
        guard run.contains(where: { $0.y < lo || $0.y > hi }) else { return run }
        var out: [PlotSeries.Point] = []
        for (k, q) in run.enumerated() {
            if k > 0 {
                let a = run[k - 1]
                var crossings: [(t: Double, y: Double)] = []
                for edge in [lo, hi] where (a.y - edge) * (q.y - edge) < 0 {
                    crossings.append(((edge - a.y) / (q.y - a.y), edge))
                }
                for c in crossings.sorted(by: { $0.t < $1.t }) {
                    out.append(.init(x: a.x + c.t * (q.x - a.x), y: c.y))
                }
            }
            out.append(.init(x: q.x, y: min(max(q.y, lo), hi)))
        }
        return out
    }
}
