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
