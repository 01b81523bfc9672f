import Foundation

// Static line plots as inline SVG: no JavaScript, no fonts, no network. Text, axes and grid use
// `currentColor`, so they follow the page in light and dark mode; series colours come from a
// colour-blind-friendly palette (Okabe–Ito) with a lighter variant under
// `prefers-color-scheme: dark`, and every series also has its own dash pattern for greyscale.
//
// The document is assembled here; its parts live beside it: `SVGPlot+Axes.swift` (grid, axes,
// ticks, axis labels), `SVGPlot+Series.swift` (the lines), `SVGPlot+Legend.swift`,
// `NiceScale.swift` (1-2-5 ticks) and `SVGText.swift` (numbers and text).

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
    /// Space between the drawing and the edge of the SVG.
    static let pad = 8.0

    // MARK: Render

    /// An `<svg>` element (no XML prolog). `idPrefix` names its ids and scopes its style: use a
    /// different one for every plot of a page.
    public func render(idPrefix: String) -> String {
        let p = SVGText.identifier(idPrefix, fallback: "plot")
        let w = Double(max(width, 160)), h = Double(max(height, 120))
        let fs = Self.fontSize
        let pad = Self.pad

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

        let legendNames = series.enumerated().map { i, s in s.label.isEmpty ? "series \(i + 1)" : s.label }

        // Y ticks depend on the plot height, which depends on the legend height, which depends
        // on the left margin, which depends on the y tick labels: settle it in two passes.
        var left = 60.0
        var layout: (top: Double, rows: [[(Int, Double)]]) = (pad, [])
        var yScale = NiceScale(lo: 0, hi: 1, target: 5, fixed: false)
        for _ in 0..<2 {
            layout = Self.legendLayout(names: legendNames, x0: left, maxX: w - pad, fs: fs, swatch: Self.swatch,
                                       swatchGap: Self.swatchGap, entryGap: Self.entryGap)
            let top = pad + Double(layout.rows.count) * Self.legendRow + (layout.rows.isEmpty ? 4 : 10)
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
        let frame = PlotFrame(plot: Rect(x: left, y: top, w: max(right - left, 20), h: max(bottom - top, 20)), x: xScale, y: yScale)

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
            let plot = frame.plot
            out += "<defs><clipPath id=\"\(p)-clip\"><rect x=\"\(n(plot.x - m))\" y=\"\(n(plot.y - m))\" width=\"\(n(plot.w + 2 * m))\" height=\"\(n(plot.h + 2 * m))\"/></clipPath></defs>\n"
        }
        out += gridSVG(frame)
        out += axesSVG(frame)
        out += axisLabelsSVG(frame, height: h)
        out += linesSVG(frame, clipID: clip ? "\(p)-clip" : nil)
        out += legendSVG(layout.rows, names: legendNames)
        out += "</svg>"
        return out
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
            if breaks { parts.append("曲线在无定义或跳变处断开") }
            return parts.joined(separator: "；") + "。"
        }
        parts.append("\(names.count) series" + (names.isEmpty ? "" : ": " + names.joined(separator: ", ")))
        if let x { parts.append("\(xLabel.isEmpty ? "x" : xLabel) from \(f(x.0)) to \(f(x.1))") }
        if let y { parts.append("\(yLabel.isEmpty ? "y" : yLabel) from \(f(y.0)) to \(f(y.1))") }
        if let r = yRange { parts.append("y axis shown from \(f(r.lowerBound)) to \(f(r.upperBound))") }
        if x == nil { parts.append("no data") }
        if breaks { parts.append("lines break where a value is undefined or jumps") }
        return parts.joined(separator: "; ") + "."
    }
}
