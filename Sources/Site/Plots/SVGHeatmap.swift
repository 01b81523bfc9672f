import Foundation

/// A grid of values (e.g. a distance map) as inline SVG: cells on a perceptually uniform
/// sequential scale (viridis), a colour bar with the minimum and maximum, and, for small grids,
/// each value printed in its cell. Row 0 is at the top, as in a matrix or an image.
public struct SVGHeatmap: Sendable {
    /// Accessible name: the SVG's `<title>`.
    public var title: String
    /// Rows × columns; short rows are padded with empty cells.
    public var values: [[Double]]
    /// Print each value in its cell when the grid is small enough (at most 16 × 16).
    public var labels: Bool
    /// Language of the generated `<desc>`: "zh…" gives Chinese, anything else English.
    public var language = "en"

    public init(title: String, values: [[Double]], labels: Bool = false) {
        self.title = title
        self.values = values
        self.labels = labels
    }

    static let maxLabelledSide = 16
    static let gridSize = 480.0

    /// Viridis (matplotlib) at 0, 0.1, …, 1.
    static let viridis: [(Double, Double, Double)] = [
        (0x44, 0x01, 0x54), (0x48, 0x24, 0x75), (0x41, 0x44, 0x87), (0x35, 0x5F, 0x8D), (0x2A, 0x78, 0x8E),
        (0x21, 0x91, 0x8C), (0x22, 0xA8, 0x84), (0x44, 0xBF, 0x70), (0x7A, 0xD1, 0x51), (0xBD, 0xDF, 0x26),
        (0xFD, 0xE7, 0x25),
    ]
    /// Colours are quantised to this many levels, so cells of one colour share one path.
    static let levels = 256

    /// sRGB components (0…255) at `t` ∈ [0, 1], interpolated between the stops.
    static func rgb(_ t: Double) -> (Int, Int, Int) {
        let c = min(max(t.isFinite ? t : 0, 0), 1) * Double(viridis.count - 1)
        let i = min(Int(c), viridis.count - 2)
        let f = c - Double(i)
        let a = viridis[i], b = viridis[i + 1]
        func mix(_ u: Double, _ v: Double) -> Int { Int((u + (v - u) * f).rounded()) }
        return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    static func hex(_ c: (Int, Int, Int)) -> String {
        String(format: "#%02x%02x%02x", c.0, c.1, c.2)
    }

    /// WCAG relative luminance of an sRGB colour.
    static func luminance(_ c: (Int, Int, Int)) -> Double {
        func lin(_ v: Int) -> Double {
            let s = Double(v) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }

    /// Black or white, whichever contrasts more with `c` (WCAG contrast ratio).
    static func textColor(on c: (Int, Int, Int)) -> String {
        let l = luminance(c)
        return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000" : "#fff"
    }

    /// Cell label: at most two decimals, trailing zeros dropped, real minus sign.
    static func cellLabel(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v < 0 ? "\u{2212}∞" : "∞") }
        return SVGText.fixed(v, decimals: 2, trim: true)
    }

    public func render(idPrefix: String) -> String {
        let p = SVGText.identifier(idPrefix, fallback: "heatmap")
        let n = SVGText.number
        let rows = values.count
        let cols = values.map(\.count).max() ?? 0
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let lo = finite.min(), hi = finite.max()
        let hasMissing = finite.count < rows * cols

        let fs = 12.0, pad = 8.0
        let side = max(rows, cols, 1)
        let showLabels = labels && side <= Self.maxLabelledSide && rows > 0 && cols > 0
        var cell: Double
        if showLabels {
            cell = min(max((Self.gridSize / Double(side)).rounded(.down), 30), 56)
        } else {
            let c = Self.gridSize / Double(side)
            cell = c >= 1 ? min(c.rounded(.down), 40) : c
        }
        var labelFont = 0.0
        var cellText: [[String]] = []
        if showLabels {
            cellText = values.map { $0.map(Self.cellLabel) }
            let chars = cellText.flatMap { $0 }.map { SVGText.estimatedWidth($0, fontSize: 1) }.max() ?? 1
            labelFont = min(12, (cell - 4) / max(chars, 0.6))
            if labelFont < 7 { labelFont = 0 }
        }
        let gridW = Double(cols) * cell, gridH = Double(rows) * cell
        let gx = pad, gy = pad
        let barH = max(gridH, 120.0), barW = 12.0
        let barX = gx + gridW + 16, barY = gy
        let maxText = hi.map { SVGText.significant($0, digits: 3) } ?? ""
        let minText = lo.map { SVGText.significant($0, digits: 3) } ?? ""
        let textW = max(SVGText.estimatedWidth(maxText, fontSize: fs), SVGText.estimatedWidth(minText, fontSize: fs))
        let w = (barX + barW + 6 + textW + pad).rounded(.up)
        let h = (gy + max(gridH, barH) + pad).rounded(.up)

        var out = ""
        out.reserveCapacity(rows * cols * 16 + 4_096)
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lb-heatmap \(p)\" viewBox=\"0 0 \(n(w)) \(n(h))\""
        out += " width=\"100%\" style=\"max-width:\(n(w))px;height:auto;font-family:inherit;font-size:\(n(fs))px\""
        out += " role=\"img\" aria-labelledby=\"\(p)-title\" aria-describedby=\"\(p)-desc\">\n"
        out += "<title id=\"\(p)-title\">\(SVGText.escape(title))</title>\n"
        out += "<desc id=\"\(p)-desc\">\(SVGText.escape(description(rows: rows, cols: cols, lo: lo, hi: hi, missing: hasMissing)))</desc>\n"
        out += "<style>.\(p) text{font-family:inherit}</style>\n"
        out += "<defs><linearGradient id=\"\(p)-bar\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for (i, c) in Self.viridis.enumerated() {
            let c = (Int(c.0), Int(c.1), Int(c.2))
            out += "<stop offset=\"\(n(Double(i) / Double(Self.viridis.count - 1)))\" stop-color=\"\(Self.hex(c))\"/>"
        }
        out += "</linearGradient></defs>\n"

        // Cells: one path per colour level, drawn in cell units.
        var byLevel: [Int: String] = [:]
        var missing = ""
        let span = (hi ?? 0) - (lo ?? 0)
        for (r, row) in values.enumerated() {
            for c in 0..<cols {
                let v = c < row.count ? row[c] : .nan
                let d = "M\(c) \(r)h1v1h-1z"
                guard v.isFinite, let lo else {
                    missing += d
                    continue
                }
                let t = span > 0 ? (v - lo) / span : 0.5
                byLevel[Int((t * Double(Self.levels - 1)).rounded()), default: ""] += d
            }
        }
        let cellScale = cell == cell.rounded() ? n(cell) : String(format: "%.6g", cell)
        out += "<g class=\"lb-cells\" transform=\"translate(\(n(gx)) \(n(gy))) scale(\(cellScale))\" shape-rendering=\"crispEdges\">\n"
        for level in byLevel.keys.sorted() {
            let color = Self.rgb(Double(level) / Double(Self.levels - 1))
            out += "<path fill=\"\(Self.hex(color))\" d=\"\(byLevel[level]!)\"/>\n"
        }
        if !missing.isEmpty {
            out += "<path class=\"lb-missing\" fill=\"currentColor\" fill-opacity=\"0.12\" d=\"\(missing)\"/>\n"
        }
        out += "</g>\n"
        if rows > 0 && cols > 0 {
            out += "<rect class=\"lb-frame\" x=\"\(n(gx))\" y=\"\(n(gy))\" width=\"\(n(gridW))\" height=\"\(n(gridH))\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.3\"/>\n"
        }

        // Cell labels, dark on light cells and light on dark ones.
        if labelFont > 0, let lo {
            out += "<g class=\"lb-labels\" text-anchor=\"middle\" font-size=\"\(n(labelFont))\">\n"
            for (r, row) in values.enumerated() {
                for (c, v) in row.enumerated() {
                    let t = v.isFinite ? (span > 0 ? (v - lo) / span : 0.5) : -1
                    let fill: String
                    if t < 0 {
                        fill = "currentColor"
                    } else {
                        let q = Double(Int((t * Double(Self.levels - 1)).rounded())) / Double(Self.levels - 1)
                        fill = Self.textColor(on: Self.rgb(q))
                    }
                    let x = gx + (Double(c) + 0.5) * cell, y = gy + (Double(r) + 0.5) * cell + labelFont * 0.35
                    out += "<text x=\"\(n(x))\" y=\"\(n(y))\" fill=\"\(fill)\">\(SVGText.escape(cellText[r][c]))</text>"
                }
                out += "\n"
            }
            out += "</g>\n"
        }

        // Colour bar: maximum at the top, minimum at the bottom.
        if lo != nil {
            out += "<g class=\"lb-colorbar\">"
            out += "<rect x=\"\(n(barX))\" y=\"\(n(barY))\" width=\"\(n(barW))\" height=\"\(n(barH))\" fill=\"url(#\(p)-bar)\" stroke=\"currentColor\" stroke-opacity=\"0.3\"/>"
            out += "<g fill=\"currentColor\">"
            out += "<text class=\"lb-max\" x=\"\(n(barX + barW + 6))\" y=\"\(n(barY + fs * 0.8))\">\(SVGText.escape(maxText))</text>"
            out += "<text class=\"lb-min\" x=\"\(n(barX + barW + 6))\" y=\"\(n(barY + barH))\">\(SVGText.escape(minText))</text>"
            out += "</g></g>\n"
        }
        out += "</svg>"
        return out
    }

    func description(rows: Int, cols: Int, lo: Double?, hi: Double?, missing: Bool) -> String {
        let f = { SVGText.significant($0, digits: 3) }
        if language.lowercased().hasPrefix("zh") {
            var s = "热图，\(rows) 行 × \(cols) 列"
            if let lo, let hi { s += "；数值从 \(f(lo)) 到 \(f(hi))（viridis 色标：深紫为低，黄色为高）" } else { s += "；没有数据" }
            if missing { s += "；部分格子没有定义的值" }
            return s + "。"
        }
        var s = "Heatmap, \(rows) rows × \(cols) columns"
        if let lo, let hi { s += "; values from \(f(lo)) to \(f(hi)) (viridis scale: dark purple low, yellow high)" } else { s += "; no data" }
        if missing { s += "; some cells have no defined value" }
        return s + "."
    }
}
