import Foundation

/// The plotting rectangle and the scales that map data into it.
struct PlotFrame {
    var plot: Rect
    var x: NiceScale
    var y: NiceScale

    func px(_ v: Double) -> Double { plot.x + (v - x.lo) / (x.hi - x.lo) * plot.w }
    func py(_ v: Double) -> Double { plot.y + plot.h - (v - y.lo) / (y.hi - y.lo) * plot.h }
}

struct Rect {
    var x, y, w, h: Double
}

/// Grid, axes, ticks and axis labels.
extension SVGPlot {
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

    /// Grid lines at the ticks (not on the axes), and a stronger line at y = 0 inside the plot.
    func gridSVG(_ frame: PlotFrame) -> String {
        let n = SVGText.number
        let plot = frame.plot, xScale = frame.x, yScale = frame.y
        var out = "<g class=\"lb-grid\" stroke=\"currentColor\" stroke-opacity=\"0.13\" stroke-width=\"1\">"
        for t in xScale.ticks where t != xScale.lo {
            out += "<line x1=\"\(n(frame.px(t)))\" y1=\"\(n(plot.y))\" x2=\"\(n(frame.px(t)))\" y2=\"\(n(plot.y + plot.h))\"/>"
        }
        let zeroLine = yScale.lo < 0 && yScale.hi > 0
        for t in yScale.ticks where t != yScale.lo {
            if t == 0 && zeroLine { continue }
            out += "<line x1=\"\(n(plot.x))\" y1=\"\(n(frame.py(t)))\" x2=\"\(n(plot.x + plot.w))\" y2=\"\(n(frame.py(t)))\"/>"
        }
        out += "</g>\n"
        if zeroLine {
            out += "<line class=\"lb-zero\" x1=\"\(n(plot.x))\" y1=\"\(n(frame.py(0)))\" x2=\"\(n(plot.x + plot.w))\" y2=\"\(n(frame.py(0)))\" stroke=\"currentColor\" stroke-opacity=\"0.4\" stroke-width=\"1\"/>\n"
        }
        return out
    }

    /// The two axes, their tick marks and tick labels.
    func axesSVG(_ frame: PlotFrame) -> String {
        let n = SVGText.number, fs = Self.fontSize
        let plot = frame.plot, xScale = frame.x, yScale = frame.y
        var out = "<g class=\"lb-axis\" stroke=\"currentColor\" stroke-opacity=\"0.65\" stroke-width=\"1\" fill=\"none\">"
        out += "<path d=\"M\(n(plot.x)) \(n(plot.y))V\(n(plot.y + plot.h))H\(n(plot.x + plot.w))\"/>"
        var ticksPath = ""
        for t in xScale.ticks { ticksPath += "M\(n(frame.px(t))) \(n(plot.y + plot.h))v4" }
        for t in yScale.ticks { ticksPath += "M\(n(plot.x)) \(n(frame.py(t)))h-4" }
        out += "<path d=\"\(ticksPath)\"/></g>\n"
        out += "<g class=\"lb-ticks\" fill=\"currentColor\">"
        out += "<g class=\"lb-xticks\" text-anchor=\"middle\">"
        for t in xScale.ticks {
            out += "<text x=\"\(n(frame.px(t)))\" y=\"\(n(plot.y + plot.h + 6 + fs * 0.9))\">\(SVGText.escape(xScale.label(t)))</text>"
        }
        out += "</g><g class=\"lb-yticks\" text-anchor=\"end\">"
        for t in yScale.ticks {
            out += "<text x=\"\(n(plot.x - 7))\" y=\"\(n(frame.py(t) + fs * 0.35))\">\(SVGText.escape(yScale.label(t)))</text>"
        }
        out += "</g></g>\n"
        return out
    }

    /// The x label under the plot, the y label turned along the left edge.
    func axisLabelsSVG(_ frame: PlotFrame, height h: Double) -> String {
        let n = SVGText.number, lf = Self.labelFontSize, pad = Self.pad
        let plot = frame.plot
        var out = ""
        if !xLabel.isEmpty {
            out += "<text class=\"lb-xlabel\" x=\"\(n(plot.x + plot.w / 2))\" y=\"\(n(h - pad - 2))\" text-anchor=\"middle\" fill=\"currentColor\" font-size=\"\(n(lf))\">\(SVGText.escape(xLabel))</text>\n"
        }
        if !yLabel.isEmpty {
            let cx = pad + lf * 0.8, cy = plot.y + plot.h / 2
            out += "<text class=\"lb-ylabel\" transform=\"translate(\(n(cx)) \(n(cy))) rotate(-90)\" text-anchor=\"middle\" fill=\"currentColor\" font-size=\"\(n(lf))\">\(SVGText.escape(yLabel))</text>\n"
        }
        return out
    }
}
