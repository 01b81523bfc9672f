import Foundation

/// Brute-force exact Euclidean distance transforms: for every element, the minimum over all
/// elements of the other kind of `sqrt(Σ_k (s_k·Δi_k)²)`. O(n²) on purpose: it is the check
/// for the linear-time transform in `Losses`, and it reads like the definition.
public enum ReferenceDistanceTransform {
    /// `scipy.ndimage.distance_transform_edt(mask, sampling=spacing)`: each non-zero element's
    /// distance to the nearest zero element, 0 on zero elements.
    ///
    /// A mask with no zero element has no distance to give: scipy then returns a meaningless
    /// large number; the reference returns `+∞` for every element and callers decide.
    /// - Parameters:
    ///   - mask: any shape; non-zero means foreground.
    ///   - spacing: the grid step per axis (`nil`: 1 on every axis).
    public static func edt(_ mask: RefArray, spacing: [Double]? = nil) throws -> RefArray {
        let rank = mask.shape.count
        let step = spacing ?? Array(repeating: 1, count: rank)
        guard step.count == rank, step.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ReferenceError.invalidParameter(name: "spacing", message: "needs \(rank) positive finite values")
        }
        let zeros = (0..<mask.count).filter { mask.data[$0] == 0 }.map { mask.index(ofOffset: $0) }
        var out = RefArray(shape: mask.shape, repeating: 0)
        for offset in 0..<mask.count where mask.data[offset] != 0 {
            let here = mask.index(ofOffset: offset)
            var best = Double.infinity
            for zero in zeros {
                var squared = 0.0
                for axis in 0..<rank {
                    let d = Double(here[axis] - zero[axis]) * step[axis]
                    squared += d * d
                }
                best = min(best, squared)
            }
            out.data[offset] = best.squareRoot()
        }
        return out
    }

    /// The same transform over the trailing `rank - leading` axes, separately for every index of
    /// the `leading` axes (e.g. per batch item and class of an `[N, C, spatial…]` array).
    static func edtPerSlice(_ masks: RefArray, leading: Int, spacing: [Double]?) throws -> RefArray {
        let sliceShape = Array(masks.shape.dropFirst(leading))
        let sliceCount = sliceShape.reduce(1, *)
        let slices = masks.shape.prefix(leading).reduce(1, *)
        var out = RefArray(shape: masks.shape, repeating: 0)
        for k in 0..<slices {
            let slice = try RefArray(shape: sliceShape, data: Array(masks.data[(k * sliceCount)..<((k + 1) * sliceCount)]))
            let d = try edt(slice, spacing: spacing)
            for i in 0..<sliceCount { out.data[k * sliceCount + i] = d.data[i] }
        }
        return out
    }
}
