/// Where a sampled function jumps, so that its line is broken there instead of drawing a vertical
/// stroke the function never takes (zero-one loss at 0, Hausdorff-DT where the thresholded mask
/// changes). A kink (hinge at 1, Huber at δ) is no jump and stays one line.
extension PlotSeries {
    /// A jump is a change that does not shrink with the interval it happens in: a continuous
    /// function's change over an interval goes to 0 with its width, a jump's stays. So an interval
    /// whose change stands out against its neighbours' (a candidate) is cut, keeping the part with
    /// the larger change, until that change falls below a quarter of the interval's — continuous,
    /// a few cuts for a kink or a steep but smooth stretch — or after 16 cuts (the interval is then
    /// at most 0.618¹⁶ ≈ 5·10⁻⁴ of a sample step, well under a pixel): a jump, located to that width.
    ///
    /// The cut is at 0.382 of the interval (the golden section), not its middle: jumps sit at round
    /// numbers (0, 1) and plot ranges are often symmetric, so midpoints would land on the jump itself.
    ///
    /// Candidates: changes larger than `minimumJump` of the series' span (a smaller step is less
    /// than a pixel) and more than twice the smaller change of the neighbouring intervals (a smooth
    /// curve's neighbouring changes are alike; a kink's candidate is rejected by the cutting).
    ///
    /// - Parameters:
    ///   - points: the samples, in order of x (non-finite points already break the line).
    ///   - minimumJump: the smallest change, as a fraction of the span of the finite y, that is looked at.
    ///   - f: the function, evaluated at the midpoints; a non-finite value there is a break too.
    /// - Returns: the points with, at each jump, the last point before it, a non-finite point
    ///   (which `SVGPlot` draws as a gap) and the first point after it.
    public static func breakingJumps(_ points: [Point], minimumJump: Double = 0.005,
                                     _ f: (Double) throws -> Double) rethrows -> [Point] {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }.map(\.y)
        guard points.count >= 2, let lo = finite.min(), let hi = finite.max(), hi > lo else { return points }
        let threshold = minimumJump * (hi - lo)
        func change(_ i: Int) -> Double? {
            guard i >= 0, i + 1 < points.count else { return nil }
            let a = points[i], b = points[i + 1]
            guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { return nil }
            return abs(b.y - a.y)
        }
        var out: [Point] = [points[0]]
        for i in 0..<(points.count - 1) {
            defer { out.append(points[i + 1]) }
            guard let delta = change(i), delta > threshold else { continue }
            let neighbours = [change(i - 1), change(i + 1)].compactMap { $0 }
            if let smaller = neighbours.min(), delta <= 2 * smaller { continue }
            guard let jump = try locateJump(from: points[i], to: points[i + 1], f) else { continue }
            if jump.before.x > points[i].x { out.append(jump.before) }
            out.append(Point(x: (jump.before.x + jump.after.x) / 2, y: .nan))
            if jump.after.x < points[i + 1].x { out.append(jump.after) }
        }
        return out
    }

    /// The cutting of `breakingJumps`: the two points either side of the jump in [a, b], or nil when
    /// the change shrinks like a continuous function's.
    static func locateJump(from a: Point, to b: Point, _ f: (Double) throws -> Double) rethrows -> (before: Point, after: Point)? {
        let initial = abs(b.y - a.y)
        var left = a, right = b
        for _ in 0..<16 {
            let x = left.x + 0.381_966_011_250_105_1 * (right.x - left.x)
            guard x > left.x, x < right.x else { break }
            let middle = Point(x: x, y: try f(x))
            guard middle.y.isFinite else { return (left, right) }
            if abs(middle.y - left.y) >= abs(right.y - middle.y) { right = middle } else { left = middle }
            if abs(right.y - left.y) < initial / 4 { return nil }
        }
        return (left, right)
    }
}
