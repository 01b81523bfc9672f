/// The soft skeleton of Shit et al. (clDice), computed exactly as MONAI's `soft_skel`, and its
/// gradient, for one 2-D `[H, W]` or 3-D `[D, H, W]` image stored row-major.
///
/// With erosion E (the minimum over a 3-pixel line along each axis, then the minimum of those
/// lines), dilation Δ (the maximum over the 3×3 or 3×3×3 box) and opening O = Δ∘E, both with
/// windows clipped at the border (max pooling's −∞ padding):
///
/// ```latex
/// x_0 = x,\ x_{k+1} = E(x_k), \quad d_k = [x_k - O(x_k)]_+, \quad
/// s_0 = d_0,\ s_k = s_{k-1} + [d_k - s_{k-1} d_k]_+ \quad (k = 1 … \text{iter\_}), \quad \text{skel} = s_{\text{iter\_}}
/// ```
///
/// The gradient is the one torch's autograd gives through MONAI's code, ties included:
/// - a pooling window passes its gradient to the *first* extreme element in row-major order of
///   the (clipped) window: `max_pool`'s CPU kernel keeps its running index on a strict `>`, and
///   erosion is `−max_pool(−x)`, so the first minimum;
/// - where the two (three) line minima of an erosion are equal, `torch.min(a, b)` gives each side
///   half the gradient (`torch.minimum`'s derivative), nested as MONAI nests it: min(min(p₁, p₂), p₃);
/// - `relu` passes nothing at 0 (its derivative there is 0), so a pixel where x_k = O(x_k)
///   exactly takes no gradient through d_k.
///
/// Values are computed in `Double` from the `Float` probabilities: every step is a selection
/// (exact in either precision) except d_k and the update of s, which round once each.
/// A NaN anywhere in a window makes that window's result NaN (as torch's pooling).
public struct SoftSkeleton: Sendable {
    /// The spatial shape, two or three axes.
    let shape: [Int]
    let iterations: Int
    public let count: Int
    private let strides: [Int]

    /// - Throws: `LossError.invalidInput` unless `shape` has two or three axes (MONAI's
    ///   `soft_erode` and `soft_dilate` know only 4-D and 5-D tensors).
    public init(shape: [Int], iterations: Int) throws {
        guard shape.count == 2 || shape.count == 3 else {
            throw LossError.invalidInput("the soft skeleton is defined for 2-D and 3-D images ([N, C, H, W] or [N, C, D, H, W]), got \(shape.count) spatial axes")
        }
        self.shape = shape
        self.iterations = iterations
        count = shape.reduce(1, *)
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        self.strides = strides
    }

    // MARK: - Forward

    /// The soft skeleton of `x`.
    public func callAsFunction(_ x: [Double]) -> [Double] {
        var image = x
        var skeleton = residue(image)
        for _ in 0..<iterations {
            image = erode(image)
            let d = residue(image)
            for i in 0..<count { skeleton[i] += relu(d[i] - skeleton[i] * d[i]) }
        }
        return skeleton
    }

    /// d = [x − O(x)]₊.
    private func residue(_ x: [Double]) -> [Double] {
        let opened = dilate(erode(x))
        return (0..<count).map { relu(x[$0] - opened[$0]) }
    }

    @inline(__always)
    private func relu(_ v: Double) -> Double { v.isNaN ? v : (v > 0 ? v : 0) }

    /// E(x): per axis the first minimum of the clipped 3-line, then the minimum of the axes.
    func erode(_ x: [Double]) -> [Double] {
        (0..<count).map { i in
            var m = x[lineMinimum(x, at: i, axis: 0)]
            for axis in 1..<shape.count { m = minimum(m, x[lineMinimum(x, at: i, axis: axis)]) }
            return m
        }
    }

    /// Δ(x): the maximum of the clipped 3×3(×3) box.
    func dilate(_ x: [Double]) -> [Double] {
        (0..<count).map { x[boxMaximum(x, at: $0)] }
    }

    /// `torch.minimum`: NaN if either is NaN.
    @inline(__always)
    private func minimum(_ a: Double, _ b: Double) -> Double { a.isNaN || a < b ? a : b }

    /// The coordinate of flat index `i` along `axis`.
    @inline(__always)
    private func coordinate(_ i: Int, _ axis: Int) -> Int { (i / strides[axis]) % shape[axis] }

    /// The index of the first minimum of x[i − e], x[i], x[i + e] along `axis` (clipped), as
    /// `−max_pool(−x)` picks it (a NaN wins, as it does in the pooling kernel).
    @inline(__always)
    func lineMinimum(_ x: [Double], at i: Int, axis: Int) -> Int {
        let c = coordinate(i, axis), step = strides[axis]
        let first = c > 0 ? i - step : i
        let last = c + 1 < shape[axis] ? i + step : i
        var best = first
        var j = first + step
        while j <= last {
            if x[j] < x[best] || x[j].isNaN { best = j }
            j += step
        }
        return best
    }

    /// The index of the first maximum of the clipped 3×3(×3) box around `i`, in row-major order.
    @inline(__always)
    func boxMaximum(_ x: [Double], at i: Int) -> Int {
        // The window's offsets per axis: −1 … 1, clipped at the border.
        func window(_ axis: Int) -> ClosedRange<Int> {
            let c = coordinate(i, axis)
            return (c > 0 ? -1 : 0)...(c + 1 < shape[axis] ? 1 : 0)
        }
        let three = shape.count == 3
        var best = -1
        for a in window(0) {
            for b in window(1) {
                for c in three ? window(2) : 0...0 {
                    let j = i + a * strides[0] + b * strides[1] + (three ? c * strides[2] : 0)
                    if best < 0 || x[j] > x[best] || x[j].isNaN { best = j }
                }
            }
        }
        return best
    }

    // MARK: - Backward

    /// ∂⟨upstream, skel(x)⟩/∂x: recomputes the forward pass keeping every level, then runs it
    /// backwards with the tie rules of the type's documentation.
    func gradient(_ x: [Double], upstream: [Double]) -> [Double] {
        // Forward, kept: x_k, O(x_k), d_k (k = 0 … iter_), s_k (k = 0 … iter_ − 1).
        var images = [x], opened: [[Double]] = [], residues: [[Double]] = [], skeletons: [[Double]] = []
        for k in 0...iterations {
            if k > 0 { images.append(erode(images[k - 1])) }
            let o = dilate(erode(images[k]))
            opened.append(o)
            residues.append((0..<count).map { relu(images[k][$0] - o[$0]) })
            if k == 0 {
                skeletons.append(residues[0])
            } else if k < iterations {
                let s = skeletons[k - 1], d = residues[k]
                skeletons.append((0..<count).map { s[$0] + relu(d[$0] - s[$0] * d[$0]) })
            }
        }
        // Back through s_k = s_{k−1} + [d_k − s_{k−1} d_k]₊: ∂/∂s = 1 − r d, ∂/∂d = r (1 − s), r = [z > 0].
        var gradSkeleton = upstream
        var gradResidues = [[Double]](repeating: [], count: iterations + 1)
        for k in stride(from: iterations, through: 1, by: -1) {
            let s = skeletons[k - 1], d = residues[k]
            var gd = [Double](repeating: 0, count: count)
            for i in 0..<count where d[i] - s[i] * d[i] > 0 {
                gd[i] = gradSkeleton[i] * (1 - s[i])
                gradSkeleton[i] *= 1 - d[i]
            }
            gradResidues[k] = gd
        }
        gradResidues[0] = gradSkeleton
        // Back through d_k = [x_k − Δ(E(x_k))]₊ and x_{k+1} = E(x_k), from the deepest level up.
        var gradImage = [Double](repeating: 0, count: count)   // ∂/∂x_{k+1}, i.e. ∂/∂E(x_k) from below
        for k in stride(from: iterations, through: 0, by: -1) {
            let xk = images[k], o = opened[k], gd = gradResidues[k]
            var throughOpening = [Double](repeating: 0, count: count)
            var direct = [Double](repeating: 0, count: count)
            for i in 0..<count where xk[i] - o[i] > 0 {
                direct[i] = gd[i]
                throughOpening[i] = -gd[i]
            }
            let eroded = k < iterations ? images[k + 1] : erode(xk)
            var gradEroded = dilateBackward(eroded, throughOpening)
            for i in 0..<count { gradEroded[i] += gradImage[i] }
            gradImage = erodeBackward(xk, gradEroded)
            for i in 0..<count { gradImage[i] += direct[i] }
        }
        return gradImage
    }

    /// Back through Δ: each output's gradient to the first maximum of its window.
    func dilateBackward(_ x: [Double], _ upstream: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count where upstream[i] != 0 { out[boxMaximum(x, at: i)] += upstream[i] }
        return out
    }

    /// Back through E: each line minimum gets its share of the nested `torch.min`s (half each
    /// where two are equal), then goes to its first minimum.
    func erodeBackward(_ x: [Double], _ upstream: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count where upstream[i] != 0 {
            let j = (0..<shape.count).map { lineMinimum(x, at: i, axis: $0) }
            // min(p₁, p₂) (2-D), min(min(p₁, p₂), p₃) (3-D): walk the nesting from the outside in.
            var share = upstream[i]
            var inner = x[j[0]]
            var innerValues = [inner]
            for axis in 1..<shape.count {
                inner = minimum(inner, x[j[axis]])
                innerValues.append(inner)
            }
            for axis in stride(from: shape.count - 1, through: 1, by: -1) {
                let left = innerValues[axis - 1], right = x[j[axis]]
                let (toLeft, toRight): (Double, Double) = left == right ? (0.5, 0.5) : (left < right ? (1, 0) : (0, 1))
                out[j[axis]] += share * toRight
                share *= toLeft
            }
            out[j[0]] += share
        }
        return out
    }
}
