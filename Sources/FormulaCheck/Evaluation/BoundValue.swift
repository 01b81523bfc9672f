/// What a symbol stands for while a formula is evaluated.
public enum BoundValue: Equatable, Sendable {
    case scalar(Double)
    /// An array whose axes carry index names: `p_{n,c,i}` → axes `[n, c, i]`.
    case array(BoundArray)
}

/// Values over named axes, row-major. An axis of extent 1 broadcasts against any index.
public struct BoundArray: Equatable, Sendable {
    public var axes: [String]
    public var extents: [Int]
    public var values: [Double]
    /// The shape the last axis flattens (`[H, W]` for i over an image's positions): the grid a
    /// correlation slides over (`Correlation`); one dimension unless bound from a larger shape.
    public var grid: [Int]

    public init(axes: [String], extents: [Int], values: [Double]) throws {
        guard axes.count == extents.count, extents.reduce(1, *) == values.count else {
            throw FormulaError("an array over \(axes.joined(separator: ",")) with extents \(extents) cannot hold \(values.count) values")
        }
        self.axes = axes
        self.extents = extents
        self.values = values
        grid = extents.last.map { [$0] } ?? []
    }

    /// Binds `axes` to an array of `shape`: one axis each for the leading dimensions, the last
    /// axis taking the remaining ones flattened (`p_{n,c,i}` over `[N, C, H, W]` has i over H·W).
    public init(axes: [String], shape: [Int], values: [Double]) throws {
        guard !axes.isEmpty else {
            guard values.count == 1 else { throw FormulaError("\(values.count) values bound to a symbol without indices") }
            try self.init(axes: [], extents: [], values: values)
            return
        }
        guard shape.count >= axes.count else {
            throw FormulaError("\(axes.count) indices (\(axes.joined(separator: ","))) for an array of shape \(shape)")
        }
        let leading = Array(shape.prefix(axes.count - 1))
        try self.init(axes: axes, extents: leading + [shape.dropFirst(axes.count - 1).reduce(1, *)], values: values)
        grid = Array(shape.dropFirst(axes.count - 1))
    }

    /// The element at 1-based `indices` (one per axis).
    func element(_ indices: [Int]) -> Double? {
        var flat = 0
        for (index, extent) in zip(indices, extents) {
            let i = extent == 1 ? 0 : index - 1
            guard i >= 0, i < extent else { return nil }
            flat = flat * extent + i
        }
        return values[flat]
    }
}
