/// The legend above the plot: a swatch and a name per series, flowing left to right and wrapping.
extension SVGPlot {
    static let swatch = 22.0, swatchGap = 6.0, entryGap = 16.0, legendRow = 18.0

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

    /// The laid-out rows of ``legendLayout(names:x0:maxX:fs:swatch:swatchGap:entryGap:)``; empty without series.
    func legendSVG(_ rows: [[(Int, Double)]], names: [String]) -> String {
        guard !rows.isEmpty else { return "" }
        let n = SVGText.number, fs = Self.fontSize
        var out = "<g class=\"lb-legend\" fill=\"currentColor\">\n"
        for (r, row) in rows.enumerated() {
            let y = Self.pad + Double(r) * Self.legendRow + Self.legendRow / 2
            for (i, x) in row {
                let look = Self.look(i)
                out += "<g class=\"lb-key\"><line class=\"lb-s\(look.color)\" x1=\"\(n(x))\" y1=\"\(n(y))\" x2=\"\(n(x + Self.swatch))\" y2=\"\(n(y))\" stroke-width=\"\(n(Self.lineWidth + 0.5))\"\(Self.strokeAttributes(look))/>"
                out += "<text x=\"\(n(x + Self.swatch + Self.swatchGap))\" y=\"\(n(y + fs * 0.35))\">\(SVGText.escape(names[i]))</text></g>\n"
            }
        }
        out += "</g>\n"
        return out
    }
}
