import Foundation

/// Structural-similarity loss (Wang et al. 2004), MONAI `SSIMLoss` exactly: one minus the mean
/// SSIM map of each sample.
///
/// With w a normalised window (Gaussian of σ = `kernel_sigma` or uniform, `win_size` per axis),
/// local means μ = w ⋆ x, second moments and covariances σ_x² = w ⋆ x² − μ_x², σ_xy = w ⋆ (xy) − μ_x μ_y
/// (valid correlation: no padding), c₁ = (k₁ L)², c₂ = (k₂ L)², L = `data_range`:
///
/// ```latex
/// \mathcal{L}_n = 1 - \frac{1}{C\,|\Omega'|}\sum_{c,\,i \in \Omega'} \frac{(2\mu_x\mu_y + c_1)(2\sigma_{xy} + c_2)}{(\mu_x^2 + \mu_y^2 + c_1)(\sigma_x^2 + \sigma_y^2 + c_2)}
/// ```
///
/// then `mean` (over samples), `sum`, or `none` shaped `[N]` (MONAI's `[N, 1]` squeezed). Input:
/// images `[N, C, H, W]` (`spatial_dims` 2) or `[N, C, D, H, W]` (3), target of the same shape; the
/// target is a constant. Every spatial size must be at least `win_size` (MONAI's convolution fails
/// otherwise). Identical images give 0 (a constant image included: c₁, c₂ > 0 keep the ratios 1).
/// With k₁ = k₂ = 0 a constant window gives 0/0 = NaN, as MONAI. NaN inputs propagate.
/// The windows are separable: each moment is three (two) 1-D passes in `Double`; the gradient is
/// the transposed passes applied to ∂𝓛/∂μ_x, ∂𝓛/∂(w ⋆ x²) and ∂𝓛/∂(w ⋆ xy).
public struct SSIMLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "ssim",
        category: .regression,
        formulas: [
            #"\mathcal{L}_n = 1 - \frac{1}{C\,|\Omega'|}\sum_{c,\,i} \frac{(2\mu_x\mu_y + c_1)(2\sigma_{xy} + c_2)}{(\mu_x^2 + \mu_y^2 + c_1)(\sigma_x^2 + \sigma_y^2 + c_2)}, \quad c_1 = (k_1 L)^2,\ c_2 = (k_2 L)^2"#,
            #"\mu_x = w \star x, \quad \sigma_x^2 = w \star x^2 - \mu_x^2, \quad \sigma_{xy} = w \star (x y) - \mu_x \mu_y"#,
        ],
        parameters: [
            ParameterSpec("spatial_dims", .integer(min: 2, max: 3), default: .number(2)),
            ParameterSpec("data_range", .number(min: 0, max: nil, minExclusive: true), default: .number(1)),
            ParameterSpec("kernel_type", .choice(["gaussian", "uniform"]), default: .string("gaussian")),
            ParameterSpec("win_size", .integer(min: 1, max: nil), default: .number(11)),
            ParameterSpec("kernel_sigma", .number(min: 0, max: nil, minExclusive: true), default: .number(1.5)),
            ParameterSpec("k1", .number(min: 0, max: nil), default: .number(0.01)),
            ParameterSpec("k2", .number(min: 0, max: nil), default: .number(0.03)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.SSIMLoss(spatial_dims=2)"),
        ],
        citation: Citation("Wang Z., Bovik A. C., Sheikh H. R., Simoncelli E. P. Image Quality Assessment: From Error Visibility to Structural Similarity. IEEE Transactions on Image Processing 13(4):600–612, 2004.",
                           url: "https://doi.org/10.1109/TIP.2003.819861"))

    let spatialDims: Int
    let c1: Double, c2: Double
    let window: [Double]
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        spatialDims = try parameters.integer("spatial_dims")
        let range = try parameters.number("data_range")
        c1 = pow(try parameters.number("k1") * range, 2)
        c2 = pow(try parameters.number("k2") * range, 2)
        let size = try parameters.integer("win_size")
        if try parameters.string("kernel_type") == "uniform" {
            window = Array(repeating: 1 / Double(size), count: size)
        } else {
            // MONAI's gaussian_1d: offsets (1 − k)/2 … (k − 1)/2, normalised to sum 1.
            let sigma = try parameters.number("kernel_sigma")
            let raw = (0..<size).map { t -> Double in
                let d = (Double(1 - size) / 2 + Double(t)) / sigma
                return exp(-d * d / 2)
            }
            let total = raw.reduce(0, +)
            window = raw.map { $0 / total }
        }
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        guard let target else { throw LossError.invalidInput("ssim needs a target image") }
        guard input.rank == spatialDims + 2 else {
            throw LossError.invalidInput("spatial_dims \(spatialDims) needs input [N, C, \(spatialDims == 2 ? "H, W" : "D, H, W")], got \(input.shape)")
        }
        guard target.shape == input.shape else {
            throw LossError.shapeMismatch("target shape \(target.shape) must equal the input's \(input.shape)")
        }
        let spatial = Array(input.shape.dropFirst(2))
        guard spatial.allSatisfy({ $0 >= window.count }) else {
            throw LossError.invalidInput("every spatial size of \(spatial) must be at least win_size \(window.count)")
        }
        let N = input.shape[0], C = input.shape[1], S = spatial.reduce(1, *)
        let valid = spatial.map { $0 - window.count + 1 }, M = valid.reduce(1, *)
        var values = [Double](repeating: 0, count: N)
        let scale = Reduce.gradientScale(reduction, count: Double(N))
        var grad = [Float](repeating: 0, count: gradient ? input.count : 0)
        for n in 0..<N {
            var total = 0.0
            for c in 0..<C {
                let base = (n * C + c) * S
                let x = (0..<S).map { Double(input.data[base + $0]) }, y = (0..<S).map { Double(target.data[base + $0]) }
                let mx = smooth(x, spatial), my = smooth(y, spatial)
                let mxx = smooth(x.map { $0 * $0 }, spatial), myy = smooth(y.map { $0 * $0 }, spatial)
                let mxy = smooth(zip(x, y).map { $0 * $1 }, spatial)
                var dMean = [Double](repeating: 0, count: M), dSquare = dMean, dCross = dMean
                let k = -scale / Double(C * M)
                for i in 0..<M {
                    let a = 2 * mx[i] * my[i] + c1, b = mx[i] * mx[i] + my[i] * my[i] + c1
                    let vx = mxx[i] - mx[i] * mx[i], vy = myy[i] - my[i] * my[i], cxy = mxy[i] - mx[i] * my[i]
                    let e = 2 * cxy + c2, d = vx + vy + c2
                    total += (a / b) * (e / d)
                    guard gradient else { continue }
                    // Through μ_x (directly and inside σ_x², σ_xy), w ⋆ x² and w ⋆ xy.
                    let luminance = a / b, structure = e / d
                    let dLuminance = (2 * my[i] - 2 * mx[i] * luminance) / b
                    let dStructure = (-2 * my[i] + 2 * mx[i] * structure) / d
                    dMean[i] = k * (dLuminance * structure + luminance * dStructure)
                    dSquare[i] = k * luminance * (-structure / d)
                    dCross[i] = k * luminance * (2 / d)
                }
                guard gradient else { continue }
                let gMean = spread(dMean, spatial), gSquare = spread(dSquare, spatial), gCross = spread(dCross, spatial)
                for s in 0..<S { grad[base + s] = Float(gMean[s] + 2 * x[s] * gSquare[s] + y[s] * gCross[s]) }
            }
            values[n] = 1 - total / Double(C * M)
        }
        let value = Reduce.value(sum: values.reduce(0, +), count: Double(N), elements: values.map(Float.init), shape: [N],
                                 reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }

    /// w ⋆ x with no padding: one 1-D pass per axis (the window is a product of 1-D windows).
    func smooth(_ x: [Double], _ shape: [Int]) -> [Double] {
        var data = x, current = shape
        for axis in shape.indices {
            let length = current[axis], out = length - window.count + 1
            let inner = current[(axis + 1)...].reduce(1, *), outer = current[..<axis].reduce(1, *)
            var next = [Double](repeating: 0, count: outer * out * inner)
            for o in 0..<outer {
                for i in 0..<out {
                    for r in 0..<inner {
                        var s = 0.0
                        for (t, w) in window.enumerated() { s += w * data[(o * length + i + t) * inner + r] }
                        next[(o * out + i) * inner + r] = s
                    }
                }
            }
            data = next
            current[axis] = out
        }
        return data
    }

    /// The transpose of `smooth`: a map on the valid positions spread back onto the image.
    func spread(_ g: [Double], _ shape: [Int]) -> [Double] {
        var data = g
        var current = shape.map { $0 - window.count + 1 }
        for axis in shape.indices.reversed() {
            let out = current[axis], length = shape[axis]
            let inner = current[(axis + 1)...].reduce(1, *), outer = current[..<axis].reduce(1, *)
            var next = [Double](repeating: 0, count: outer * length * inner)
            for o in 0..<outer {
                for i in 0..<out {
                    for r in 0..<inner {
                        let v = data[(o * out + i) * inner + r]
                        for (t, w) in window.enumerated() { next[(o * length + i + t) * inner + r] += w * v }
                    }
                }
            }
            data = next
            current[axis] = length
        }
        return data
    }
}
