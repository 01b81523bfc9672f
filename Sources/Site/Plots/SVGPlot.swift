import Foundation

// Static line plots as inline SVG: no JavaScript, no fonts, no network. Text, axes and grid use
// `currentColor`, so they follow the page in light and dark mode; series colours come from a
// colour-blind-friendly palette (Okabe–Ito) with a lighter variant under
// `prefers-color-scheme: dark`, and every series also has its own dash pattern for greyscale.

/// One line of a plot.
public struct PlotSeries: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    public var label: String
    /// In drawing order. A point whose x or y is not finite breaks the line.
    public var points: [Point]

    public init(label: String, points: [Point]) {
        self.label = label
        self.points = points
    }

    public init(label: String, points: [(x: Double, y: Double)]) {
        self.init(label: label, points: points.map { Point(x: $0.x, y: $0.y) })
    }

    /// `f` sampled at `xs`.
    public init(label: String, xs: [Double], _ f: (Double) -> Double) {
        self.init(label: label, points: xs.map { Point(x: $0, y: f($0)) })
    }
}

/// A line plot with axes, 1-2-5 ticks, grid, legend and an accessible title and description.
public struct SVGPlot: Sendable {
    /// Accessible name: the SVG's `<title>` (shown as a tooltip, not drawn).
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [PlotSeries]
    /// The y axis shown; lines are clipped to it. `nil`: from the finite data, widened to ticks.
    public var yRange: ClosedRange<Double>?
    public var width = 640
    public var height = 400
    /// Language of the generated `<desc>`: "zh…" gives Chinese, anything else English.
    public var language = "en"

    public init(title: String, xLabel: String, yLabel: String, series: [PlotSeries], yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
    }

    // MARK: Style

    static let fontSize = 12.0
    static let labelFontSize = 13.0
    static let lineWidth = 2.0
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

    // MARK: Render

    /// An `<svg>` element (no XML prolog). `idPrefix` names its ids and scopes its style: use a
    /// different one for every plot of a page.
    public func render(idPrefix: String) -> String {
        let p = SVGText.identifier(idPrefix, fallback: "plot")
        let w = Double(max(width, 160)), h = Double(max(height, 120))
        let fs = Self.fontSize

        // Data extent (finite points only).
        var xs: [Double] = [], ys: [Double] = []
        var hasBreaks = false
        for s in series {
            for pt in s.points {
                if pt.x.isFinite && pt.y.isFinite {
                    xs.append(pt.x)
                    ys.append(pt.y)
                } else {
                    hasBreaks = true
                }
            }
        }
        let dataX = xs.isEmpty ? nil : (xs.min()!, xs.max()!)
        let dataY = ys.isEmpty ? nil : (ys.min()!, ys.max()!)

        // Legend: entries flow left to right, wrapping.
        let legendNames = series.enumerated().map { i, s in s.label.isEmpty ? "series \(i + 1)" : s.label }
        let pad = 8.0
        let swatch = 22.0, swatchGap = 6.0, entryGap = 16.0, legendRow = 18.0

        // Y ticks depend on the plot height, which depends on the legend height, which depends
        // on the left margin, which depends on the y tick labels: settle it in two passes.
        var left = 60.0
        var layout: (top: Double, rows: [[(Int, Double)]]) = (pad, [])
        var yScale = NiceScale(lo: 0, hi: 1, target: 5, fixed: false)
        for _ in 0..<2 {
            layout = Self.legendLayout(names: legendNames, x0: left, maxX: w - pad, fs: fs, swatch: swatch,
                                       swatchGap: swatchGap, entryGap: entryGap)
            let top = pad + Double(layout.rows.count) * legendRow + (layout.rows.isEmpty ? 4 : 10)
            let bottom = h - pad - (xLabel.isEmpty ? 0 : Self.labelFontSize + 6) - fs - 8
            let plotH = max(bottom - top, 40)
            yScale = Self.scale(range: yRange, data: dataY, target: max(2, Int(plotH / 48)))
            let yLabelW = yScale.ticks.map { SVGText.estimatedWidth(yScale.label($0), fontSize: fs) }.max() ?? 0
            left = pad + (yLabel.isEmpty ? 0 : Self.labelFontSize + 8) + yLabelW + 8
            layout.top = top
        }
        let top = layout.top
        let bottom = h - pad - (xLabel.isEmpty ? 0 : Self.labelFontSize + 6) - fs - 8
        // Room on the right for half of the last x tick label.
        var right = w - pad - 12
        var xScale = NiceScale(lo: 0, hi: 1, target: 5, fixed: false)
        for target in stride(from: max(2, Int((right - left) / 70)), through: 2, by: -1) {
            xScale = Self.scale(range: nil, data: dataX, target: target)
            let widest = xScale.ticks.map { SVGText.estimatedWidth(xScale.label($0), fontSize: fs) }.max() ?? 0
            right = w - pad - max(widest / 2, 4)
            if Double(xScale.ticks.count) * (widest + 12) <= right - left { break }
        }
        let plot = Rect(x: left, y: top, w: max(right - left, 20), h: max(bottom - top, 20))
        func px(_ x: Double) -> Double { plot.x + (x - xScale.lo) / (xScale.hi - xScale.lo) * plot.w }
        func py(_ y: Double) -> Double { plot.y + plot.h - (y - yScale.lo) / (yScale.hi - yScale.lo) * plot.h }

        let offScale = dataY.map { $0.0 < yScale.lo || $0.1 > yScale.hi } ?? false
        let clip = yRange != nil || offScale

        var out = ""
        out.reserveCapacity(8_192)
        let n = SVGText.number
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lb-plot \(p)\" viewBox=\"0 0 \(n(w)) \(n(h))\""
        out += " width=\"100%\" style=\"max-width:\(n(w))px;height:auto;font-family:inherit;font-size:\(n(fs))px\""
        out += " role=\"img\" aria-labelledby=\"\(p)-title\" aria-describedby=\"\(p)-desc\">\n"
        out += "<title id=\"\(p)-title\">\(SVGText.escape(title))</title>\n"
        out += "<desc id=\"\(p)-desc\">\(SVGText.escape(description(x: dataX, y: dataY, names: legendNames, breaks: hasBreaks)))</desc>\n"
        out += style(p)
        if clip {
            // Half a line width of slack, so that a line along the axis is not cut in half.
            let m = Self.lineWidth / 2
            out += "<defs><clipPath id=\"\(p)-clip\"><rect x=\"\(n(plot.x - m))\" y=\"\(n(plot.y - m))\" width=\"\(n(plot.w + 2 * m))\" height=\"\(n(plot.h + 2 * m))\"/></clipPath></defs>\n"
        }

        // Grid.
        out += "<g class=\"lb-grid\" stroke=\"currentColor\" stroke-opacity=\"0.13\" stroke-width=\"1\">"
        for t in xScale.ticks where t != xScale.lo {
            out += "<line x1=\"\(n(px(t)))\" y1=\"\(n(plot.y))\" x2=\"\(n(px(t)))\" y2=\"\(n(plot.y + plot.h))\"/>"
        }
        let zeroLine = yScale.lo < 0 && yScale.hi > 0
        for t in yScale.ticks where t != yScale.lo {
            if t == 0 && zeroLine { continue }
            out += "<line x1=\"\(n(plot.x))\" y1=\"\(n(py(t)))\" x2=\"\(n(plot.x + plot.w))\" y2=\"\(n(py(t)))\"/>"
        }
        out += "</g>\n"
        if zeroLine {
            out += "<line class=\"lb-zero\" x1=\"\(n(plot.x))\" y1=\"\(n(py(0)))\" x2=\"\(n(plot.x + plot.w))\" y2=\"\(n(py(0)))\" stroke=\"currentColor\" stroke-opacity=\"0.4\" stroke-width=\"1\"/>\n"
        }

        // Axes and ticks.
        out += "<g class=\"lb-axis\" stroke=\"currentColor\" stroke-opacity=\"0.65\" stroke-width=\"1\" fill=\"none\">"
        out += "<path d=\"M\(n(plot.x)) \(n(plot.y))V\(n(plot.y + plot.h))H\(n(plot.x + plot.w))\"/>"
        var ticksPath = ""
        for t in xScale.ticks { ticksPath += "M\(n(px(t))) \(n(plot.y + plot.h))v4" }
        for t in yScale.ticks { ticksPath += "M\(n(plot.x)) \(n(py(t)))h-4" }
        out += "<path d=\"\(ticksPath)\"/></g>\n"
        out += "<g class=\"lb-ticks\" fill=\"currentColor\">"
        out += "<g class=\"lb-xticks\" text-anchor=\"middle\">"
        for t in xScale.ticks {
            out += "<text x=\"\(n(px(t)))\" y=\"\(n(plot.y + plot.h + 6 + fs * 0.9))\">\(SVGText.escape(xScale.label(t)))</text>"
        }
        out += "</g><g class=\"lb-yticks\" text-anchor=\"end\">"
        for t in yScale.ticks {
            out += "<text x=\"\(n(plot.x - 7))\" y=\"\(n(py(t) + fs * 0.35))\">\(SVGText.escape(yScale.label(t)))</text>"
        }
        out += "</g></g>\n"

        // Axis labels.
        let lf = Self.labelFontSize
        if !xLabel.isEmpty {
            out += "<text class=\"lb-xlabel\" x=\"\(n(plot.x + plot.w / 2))\" y=\"\(n(h - pad - 2))\" text-anchor=\"middle\" fill=\"currentColor\" font-size=\"\(n(lf))\">\(SVGText.escape(xLabel))</text>\n"
        }
        if !yLabel.isEmpty {
            let cx = pad + lf * 0.8, cy = plot.y + plot.h / 2
            out += "<text class=\"lb-ylabel\" transform=\"translate(\(n(cx)) \(n(cy))) rotate(-90)\" text-anchor=\"middle\" fill=\"currentColor\" font-size=\"\(n(lf))\">\(SVGText.escape(yLabel))</text>\n"
        }

        // Lines.
        let band = (lo: yScale.lo - (yScale.hi - yScale.lo), hi: yScale.hi + (yScale.hi - yScale.lo))
        out += "<g class=\"lb-lines\" fill=\"none\" stroke-width=\"\(n(Self.lineWidth))\" stroke-linejoin=\"round\"\(clip ? " clip-path=\"url(#\(p)-clip)\"" : "")>\n"
        for (i, s) in series.enumerated() {
            let look = Self.look(i)
            out += "<g class=\"lb-series lb-s\(look.color)\"\(Self.strokeAttributes(look))>"
            for run in Self.runs(s.points) {
                let pts = Self.clipToBand(run, lo: band.lo, hi: band.hi)
                var coords: [String] = []
                var last = ""
                for q in pts {
                    let c = "\(n(px(q.x))),\(n(py(q.y)))"
                    if c != last { coords.append(c) }
                    last = c
                }
                if run.count == 1 {
                    // A lone defined point between undefined ones: a dot, so it is not lost.
                    let q = run[0]
                    if q.y >= yScale.lo && q.y <= yScale.hi {
                        out += "<path class=\"lb-dot\" d=\"M\(n(px(q.x))) \(n(py(q.y)))h0\" stroke-width=\"5\" stroke-linecap=\"round\" stroke-dasharray=\"none\"/>"
                    }
                } else {
                    out += "<polyline points=\"\(coords.joined(separator: " "))\"/>"
                }
            }
            out += "</g>\n"
        }
        out += "</g>\n"

        // Legend.
        if !layout.rows.isEmpty {
            out += "<g class=\"lb-legend\" fill=\"currentColor\">\n"
            for (r, row) in layout.rows.enumerated() {
                let y = pad + Double(r) * legendRow + legendRow / 2
                for (i, x) in row {
                    let look = Self.look(i)
                    out += "<g class=\"lb-key\"><line class=\"lb-s\(look.color)\" x1=\"\(n(x))\" y1=\"\(n(y))\" x2=\"\(n(x + swatch))\" y2=\"\(n(y))\" stroke-width=\"\(n(Self.lineWidth + 0.5))\"\(Self.strokeAttributes(look))/>"
                    out += "<text x=\"\(n(x + swatch + swatchGap))\" y=\"\(n(y + fs * 0.35))\">\(SVGText.escape(legendNames[i]))</text></g>\n"
                }
            }
            out += "</g>\n"
        }
        out += "</svg>"
        return out
    }

    static func strokeAttributes(_ look: (color: Int, dash: Int)) -> String {
        var s = " stroke=\"\(lightColors[look.color])\""
        if !dashes[look.dash].isEmpty { s += " stroke-dasharray=\"\(dashes[look.dash])\"" }
        return s
    }

    /// Scoped CSS: the series colours for a dark page (the light ones are presentation attributes,
    /// so the SVG still reads where `<style>` is stripped).
    func style(_ p: String) -> String {
        var css = "<style>"
        css += ".\(p) text{font-family:inherit}"
        var dark = ""
        for (i, c) in Self.darkColors.enumerated() where c != Self.lightColors[i] {
            dark += ".\(p) .lb-s\(i){stroke:\(c)}"
        }
        if !dark.isEmpty { css += "@media (prefers-color-scheme: dark){\(dark)}" }
        css += "</style>\n"
        return css
    }

    /// Entries as rows of (series index, x); a row is full when the next entry would pass `maxX`.
    static func legendLayout(names: [String], x0: Double, maxX: Double, fs: Double, swatch: Double,
                             swatchGap: Double, entryGap: Double) -> (top: Double, rows: [[(Int, Double)]]) {
        var rows: [[(Int, Double)]] = []
        var row: [(Int, Double)] = []
        var x = x0
        for (i, name) in names.enumerated() {
            let wEntry = swatch + swatchGap + SVGText.estimatedWidth(name, fontSize: fs)
            if !row.isEmpty && x + wEntry > maxX {
                rows.append(row)
                row = []
                x = x0
            }
            row.append((i, x))
            x += wEntry + entryGap
        }
        if !row.isEmpty { rows.append(row) }
        return (0, rows)
    }

    /// The axis: `range` as given (ticks inside it), or the data widened to the nearest ticks.
    static func scale(range: ClosedRange<Double>?, data: (Double, Double)?, target: Int) -> NiceScale {
        if let r = range, r.lowerBound.isFinite, r.upperBound.isFinite, r.upperBound > r.lowerBound {
            return NiceScale(lo: r.lowerBound, hi: r.upperBound, target: target, fixed: true)
        }
        guard let (lo, hi) = data else { return NiceScale(lo: 0, hi: 1, target: target, fixed: false) }
        if hi > lo { return NiceScale(lo: lo, hi: hi, target: target, fixed: false) }
        let half = lo == 0 ? 1 : abs(lo) * 0.1
        return NiceScale(lo: lo - half, hi: hi + half, target: target, fixed: false)
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

    /// "3 series: a, b, c; x from 0 to 1; y from 0 to 2.3."
    func description(x: (Double, Double)?, y: (Double, Double)?, names: [String], breaks: Bool) -> String {
        let f = { SVGText.significant($0, digits: 3) }
        let zh = language.lowercased().hasPrefix("zh")
        var parts: [String] = []
        if zh {
            parts.append("\(names.count) 条曲线：" + names.joined(separator: "，"))
            if let x { parts.append("\(xLabel.isEmpty ? "x" : xLabel) 从 \(f(x.0)) 到 \(f(x.1))") }
            if let y { parts.append("\(yLabel.isEmpty ? "y" : yLabel) 从 \(f(y.0)) 到 \(f(y.1))") }
            if let r = yRange { parts.append("纵轴显示 \(f(r.lowerBound)) 到 \(f(r.upperBound))") }
            if x == nil { parts.append("没有数据") }
            if breaks { parts.append("曲线在无定义处断开") }
            return parts.joined(separator: "；") + "。"
        }
        parts.append("\(names.count) series" + (names.isEmpty ? "" : ": " + names.joined(separator: ", ")))
        if let x { parts.append("\(xLabel.isEmpty ? "x" : xLabel) from \(f(x.0)) to \(f(x.1))") }
        if let y { parts.append("\(yLabel.isEmpty ? "y" : yLabel) from \(f(y.0)) to \(f(y.1))") }
        if let r = yRange { parts.append("y axis shown from \(f(r.lowerBound)) to \(f(r.upperBound))") }
        if x == nil { parts.append("no data") }
        if breaks { parts.append("lines break where a value is undefined") }
        return parts.joined(separator: "; ") + "."
    }
}

struct Rect {
    var x, y, w, h: Double
}

// MARK: - Ticks

/// An axis with ticks at multiples of 1, 2 or 5 × 10^k.
struct NiceScale: Sendable, Equatable {
    /// Axis ends: the given range when `fixed`, else the data widened to the nearest ticks.
    var lo: Double
    var hi: Double
    /// Tick step = mantissa × 10^exponent, mantissa ∈ {1, 2, 5}.
    var mantissa: Int
    var exponent: Int
    var ticks: [Double]

    init(lo: Double, hi: Double, target: Int, fixed: Bool) {
        let span = hi - lo
        let raw = span / Double(max(target, 1))
        var e = Int(floor(log10(raw)))
        let norm = raw / pow(10, Double(e))
        var m: Int
        switch norm {
        case ..<1.5: m = 1
        case ..<3: m = 2
        case ..<7: m = 5
        default: m = 1; e += 1
        }
        mantissa = m
        exponent = e
        let step = Double(m) * pow(10, Double(e))
        let eps = 1e-9
        let iLo = Int(fixed ? ceil(lo / step - eps) : floor(lo / step + eps))
        let iHi = Int(fixed ? floor(hi / step + eps) : ceil(hi / step - eps))
        func value(_ i: Int) -> Double {
            e >= 0 ? Double(i * m) * pow(10, Double(e)) : Double(i * m) / pow(10, Double(-e))
        }
        ticks = iLo <= iHi ? (iLo...iHi).map(value) : []
        if fixed {
            self.lo = lo
            self.hi = hi
        } else {
            self.lo = value(iLo)
            self.hi = value(iHi)
        }
    }

    var step: Double { Double(mantissa) * pow(10, Double(exponent)) }

    /// Tick label with exactly the decimals the step needs; ×10ⁿ notation for very large or
    /// small steps; a real minus sign.
    func label(_ v: Double) -> String {
        if exponent >= 6 || exponent <= -5 {
            if v == 0 { return "0" }
            let e = Int(floor(log10(abs(v)) + 1e-9))
            let mant = v / pow(10, Double(e))
            return SVGText.fixed(mant, decimals: max(0, e - exponent), trim: true) + "×10" + SVGText.superscript(e)
        }
        return SVGText.fixed(v, decimals: max(0, -exponent), trim: false)
    }
}

// MARK: - Text and numbers

enum SVGText {
    /// Text content and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters are not allowed in XML 1.0.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// A valid id / class name from `s`: letters, digits, `-` and `_`, starting with a letter.
    static func identifier(_ s: String, fallback: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            if ch.isASCII, CharacterSet.alphanumerics.contains(ch) || ch == "-" || ch == "_" {
                out.unicodeScalars.append(ch)
            } else {
                out += "-"
            }
        }
        if out.isEmpty { return fallback }
        if let f = out.unicodeScalars.first, !(("a"..."z").contains(f) || ("A"..."Z").contains(f)) {
            out = fallback + "-" + out
        }
        return out
    }

    /// A coordinate: at most two decimals, no trailing zeros, no "-0".
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let c = min(max(v, -1e12), 1e12)
        let r = Int64((c * 100).rounded())
        if r == 0 { return "0" }
        let neg = r < 0
        let a = neg ? -r : r
        var s = String(a / 100)
        let frac = a % 100
        if frac != 0 {
            s += frac % 10 == 0 ? "." + String(frac / 10) : (frac < 10 ? ".0" : ".") + String(frac)
        }
        return neg ? "-" + s : s
    }

    /// `v` with `decimals` decimals, a real minus sign, never "−0".
    static func fixed(_ v: Double, decimals: Int, trim: Bool) -> String {
        var s = String(format: "%.\(min(decimals, 15))f", v)
        if trim, s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s.hasPrefix("-") {
            s.removeFirst()
            if s.allSatisfy({ $0 == "0" || $0 == "." }) { return s }
            return "\u{2212}" + s
        }
        return s
    }

    /// `v` to `digits` significant digits (×10ⁿ beyond 10⁶ and below 10⁻⁴), for prose.
    static func significant(_ v: Double, digits: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v < 0 ? "\u{2212}∞" : "∞") }
        if v == 0 { return "0" }
        var e = Int(floor(log10(abs(v))))
        // Rounding can carry into the next power of ten (9.996 → 10.0).
        let scale = pow(10, Double(digits - 1 - e))
        if abs((v * scale).rounded()) >= pow(10, Double(digits)) { e += 1 }
        if e >= 6 || e < -4 {
            return fixed(v / pow(10, Double(e)), decimals: digits - 1, trim: true) + "×10" + superscript(e)
        }
        return fixed(v, decimals: max(0, digits - 1 - e), trim: true)
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(String(abs(n)).map { digits[Int(String($0))!] })
    }

    /// Rough rendered width of `s` for layout: wide (CJK, fullwidth) characters count one em,
    /// others about 0.6 em.
    static func estimatedWidth(_ s: String, fontSize: Double) -> Double {
        var em = 0.0
        for ch in s {
            guard let u = ch.unicodeScalars.first?.value else { continue }
            switch u {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                em += 1
            case 0x20, 0x2C, 0x2E, 0x3A, 0x3B, 0x69, 0x6A, 0x6C, 0x49, 0x7C, 0x27, 0x21:
                em += 0.3
            default:
                em += 0.6
            }
        }
        return em * fontSize
    }
}
