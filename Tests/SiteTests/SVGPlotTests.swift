import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Site

final class SVGPlotTests: XCTestCase {
    // MARK: Helpers

    /// Every match of `pattern`'s first capture group (or the whole match) in `s`.
    private func matches(_ pattern: String, in s: String) -> [String] {
        let re = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = s as NSString
        return re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map {
            ns.substring(with: $0.numberOfRanges > 1 ? $0.range(at: 1) : $0.range)
        }
    }

    private func count(_ needle: String, in s: String) -> Int {
        s.components(separatedBy: needle).count - 1
    }

    /// A tick label back to a number: real minus sign to ASCII.
    private func parse(_ label: String) -> Double? {
        Double(label.replacingOccurrences(of: "\u{2212}", with: "-"))
    }

    /// True if `step` is 1, 2 or 5 × 10^k (up to float noise).
    private func isOneTwoFive(_ step: Double) -> Bool {
        guard step > 0 else { return false }
        let k = floor(log10(step))
        let m = step / pow(10, k)
        return [1.0, 2, 5, 10].contains { abs(m - $0) < 1e-6 }
    }

    /// Labels of the ticks of one axis group, in document order.
    private func tickLabels(_ svg: String, axis: String) -> [String] {
        guard let group = matches("<g class=\"lb-\(axis)ticks\"[^>]*>(.*?)</g>", in: svg).first else { return [] }
        return matches("<text[^>]*>([^<]*)</text>", in: group)
    }

    private func focal(_ gamma: Double) -> PlotSeries {
        let xs = (0...50).map { Double($0) / 50 }
        return PlotSeries(label: "γ = \(gamma)", xs: xs) { p in
            p == 0 ? .infinity : -pow(1 - p, gamma) * log(p)
        }
    }

    private func sample() -> SVGPlot {
        SVGPlot(title: "Focal loss", xLabel: "p", yLabel: "loss",
                series: [0, 0.5, 1, 2].map(focal), yRange: 0...5)
    }

    // MARK: Plot structure

    func testStructure() {
        let plot = SVGPlot(title: "Two lines", xLabel: "x", yLabel: "y", series: [
            PlotSeries(label: "a", points: [(0, 0), (1, 1), (2, 4)]),
            PlotSeries(label: "b", points: [(0, 1), (1, 2), (2, 0.5)]),
            PlotSeries(label: "c", points: [(0, 3), (2, 3)]),
        ], yRange: nil)
        let svg = plot.render(idPrefix: "fig1")
        XCTAssertTrue(svg.hasPrefix("<svg "), "no XML prolog")
        XCTAssertTrue(svg.hasSuffix("</svg>"))
        XCTAssertFalse(svg.contains("<?xml"))
        XCTAssertTrue(svg.contains("role=\"img\""))
        XCTAssertTrue(svg.contains("<title id=\"fig1-title\">Two lines</title>"))
        XCTAssertTrue(svg.contains("aria-labelledby=\"fig1-title\""))
        XCTAssertTrue(svg.contains("<desc id=\"fig1-desc\">3 series: a, b, c; x from 0 to 2; y from 0 to 4.</desc>"), svg)
        XCTAssertTrue(svg.contains("viewBox=\"0 0 640 400\""))
        XCTAssertTrue(svg.contains("width=\"100%\""))
        XCTAssertEqual(count("<polyline", in: svg), 3, "one polyline per series without gaps")
        XCTAssertEqual(count("class=\"lb-key\"", in: svg), plot.series.count, "one legend entry per series")
        XCTAssertEqual(matches("<style>", in: svg).count, 1)
        XCTAssertFalse(svg.contains("clipPath"), "nothing to clip when the axis comes from the data")
        for id in matches("\\bid=\"([^\"]*)\"", in: svg) {
            XCTAssertTrue(id.hasPrefix("fig1-"), "id \(id) not prefixed")
        }
        // Every style rule is scoped to this plot.
        let css = matches("<style>(.*?)</style>", in: svg)[0]
        for selector in matches("(?:^|\\}|\\{)([^{}@]+)\\{", in: css) {
            XCTAssertTrue(selector.hasPrefix(".fig1 "), "unscoped rule \(selector)")
        }
        XCTAssertTrue(css.contains("prefers-color-scheme: dark"))
        // Text and axes follow the page colour.
        XCTAssertTrue(svg.contains("class=\"lb-ticks\" fill=\"currentColor\""))
        XCTAssertTrue(svg.contains("class=\"lb-axis\" stroke=\"currentColor\""))
    }

    func testSeriesDifferInColourAndDash() {
        let series = (0..<6).map { i in PlotSeries(label: "s\(i)", points: [(0, Double(i)), (1, Double(i) + 1)]) }
        let svg = SVGPlot(title: "six", xLabel: "", yLabel: "", series: series, yRange: nil).render(idPrefix: "six")
        let groups = matches("<g class=\"lb-series ([^\"]*)\"([^>]*)>", in: svg)
        XCTAssertEqual(groups.count, 6)
        XCTAssertEqual(Set(groups).count, 6)
        let looks = (0..<6).map { SVGPlot.look($0) }
        XCTAssertEqual(Set(looks.map(\.color)).count, 6)
        XCTAssertEqual(Set(looks.map(\.dash)).count, 6)
        XCTAssertEqual(Set(SVGPlot.lightColors).count, 6)
        XCTAssertEqual(Set(SVGPlot.darkColors).count, 6)
    }

    func testIdPrefixIsSanitised() {
        let svg = SVGPlot(title: "t", xLabel: "", yLabel: "", series: [], yRange: nil).render(idPrefix: "2 \"x\"")
        for id in matches("\\bid=\"([^\"]*)\"", in: svg) {
            XCTAssertNotNil(id.range(of: "^[A-Za-z][A-Za-z0-9_-]*$", options: .regularExpression), id)
        }
        XCTAssertTrue(svg.contains("0 series"))
        XCTAssertTrue(svg.contains("no data"))
    }

    // MARK: Ticks

    func testTicksAreOneTwoFiveAndCoverTheData() {
        let datasets: [[Double]] = [
            (0...40).map { sin(Double($0) / 6) * 3.7 },
            (0...40).map { Double($0) * 0.0137 + 0.21 },
            (0...40).map { exp(Double($0) / 5) },
            (0...40).map { -Double($0) * 123.4 - 7 },
            [0.1, 0.1, 0.3],
            [2.5, 2.5],
        ]
        for ys in datasets {
            let xs = ys.indices.map { Double($0) / Double(ys.count - 1) * 7.3 - 1.1 }
            let series = PlotSeries(label: "d", points: zip(xs, ys).map { (x: $0, y: $1) })
            let svg = SVGPlot(title: "t", xLabel: "x", yLabel: "y", series: [series], yRange: nil).render(idPrefix: "t")
            for (axis, data) in [("x", xs), ("y", ys)] {
                let labels = tickLabels(svg, axis: axis)
                let ticks = labels.compactMap(parse)
                XCTAssertEqual(ticks.count, labels.count, "unparseable tick label in \(labels)")
                XCTAssertGreaterThanOrEqual(ticks.count, 2, "\(axis): \(labels)")
                XCTAssertLessThanOrEqual(ticks.count, 12, "\(axis): \(labels)")
                let steps = zip(ticks.dropFirst(), ticks).map { $0 - $1 }
                let step = steps.first ?? 0
                XCTAssertTrue(isOneTwoFive(step), "\(axis): step \(step) from \(labels)")
                for s in steps { XCTAssertEqual(s, step, accuracy: step * 1e-6, "\(axis): uneven \(labels)") }
                for t in ticks { XCTAssertEqual((t / step).rounded() * step, t, accuracy: step * 1e-6, "\(axis): \(t) not a multiple of \(step)") }
                XCTAssertLessThanOrEqual(ticks.first!, data.min()!, "\(axis): \(labels) start after the data")
                XCTAssertGreaterThanOrEqual(ticks.last!, data.max()!, "\(axis): \(labels) end before the data")
            }
        }
    }

    func testTickLabelsHaveNoFloatNoiseAndARealMinus() {
        let scale = NiceScale(lo: -0.3, hi: 0.7, target: 10, fixed: false)
        let labels = scale.ticks.map(scale.label)
        XCTAssertEqual(labels, ["\u{2212}0.3", "\u{2212}0.2", "\u{2212}0.1", "0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        for l in labels {
            XCTAssertFalse(l.contains("-"), "hyphen-minus in \(l)")
            XCTAssertLessThanOrEqual(l.count, 4, l)
        }
        let big = NiceScale(lo: 0, hi: 3e7, target: 5, fixed: false)
        XCTAssertTrue(big.ticks.map(big.label).allSatisfy { $0 == "0" || $0.contains("×10") }, "\(big.ticks.map(big.label))")
        XCTAssertEqual(SVGText.number(0.1 + 0.2), "0.3")
        XCTAssertEqual(SVGText.number(-0.001), "0")
        XCTAssertEqual(SVGText.number(12.5), "12.5")
        XCTAssertEqual(SVGText.number(-3.14159), "-3.14")
        XCTAssertEqual(SVGText.number(7.05), "7.05")
    }

    func testFixedRangeTicksStayInside() {
        let svg = sample().render(idPrefix: "focal")
        let ticks = tickLabels(svg, axis: "y").compactMap(parse)
        XCTAssertEqual(ticks.first, 0)
        XCTAssertEqual(ticks.last, 5)
        XCTAssertTrue(svg.contains("<clipPath id=\"focal-clip\">"))
        XCTAssertTrue(svg.contains("clip-path=\"url(#focal-clip)\""))
        XCTAssertTrue(svg.contains("y axis shown from 0 to 5"))
    }

    // MARK: Lines

    func testNonFiniteValuesBreakLines() {
        let pts: [(x: Double, y: Double)] = [
            (0, 1), (1, 2), (2, .nan), (3, 1), (4, 2), (5, 3), (6, .infinity), (7, -.infinity), (8, 1), (9, 2),
            (.nan, 3), (11, 1),
        ]
        let s = PlotSeries(label: "gappy", points: pts)
        let runs = SVGPlot.runs(s.points)
        XCTAssertEqual(runs.map(\.count), [2, 3, 2, 1])
        let svg = SVGPlot(title: "gaps", xLabel: "x", yLabel: "y", series: [s], yRange: nil).render(idPrefix: "g")
        XCTAssertEqual(count("<polyline", in: svg), runs.filter { $0.count > 1 }.count, "one polyline per finite run")
        XCTAssertEqual(count("class=\"lb-dot\"", in: svg), runs.filter { $0.count == 1 }.count, "a lone point is a dot")
        XCTAssertFalse(svg.lowercased().contains("nan"))
        XCTAssertFalse(svg.contains("inf"))
        XCTAssertTrue(svg.contains("lines break where a value is undefined"))
        // Each polyline has its run's number of points.
        let counts = matches("<polyline points=\"([^\"]*)\"", in: svg).map { $0.split(separator: " ").count }
        XCTAssertEqual(counts, runs.filter { $0.count > 1 }.map(\.count))
    }

    // MARK: Jumps

    /// 101 samples of `f` on [lo, hi] with the jumps broken, and the plot's polylines in pixels.
    private func broken(_ lo: Double, _ hi: Double, _ f: (Double) -> Double) -> (points: [PlotSeries.Point], lines: [[(Double, Double)]], svg: String) {
        let xs = (0...100).map { lo + (hi - lo) * Double($0) / 100 }
        let points = PlotSeries.breakingJumps(xs.map { PlotSeries.Point(x: $0, y: f($0)) }, f)
        let svg = SVGPlot(title: "t", xLabel: "x", yLabel: "y", series: [PlotSeries(label: "s", points: points)], yRange: nil)
            .render(idPrefix: "j")
        let lines = matches("<polyline points=\"([^\"]*)\"", in: svg).map { coords in
            coords.split(separator: " ").map { pair -> (Double, Double) in
                let v = pair.split(separator: ",").map { Double($0)! }
                return (v[0], v[1])
            }
        }
        return (points, lines, svg)
    }

    /// The steepest segment of any polyline, as |Δy| / |Δx| in pixels.
    private func steepest(_ lines: [[(Double, Double)]]) -> Double {
        lines.flatMap { line in zip(line, line.dropFirst()).map { abs($1.1 - $0.1) / max(abs($1.0 - $0.0), 1e-9) } }.max() ?? 0
    }

    func testAJumpBreaksTheLineWithoutAVerticalStroke() {
        // Zero-one loss of a margin: 1 for m ≤ 0, 0 above; 0 is a sample.
        let zeroOne = broken(-2, 3) { $0 <= 0 ? 1 : 0 }
        XCTAssertEqual(zeroOne.points.filter { !$0.y.isFinite }.count, 1)
        XCTAssertEqual(zeroOne.lines.count, 2)
        XCTAssertEqual(steepest(zeroOne.lines), 0, "both pieces are flat; no stroke joins them")
        // The pieces end and start at the jump, located to 10⁻³ of a sample step (0.05 here).
        let gap = zeroOne.points.firstIndex { !$0.y.isFinite }!
        XCTAssertEqual(zeroOne.points[gap - 1].x, 0, accuracy: 0.05 / 1000)
        XCTAssertEqual(zeroOne.points[gap + 1].x, 0, accuracy: 0.05 / 1000)
        XCTAssertEqual(zeroOne.points[gap - 1].y, 1)
        XCTAssertEqual(zeroOne.points[gap + 1].y, 0)

        // A jump between samples, on a sloped line: located inside the sample step.
        let sloped = broken(0, 1) { x in x < 0.4137 ? x : x + 2 }
        XCTAssertEqual(sloped.lines.count, 2)
        let cut = sloped.points.firstIndex { !$0.y.isFinite }!
        XCTAssertEqual(sloped.points[cut - 1].x, 0.4137, accuracy: 0.01 / 1000)
        XCTAssertEqual(sloped.points[cut + 1].x, 0.4137, accuracy: 0.01 / 1000)
        XCTAssertLessThan(sloped.points[cut + 1].x - sloped.points[cut - 1].x, 0.01 / 1000)
        XCTAssertLessThan(sloped.points[cut - 1].y, 0.42)
        XCTAssertGreaterThan(sloped.points[cut + 1].y, 2.41)
    }

    func testAOneSampleNotchIsAPointBetweenTwoGaps() {
        // A value of its own exactly at the discontinuity (as Hausdorff-DT at s = 0.5).
        let notch = broken(0, 1) { s in s < 0.5 ? 2 - s : (s == 0.5 ? 0.3 : 1.6 - s) }
        XCTAssertEqual(notch.points.filter { !$0.y.isFinite }.count, 2)
        XCTAssertEqual(notch.lines.count, 2)
        XCTAssertEqual(count("class=\"lb-dot\"", in: notch.svg), 1, "the value at the discontinuity is a dot")
        XCTAssertLessThan(steepest(notch.lines), 5, "no stroke down to the notch and back")
    }

    func testKinksAndSteepSmoothCurvesAreNotJumps() {
        let cases: [(String, Double, Double, (Double) -> Double)] = [
            ("hinge", -2, 3, { max(0, 1 - $0) }),
            ("squared hinge", -2, 3, { pow(max(0, 1 - $0), 2) }),
            ("absolute value", -1, 1, { abs($0) }),
            ("huber", -3, 3, { abs($0) <= 0.5 ? 0.5 * $0 * $0 : 0.5 * (abs($0) - 0.25) }),
            ("log near 0", 0.02, 0.98, { -log($0) }),
            ("steep tanh", -1, 1, { tanh(50 * $0) }),
            ("steep sigmoid cross entropy", -1, 1, { log1p(exp(-80 * $0)) }),
        ]
        for (name, lo, hi, f) in cases {
            let result = broken(lo, hi, f)
            XCTAssertFalse(result.points.contains { !$0.y.isFinite }, name)
            XCTAssertEqual(result.lines.count, 1, name)
            XCTAssertEqual(result.points.count, 101, name)
        }
    }

    func testJumpsSmallerThanAPixelAreLeftAlone() {
        let tiny = broken(0, 1) { x in x + (x < 0.5 ? 0 : 1e-4) }
        XCTAssertEqual(tiny.lines.count, 1)
    }

    func testOffScaleValuesAreClippedNotHuge() {
        let svg = sample().render(idPrefix: "f")
        // p = 0 is +∞ for every γ: four lines of 50 points, no giant coordinates.
        XCTAssertEqual(count("<polyline", in: svg), 4)
        for coords in matches("<polyline points=\"([^\"]*)\"", in: svg) {
            for pair in coords.split(separator: " ") {
                for v in pair.split(separator: ",") {
                    let d = Double(v)!
                    XCTAssertLessThan(abs(d), 2_000, "coordinate \(d)")
                    XCTAssertLessThanOrEqual(String(v).split(separator: ".").last!.count, String(v).contains(".") ? 2 : 99, "more than 2 decimals: \(v)")
                }
            }
        }
        // A curve shooting far above the axis keeps its visible part exact.
        let steep = PlotSeries(label: "steep", points: [(0, 0), (1, 1e9)])
        let clipped = SVGPlot.clipToBand(steep.points, lo: -1, hi: 2)
        XCTAssertEqual(clipped.count, 3)
        XCTAssertEqual(clipped[1].y, 2)
        XCTAssertEqual(clipped[1].x, 2e-9, accuracy: 1e-15)
    }

    func testDeterministic() {
        XCTAssertEqual(sample().render(idPrefix: "d"), sample().render(idPrefix: "d"))
        let h = SVGHeatmap(title: "h", values: (0..<9).map { r in (0..<9).map { c in hypot(Double(r - 4), Double(c - 4)) } }, labels: true)
        XCTAssertEqual(h.render(idPrefix: "h"), h.render(idPrefix: "h"))
    }

    func testEscapingAndUnicode() {
        let plot = SVGPlot(title: "a < b & \"c\" > d", xLabel: "预测概率 p", yLabel: "<loss>",
                           series: [PlotSeries(label: "γ = 2 & α = \"0.25\"", points: [(0, 1), (1, 0)]),
                                    PlotSeries(label: "焦点损失", points: [(0, 0), (1, 1)])], yRange: nil)
        let svg = plot.render(idPrefix: "esc")
        XCTAssertTrue(svg.contains("<title id=\"esc-title\">a &lt; b &amp; &quot;c&quot; &gt; d</title>"))
        XCTAssertTrue(svg.contains(">&lt;loss&gt;</text>"))
        XCTAssertTrue(svg.contains(">γ = 2 &amp; α = &quot;0.25&quot;</text>"))
        XCTAssertTrue(svg.contains(">预测概率 p</text>"))
        XCTAssertTrue(svg.contains(">焦点损失</text>"))
        XCTAssertFalse(svg.contains("<loss>"))
        XCTAssertFalse(svg.contains("a < b"))
        // Well-formed XML.
        XCTAssertNoThrow(try XMLDocument(xmlString: svg, options: []))
    }

    func testChineseDescription() {
        var plot = sample()
        plot.language = "zh-CN"
        let svg = plot.render(idPrefix: "zh")
        XCTAssertTrue(svg.contains("4 条曲线：γ = 0.0，γ = 0.5，γ = 1.0，γ = 2.0"), svg)
    }

    // MARK: Heatmap

    private func distanceMap(_ rows: Int, _ cols: Int) -> [[Double]] {
        (0..<rows).map { r in (0..<cols).map { c in hypot(Double(r) - Double(rows) / 3, Double(c) - Double(cols) / 2) } }
    }

    func testHeatmapCells() {
        for (rows, cols) in [(1, 1), (3, 5), (9, 9), (64, 64), (10, 40)] {
            let values = distanceMap(rows, cols)
            let svg = SVGHeatmap(title: "EDT", values: values, labels: true).render(idPrefix: "hm")
            let cells = matches("<g class=\"lb-cells\"[^>]*>(.*?)</g>", in: svg)[0]
            XCTAssertEqual(count("h1v1h-1z", in: cells), rows * cols, "\(rows)×\(cols)")
            XCTAssertTrue(svg.contains("role=\"img\""))
            XCTAssertTrue(svg.contains("<title id=\"hm-title\">EDT</title>"))
            XCTAssertTrue(svg.contains("<desc id=\"hm-desc\">Heatmap, \(rows) rows × \(cols) columns"))
            for id in matches("\\bid=\"([^\"]*)\"", in: svg) { XCTAssertTrue(id.hasPrefix("hm-"), id) }
            let labelled = max(rows, cols) <= SVGHeatmap.maxLabelledSide
            XCTAssertEqual(count("<text", in: matches("<g class=\"lb-labels\"[^>]*>(.*?)</g>", in: svg).first ?? ""),
                           labelled ? rows * cols : 0, "\(rows)×\(cols)")
            XCTAssertNoThrow(try XMLDocument(xmlString: svg, options: []))
            XCTAssertLessThan(svg.utf8.count, 80_000, "\(rows)×\(cols) is \(svg.utf8.count) bytes")
        }
    }

    func testHeatmapScale() {
        let values = distanceMap(6, 6)
        let lo = values.flatMap { $0 }.min()!, hi = values.flatMap { $0 }.max()!
        let svg = SVGHeatmap(title: "EDT", values: values, labels: false).render(idPrefix: "s")
        // Paths are emitted from the lowest colour level to the highest.
        let fills = matches("<path fill=\"(#[0-9a-f]{6})\"", in: svg)
        XCTAssertGreaterThan(fills.count, 2)
        func rgb(_ hex: String) -> (Int, Int, Int) {
            let v = Int(hex.dropFirst(), radix: 16)!
            return (v >> 16, (v >> 8) & 0xff, v & 0xff)
        }
        XCTAssertLessThan(SVGHeatmap.luminance(rgb(fills.first!)), SVGHeatmap.luminance(rgb(fills.last!)))
        XCTAssertEqual(fills.first, SVGHeatmap.hex(SVGHeatmap.rgb(0)))
        XCTAssertEqual(fills.last, SVGHeatmap.hex(SVGHeatmap.rgb(1)))
        // Luminance rises along the scale (perceptually ordered).
        let lum = (0...20).map { SVGHeatmap.luminance(SVGHeatmap.rgb(Double($0) / 20)) }
        XCTAssertEqual(lum, lum.sorted())
        // Colour bar with min and max.
        XCTAssertTrue(svg.contains("fill=\"url(#s-bar)\""))
        XCTAssertTrue(svg.contains(">\(SVGText.significant(lo, digits: 3))</text>"))
        XCTAssertTrue(svg.contains(">\(SVGText.significant(hi, digits: 3))</text>"))
        XCTAssertFalse(svg.contains("lb-labels"), "labels off")
    }

    func testHeatmapLabelsContrast() {
        let values: [[Double]] = [[0, 0.333333, -1.5], [2, .nan, 10]]
        let svg = SVGHeatmap(title: "small", values: values, labels: true).render(idPrefix: "l")
        let texts = matches("<text x=\"[^\"]*\" y=\"[^\"]*\" fill=\"([^\"]*)\">([^<]*)</text>", in: svg)
        XCTAssertTrue(svg.contains(">0.33</text>"))
        XCTAssertTrue(svg.contains(">\u{2212}1.5</text>"))
        XCTAssertTrue(svg.contains(">NaN</text>"))
        XCTAssertTrue(svg.contains("class=\"lb-missing\""))
        XCTAssertTrue(svg.contains("some cells have no defined value"))
        XCTAssertEqual(texts.count, 6, "one label per cell")
        // The minimum (dark cell) gets white text, the maximum (yellow cell) black text.
        XCTAssertTrue(svg.contains("fill=\"#fff\">\u{2212}1.5</text>"), svg)
        XCTAssertTrue(svg.contains("fill=\"#000\">10</text>"), svg)
    }

    func testEmptyHeatmap() {
        let svg = SVGHeatmap(title: "none", values: [], labels: true).render(idPrefix: "e")
        XCTAssertTrue(svg.contains("no data"))
        XCTAssertNoThrow(try XMLDocument(xmlString: svg, options: []))
    }
}
