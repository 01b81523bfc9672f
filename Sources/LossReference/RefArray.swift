/// A dense N-dimensional array of `Double` in row-major (C) order: the reference's own
/// tensor type, deliberately unrelated to `Losses.Tensor`.
///
/// Class scores are channel-first, `[N, C, spatial…]`; a scalar has shape `[]` and one element.
public struct RefArray: Sendable, Equatable, CustomStringConvertible {
    public var shape: [Int]
    public var data: [Double]

    /// - Throws: `ReferenceError.invalidInput` when `data.count` is not the product of `shape`.
    public init(shape: [Int], data: [Double]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == data.count else {
            throw ReferenceError.invalidInput("shape \(shape) does not hold \(data.count) elements")
        }
        self.shape = shape
        self.data = data
    }

    /// An array of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Double) {
        self.shape = shape
        self.data = Array(repeating: value, count: shape.reduce(1, *))
    }

    public init(scalar: Double) {
        self.shape = []
        self.data = [scalar]
    }

    public var count: Int { data.count }

    /// The single value of a one-element array.
    public var scalar: Double? { data.count == 1 ? data[0] : nil }

    public var description: String { "RefArray(shape: \(shape), data: \(data))" }

    /// The flat position of a multi-index.
    public func offset(_ index: [Int]) -> Int {
        var offset = 0
        for axis in shape.indices { offset = offset * shape[axis] + index[axis] }
        return offset
    }

    public subscript(index: [Int]) -> Double {
        get { data[offset(index)] }
        set { data[offset(index)] = newValue }
    }

    /// The multi-index of a flat position.
    public func index(ofOffset offset: Int) -> [Int] {
        var index = Array(repeating: 0, count: shape.count)
        var rest = offset
        for axis in shape.indices.reversed() {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
