/// A dense N-dimensional array of `Float` in row-major (C) order.
///
/// Class scores are channel-first: `[N, C, spatial…]`. A class-index target is
/// `[N, spatial…]` holding whole numbers stored as `Float`. A scalar has shape `[]`
/// and one element.
public struct Tensor: Sendable, Equatable {
    /// The size of each axis; `[]` for a scalar.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `data.count` is the product of `shape`.
    public var data: [Float]

    /// A tensor of the given shape holding `data` in row-major order.
    /// - Parameters:
    ///   - shape: the size of each axis, each ≥ 0.
    ///   - data: the elements, as many as the product of `shape`.
    /// - Throws: `LossError.invalidInput` when `data.count` is not the product of `shape`
    ///   or a dimension is negative.
    public init(shape: [Int], data: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw LossError.invalidInput("shape \(shape) has a negative dimension")
        }
        let count = shape.reduce(1, *)
        guard count == data.count else {
            throw LossError.invalidInput("shape \(shape) holds \(count) elements but \(data.count) were given")
        }
        self.shape = shape
        self.data = data
    }

    /// A tensor of the given shape with every element equal to `value`.
    ///
    /// Traps on a negative dimension (a programming error, unlike ``init(shape:data:)``'s input).
    /// - Parameters:
    ///   - shape: the size of each axis, each ≥ 0.
    ///   - value: the value of every element (default 0).
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.data = Array(repeating: value, count: shape.reduce(1, *))
    }

    /// A scalar: shape `[]`, one element.
    public init(scalar: Float) {
        self.shape = []
        self.data = [scalar]
    }

    /// The number of elements.
    public var count: Int { data.count }
    /// The number of axes.
    public var rank: Int { shape.count }
    /// Whether the shape is `[]`.
    public var isScalar: Bool { shape.isEmpty }

    /// The single value of a one-element tensor.
    public var scalar: Float? { data.count == 1 ? data[0] : nil }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var strides = Array(repeating: 1, count: shape.count)
        var step = 1
        for axis in shape.indices.reversed() {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// The element at a multi-index, one coordinate per axis (traps on a wrong rank).
    public subscript(index: [Int]) -> Float {
        get { data[offset(index)] }
        set { data[offset(index)] = newValue }
    }

    private func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index rank \(index.count) != tensor rank \(shape.count)")
        var offset = 0
        var step = 1
        for axis in shape.indices.reversed() {
            offset += index[axis] * step
            step *= shape[axis]
        }
        return offset
    }

    /// The same elements seen with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        try Tensor(shape: newShape, data: data)
    }
}
