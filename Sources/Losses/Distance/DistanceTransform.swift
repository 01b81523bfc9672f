import Foundation

/// Exact Euclidean distance transforms and the distance maps the boundary losses use.
///
/// ``euclidean(_:shape:spacing:)`` has the semantics of `scipy.ndimage.distance_transform_edt`:
/// every non-zero ("foreground") element gets its exact Euclidean distance to the nearest zero
/// element, measured with the per-axis `spacing` (scipy's `sampling`); zero elements get 0.
///
/// \[ \operatorname{edt}(m)_x = \min_{y:\, m_y = 0} \sqrt{\textstyle\sum_a s_a^2 (x_a - y_a)^2} \]
///
/// The algorithm is the separable lower envelope of parabolas of Felzenszwalb & Huttenlocher
/// (Theory of Computing 8, 2012, doi:10.4086/toc.2012.v008a019): one pass per axis over every
/// line of the array, linear in the number of elements, in `Double`. With unit (or any integer)
/// spacing every intermediate value is an integer below 2⁵³, so the squared distances are exact
/// and the result is the correctly rounded square root.
///
/// **No zero element.** When the mask has no zero at all (an all-foreground array) there is no
/// nearest zero: scipy then returns distances to a point outside the array that depend on its
/// implementation. We return `+∞` for every element instead, a value no caller can mistake for
/// a distance; the loss maps below never pass such a mask on (they define their own value).
/// An empty array (a zero dimension) gives an empty result.
public enum DistanceTransform {
    // MARK: - Public API

    /// The exact Euclidean distance transform of a boolean mask (`true` = non-zero).
    /// - Parameters:
    ///   - mask: row-major elements of an array of shape `shape`.
    ///   - shape: the array's shape (any rank, including 0).
    ///   - spacing: the grid step along each axis (`nil` = 1 on every axis; one value = the same
    ///     step on every axis); each must be finite and > 0.
    /// - Returns: the distances, row-major, `+∞` everywhere when `mask` has no `false` element.
    /// - Throws: `LossError.shapeMismatch` when `mask.count` or `spacing.count` does not fit
    ///   `shape`, `LossError.invalidInput` for a non-positive or non-finite spacing.
    public static func euclidean(_ mask: [Bool], shape: [Int], spacing: [Double]? = nil) throws -> [Double] {
        let steps = try validatedSpacing(spacing, rank: shape.count)
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == mask.count else {
            throw LossError.shapeMismatch("distance transform: a mask of \(mask.count) elements does not have shape \(shape)")
        }
        var squared = mask.map { $0 ? Double.infinity : 0 }
        squaredDistances(&squared, shape: shape, spacing: steps)
        for i in squared.indices { squared[i] = squared[i].squareRoot() }
        return squared
    }

    /// The exact Euclidean distance transform of a tensor: non-zero elements (NaN counts as
    /// non-zero, as in NumPy) get the distance to the nearest zero element.
    /// - Parameters:
    ///   - input: the mask, any shape; zero elements are the background.
    ///   - spacing: per-axis grid step, see ``euclidean(_:shape:spacing:)``.
    /// - Returns: a tensor of the same shape (`Float`, rounded from the `Double` result).
    public static func euclidean(_ input: Tensor, spacing: [Double]? = nil) throws -> Tensor {
        let distances = try euclidean(input.data.map { $0 != 0 }, shape: input.shape, spacing: spacing)
        return try Tensor(shape: input.shape, data: distances.map(Float.init))
    }

    /// Kervadec et al.'s signed distance map of a foreground mask, the weight of the boundary loss:
    ///
    /// \[ \phi = \operatorname{edt}(\lnot m)\cdot\lnot m - (\operatorname{edt}(m) - 1)\cdot m \]
    ///
    /// positive outside the object (distance to the nearest object element), 0 on the object's
    /// inner boundary, −(d − 1) deeper inside. As in the official code (LIVIAETS/boundary-loss,
    /// `one_hot2dist`) the offset is 1 even with a non-unit spacing, and a mask with no
    /// foreground gives φ = 0. A mask that is entirely foreground has no boundary either (the
    /// official code would call scipy on an array without zeros); we give φ = 0 there too.
    public static func signedBoundaryMap(_ mask: [Bool], shape: [Int], spacing: [Double]? = nil) throws -> [Double] {
        let outside = try euclidean(mask.map { !$0 }, shape: shape, spacing: spacing)
        guard mask.contains(true), mask.contains(false) else { return Array(repeating: 0, count: mask.count) }
        let inside = try euclidean(mask, shape: shape, spacing: spacing)
        return mask.indices.map { mask[$0] ? -(inside[$0] - 1) : outside[$0] }
    }

    /// Karimi & Salcudean's distance map, the weight of the Hausdorff-DT loss:
    /// \( d = \operatorname{edt}(m) + \operatorname{edt}(\lnot m) \) — the distance to the other
    /// side of the boundary, for elements on either side.
    ///
    /// As MONAI's `HausdorffDTLoss.distance_field`, a mask that is entirely foreground or
    /// entirely background gives d = 0 everywhere (such a mask has no boundary).
    public static func boundaryDistanceMap(_ mask: [Bool], shape: [Int], spacing: [Double]? = nil) throws -> [Double] {
        let inside = try euclidean(mask, shape: shape, spacing: spacing)
        guard mask.contains(true), mask.contains(false) else { return Array(repeating: 0, count: mask.count) }
        let outside = try euclidean(mask.map { !$0 }, shape: shape, spacing: spacing)
        return mask.indices.map { inside[$0] + outside[$0] }
    }

    /// The normalised, inverted distance map of Caliva et al.'s distance-penalised cross entropy,
    /// as SegLoss's `compute_edts_forPenalizedLoss` computes it: on each side of the boundary the
    /// distance to the other side, inverted and divided by the largest inverted value,
    ///
    /// \[ D = \frac{M_m - \operatorname{edt}(m)}{M_m - \mu_m}\, m + \frac{M_{\lnot m} - \operatorname{edt}(\lnot m)}{M_{\lnot m} - \mu_{\lnot m}}\, \lnot m \]
    ///
    /// with M and μ the largest and smallest distance on that side (SegLoss reassigns the inverted
    /// map before dividing by its maximum, so the denominator is M − μ, not M). D is 1 next to the
    /// boundary (on both sides) and 0 on the elements farthest from it. A side whose elements all
    /// lie at the same distance (M = μ, e.g. a one-voxel-thick object; SegLoss divides 0 by 0) gets
    /// D = 1: every element of it touches the boundary. A mask that is entirely foreground or
    /// entirely background gives D = 0.
    public static func inverseBoundaryMap(_ mask: [Bool], shape: [Int], spacing: [Double]? = nil) throws -> [Double] {
        guard mask.contains(true), mask.contains(false) else {
            _ = try validatedSpacing(spacing, rank: shape.count)
            return Array(repeating: 0, count: mask.count)
        }
        let inside = try invertedInside(mask, shape: shape, spacing: spacing)
        let outside = try invertedInside(mask.map { !$0 }, shape: shape, spacing: spacing)
        return mask.indices.map { inside[$0] + outside[$0] }
    }

    /// The inside half of ``inverseBoundaryMap(_:shape:spacing:)``: (M − edt(m))/(M − μ) on the
    /// mask's elements (1 where M = μ), 0 elsewhere and for an empty or full mask.
    public static func invertedInside(_ mask: [Bool], shape: [Int], spacing: [Double]? = nil) throws -> [Double] {
        let distances = try euclidean(mask, shape: shape, spacing: spacing)
        guard mask.contains(true), mask.contains(false) else { return Array(repeating: 0, count: mask.count) }
        var largest = 0.0, smallest = Double.infinity
        for i in mask.indices where mask[i] {
            largest = max(largest, distances[i])
            smallest = min(smallest, distances[i])
        }
        let range = largest - smallest
        return mask.indices.map { i in
            guard mask[i] else { return 0 }
            return range > 0 ? (largest - distances[i]) / range : 1
        }
    }

    // MARK: - Implementation details

    static func validatedSpacing(_ spacing: [Double]?, rank: Int) throws -> [Double] {
        guard let spacing else { return Array(repeating: 1, count: rank) }
        let steps: [Double]
        if spacing.count == rank { steps = spacing }
        else if spacing.count == 1 { steps = Array(repeating: spacing[0], count: rank) }
        else {
            throw LossError.shapeMismatch("distance transform: \(spacing.count) spacings given for an array of rank \(rank)")
        }
        guard steps.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw LossError.invalidInput("distance transform: every spacing must be finite and > 0, got \(spacing)")
        }
        return steps
    }

    /// Replaces `f` (0 at seeds, +∞ elsewhere, or any non-negative sampled function) by its
    /// squared-distance transform \( \min_y f(y) + \sum_a s_a^2 (x_a - y_a)^2 \), axis by axis.
    static func squaredDistances(_ f: inout [Double], shape: [Int], spacing: [Double]) {
        let count = f.count
        guard count > 0 else { return }
        var strides = Array(repeating: 1, count: shape.count)
        var step = 1
        for axis in shape.indices.reversed() { strides[axis] = step; step *= shape[axis] }
        f.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for axis in shape.indices.reversed() where shape[axis] > 1 {
                let n = shape[axis], stride = strides[axis]
                let lines = count / n
                let s2 = spacing[axis] * spacing[axis]
                // Line k starts at (k / stride) * stride * n + k % stride; lines are disjoint.
                Parallel.forEach(count: lines, grain: max(1, Parallel.grain / n)) { range in
                    let scratch = LineScratch(length: n)
                    for k in range {
                        let start = (k / stride) * stride * n + k % stride
                        scratch.transform(base + start, count: n, stride: stride, squaredSpacing: s2)
                    }
                }
            }
        }
    }
}

/// Buffers for the 1-D lower envelope of parabolas along one line, allocated once per worker
/// (raw memory: the inner loops touch no reference counts).
private final class LineScratch {
    let values: UnsafeMutablePointer<Double>
    let vertices: UnsafeMutablePointer<Int>
    let boundaries: UnsafeMutablePointer<Double>

    init(length: Int) {
        values = .allocate(capacity: length)
        vertices = .allocate(capacity: length)
        boundaries = .allocate(capacity: length + 1)
    }

    deinit {
        values.deallocate()
        vertices.deallocate()
        boundaries.deallocate()
    }

    /// Felzenszwalb–Huttenlocher along one strided line, in place. Positions are in grid units
    /// and the parabolas are scaled by `squaredSpacing`; +∞ samples are left out of the envelope
    /// (a line without a finite sample stays +∞).
    func transform(_ line: UnsafeMutablePointer<Double>, count n: Int, stride: Int, squaredSpacing s2: Double) {
        let f = values, v = vertices, z = boundaries
        for i in 0..<n { f[i] = line[i * stride] }
        var k = -1
        for q in 0..<n where f[q].isFinite {
            let fq = f[q] + s2 * Double(q * q)
            // Intersection with the parabola on top of the stack, in grid units.
            var s = -Double.infinity
            while k >= 0 {
                let r = v[k]
                s = (fq - (f[r] + s2 * Double(r * r))) / (2 * s2 * Double(q - r))
                if s <= z[k] { k -= 1 } else { break }
            }
            k += 1
            v[k] = q
            z[k] = k == 0 ? -.infinity : s
            z[k + 1] = .infinity
        }
        guard k >= 0 else { return }
        var j = 0
        for p in 0..<n {
            while z[j + 1] < Double(p) { j += 1 }
            let d = Double(p - v[j])
            line[p * stride] = s2 * d * d + f[v[j]]
        }
    }
}
