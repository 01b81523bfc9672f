/// A probe array whose batch is pooled into its positions: `probability over b,c,i pooling b into i`
/// names the stored axes `[b, c, i]` and binds the array over `[c, i]`, i running over every
/// image's positions in storage order (image b's positions after image b − 1's). A loss that treats
/// the batch as one image (Lovász with `per_image` off) is written over i alone so.
extension FormulaChecker {
    /// The source without its `pooling X into Y` clause, and the two axes; nil without one.
    static func pooling(_ source: String) -> (source: String, from: String, into: String)? {
        guard let range = source.range(of: " pooling ") else { return nil }
        let words = source[range.upperBound...].split(separator: " ").map(String.init)
        guard words.count == 3, words[1] == "into" else { return nil }
        return (String(source[..<range.lowerBound]), words[0], words[2])
    }

    /// `array` with axis `from` moved just before `into` and merged with it (the major part).
    static func pooled(_ array: BoundArray, from: String, into: String) throws -> BoundArray {
        guard let f = array.axes.firstIndex(of: from), let t = array.axes.firstIndex(of: into), f != t else {
            throw FormulaError("cannot pool \(from) into \(into): the array's axes are \(array.axes.joined(separator: ","))",
                               hint: "name both in storage order, e.g. probability over b,c,i pooling b into i")
        }
        // The new order: every axis but `from`, `from` just before `into`.
        var order = Array(array.axes.indices).filter { $0 != f }
        order.insert(f, at: order.firstIndex(of: t)!)
        let extents = order.map { array.extents[$0] }
        var strides = [Int](repeating: 1, count: array.extents.count)
        for k in stride(from: array.extents.count - 2, through: 0, by: -1) { strides[k] = strides[k + 1] * array.extents[k + 1] }
        var values: [Double] = []
        values.reserveCapacity(array.values.count)
        var index = [Int](repeating: 0, count: order.count)
        for _ in 0..<array.values.count {
            values.append(array.values[zip(order, index).reduce(0) { $0 + strides[$1.0] * $1.1 }])
            for k in stride(from: order.count - 1, through: 0, by: -1) {
                index[k] += 1
                if index[k] < extents[k] { break }
                index[k] = 0
            }
        }
        let merged = order.firstIndex(of: f)!
        var axes = order.map { array.axes[$0] }, mergedExtents = extents
        mergedExtents[merged + 1] *= extents[merged]
        axes.remove(at: merged)
        mergedExtents.remove(at: merged)
        return try BoundArray(axes: axes, extents: mergedExtents, values: values)
    }
}
