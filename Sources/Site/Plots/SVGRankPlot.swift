import Foundation

/// A rank plot of reported numbers: one row per entry, best (largest) first, a dot and a bar from 0
/// on a shared axis, and the number as the source prints it. Written for cited data, where the
/// ranking is what a reader looks for.
///
/// Like `SVGPlot`: no JavaScript, `currentColor` for text and axes (light and dark pages), an
/// accessible title and description, ids and style scoped by `idPrefix`.
struct SVGRankPlot {
    struct Entry {
        var label: String
        var value: Double
        /// The number as written in the source (`0.7200`).
        var text: String
        /// `ref:<id>` for a loss of the catalog (rewritten by the render stage), nil for none.
        var link: String?
    }

    var title: String
    var description: String
    var axisLabel: String
    var entries: [Entry]
    var width = 640.0

    static let fontSize = 13.0
    static let rowHeight = 20.0
    static let light = "#0072B2", dark = "#56B4E9"

    func render(idPrefix: String) -> String {
        let p = SVGText.identifier(idPrefix, fallback: "rank")
        let n = SVGText.number
        let fs = Self.fontSize
        let sorted = entries.enumerated().sorted { a, b in
            // Non-numbers last; ties keep the source's order.
            switch (a.element.value.isFinite, b.element.value.isFinite) {
            case (true, true): return a.element.value != b.element.value ? a.element.value > b.element.value : a.offset < b.offset
            case (true, false): return true
            case (false, true): return false
            case (false, false): return a.offset < b.offset
            }
        }.map(\.element)
        let pad = 8.0
        let labelW = (sorted.map { SVGText.estimatedWidth($0.label, fontSize: fs) }.max() ?? 40) + 10
        let numberW = (sorted.map { SVGText.estimatedWidth($0.text, fontSize: fs) }.max() ?? 30) + 10
        let left = pad + labelW, right = width - pad - numberW
        let top = pad, bottom = top + Double(sorted.count) * Self.rowHeight
        let height = bottom + fs + 8 + fs + 8 + pad
        let hi = max(1, sorted.map(\.value).filter(\.isFinite).max() ?? 1)
        func px(_ v: Double) -> Double { left + max(0, min(v, hi)) / hi * (right - left) }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" class=\"lb-plot lb-rank \(p)\""
        out += " viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"100%\" style=\"max-width:\(n(width))px;height:auto;font-family:inherit;font-size:\(n(fs))px\""
        out += " role=\"img\" aria-labelledby=\"\(p)-title\" aria-describedby=\"\(p)-desc\">\n"
        out += "<title id=\"\(p)-title\">\(SVGText.escape(title))</title>\n"
        let listing = sorted.map { "\($0.label) \($0.text)" }.joined(separator: "; ")
        out += "<desc id=\"\(p)-desc\">\(SVGText.escape(description + ". " + listing))</desc>\n"
        out += "<style>.\(p) text{font-family:inherit}@media (prefers-color-scheme: dark){.\(p) .lb-bar{fill:\(Self.dark)}.\(p) .lb-dot{fill:\(Self.dark)}}</style>\n"
        // Axis: ticks every 0.2 of [0, hi].
        out += "<g stroke=\"currentColor\" stroke-opacity=\"0.13\">"
        for i in 0...5 {
            let x = px(hi * Double(i) / 5)
            out += "<line x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\"/>"
        }
        out += "</g>\n<g fill=\"currentColor\" text-anchor=\"middle\">"
        for i in 0...5 {
            out += "<text x=\"\(n(px(hi * Double(i) / 5)))\" y=\"\(n(bottom + fs + 4))\">\(SVGText.number(hi * Double(i) / 5))</text>"
        }
        out += "<text x=\"\(n((left + right) / 2))\" y=\"\(n(bottom + 2 * fs + 10))\">\(SVGText.escape(axisLabel))</text></g>\n"
        for (i, entry) in sorted.enumerated() {
            let y = top + Double(i) * Self.rowHeight + Self.rowHeight / 2
            var label = "<text x=\"\(n(left - 8))\" y=\"\(n(y + fs * 0.35))\" text-anchor=\"end\" fill=\"currentColor\">\(SVGText.escape(entry.label))</text>"
            if let link = entry.link { label = "<a xlink:href=\"\(SVGText.escape(link))\">\(label)</a>" }
            out += label
            if entry.value.isFinite {
                let x = px(entry.value)
                out += "<rect class=\"lb-bar\" x=\"\(n(left))\" y=\"\(n(y - 2))\" width=\"\(n(max(x - left, 0)))\" height=\"4\" fill=\"\(Self.light)\" fill-opacity=\"0.45\"/>"
                out += "<circle class=\"lb-dot\" cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"4.5\" fill=\"\(Self.light)\"/>"
            }
            out += "<text x=\"\(n(right + 8))\" y=\"\(n(y + fs * 0.35))\" fill=\"currentColor\" style=\"font-variant-numeric:tabular-nums\">\(SVGText.escape(entry.text))</text>\n"
        }
        return out + "</svg>"
    }
}
