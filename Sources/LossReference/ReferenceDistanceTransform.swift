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
    ///   - spacing: the grid step per axis, or one step for every axis (`nil`: 1 on every axis).
    public static func edt(_ mask: RefArray, spacing: [Double]? = nil) throws -> RefArray {
        let rank = mask.shape.count
        var step = spacing ?? Array(repeating: 1, count: rank)
        if step.count == 1 { step = Array(repeating: step[0], count: rank) }
        guard step.count == rank, step.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ReferenceError.invalidParameter(name: "spacing", message: "needs 1 or \(rank) positive finite values")
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

    /// Kervadec's signed map φ = edt(¬m)·¬m − (edt(m) − 1)·m (the 1 stays 1 whatever the
    /// spacing, as the official `one_hot2dist`); 0 where the mask has no foreground or no
    /// background.
    public static func signedBoundaryMap(_ mask: RefArray, spacing: [Double]? = nil) throws -> RefArray {
        var out = RefArray(shape: mask.shape, repeating: 0)
        guard mask.data.contains(1), mask.data.contains(0) else { return out }
        var complement = mask
        complement.data = mask.data.map { 1 - $0 }
        let inside = try edt(mask, spacing: spacing)
        let outside = try edt(complement, spacing: spacing)
        for i in 0..<mask.count {
            out.data[i] = mask.data[i] == 1 ? -(inside.data[i] - 1) : outside.data[i]
        }
        return out
    }

    /// Karimi & Salcudean's distance map edt(m) + edt(¬m); 0 for an all-in or all-out mask.
    public static func boundaryDistanceMap(_ mask: RefArray, spacing: [Double]? = nil) throws -> RefArray {
        guard mask.data.contains(1), mask.data.contains(0) else { return RefArray(shape: mask.shape, repeating: 0) }
        var complement = mask
        complement.data = mask.data.map { 1 - $0 }
        let a = try edt(mask, spacing: spacing)
        let b = try edt(complement, spacing: spacing)
        var out = a
        for i in 0..<mask.count { out.data[i] = a.data[i] + b.data[i] }
        return out
    }
}
