import FormulaCheck

/// The soft erosion and dilation clDice's skeleton formula (cldice #2) is written with, as maps
/// of one image over the probe's grid: a binding names them (`E: soft erosion`, `\Delta: soft
/// dilation`), and the formula's recursion over k (its opening, residues and skeleton update)
/// is evaluated as written. Written here from the clDice losses' description (MONAI's
/// `soft_erode` is −max_pool(−x) along a 3-pixel line per axis, the minimum of those lines;
/// `soft_dilate` the 3×3(×3) max_pool; windows clipped at the border), not taken from the
/// library's `SoftSkeleton`.
extension CatalogLoss {
    /// `soft erosion` and `soft dilation` over an image of `shape` (row-major).
    static func morphology(shape: [Int]) -> [String: FieldFunction] {
        let count = shape.reduce(1, *)
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        /// The flat indices within one step of `i` along `axes` (each clipped at the border), `i` included.
        func window(_ i: Int, axes: [Int]) -> [Int] {
            axes.reduce([i]) { indices, axis in
                let coordinate = (i / strides[axis]) % shape[axis]
                let steps = [-1, 0, 1].filter { coordinate + $0 >= 0 && coordinate + $0 < shape[axis] }
                return indices.flatMap { j in steps.map { j + $0 * strides[axis] } }
            }
        }
        let lines = shape.indices.map { axis in (0..<count).map { window($0, axes: [axis]) } }
        let boxes = (0..<count).map { window($0, axes: Array(shape.indices)) }
        let erosion = FieldFunction(axis: "i", count: count) { x in
            (0..<count).map { i in lines.map { line in line[i].map { x[$0] }.min()! }.min()! }
        }
        let dilation = FieldFunction(axis: "i", count: count) { x in
            (0..<count).map { i in boxes[i].map { x[$0] }.max()! }
        }
        return ["soft erosion": erosion, "soft dilation": dilation]
    }
}
