import Foundation

/// Perceptual (feature-reconstruction) loss on a fixed, documented filter bank.
///
/// Real use (Johnson et al. 2016) compares a pretrained network's feature maps; this library
/// takes images or feature maps `[N, C, H, W]` and uses four fixed 3×3 "layers" φ_l, applied to
/// each channel separately (depthwise), stride 1, zero padding of 1 (output H×W):
/// identity, Sobel-x, Sobel-y, Laplacian (cross-correlation, as `torch.nn.functional.conv2d`).
/// ```latex
/// \ell_n = \sum_{l} w_l \,\frac{1}{CHW} \left\lVert \varphi_l(x_n) - \varphi_l(y_n) \right\rVert_2^2
/// ```
/// `mean` averages ℓ_n over the batch (= Σ_l w_l · mean over all elements), `sum` adds them,
/// `none` returns ℓ_n with shape [N]. Since φ_l is linear, φ_l(x) − φ_l(y) = φ_l(x − y); the
/// gradient is Σ_l w_l · 2/(CHW) · φ_lᵀ(φ_l(x − y)), φ_lᵀ the transposed convolution.
public struct PerceptualLoss: Loss {
    /// The filter bank, in order: identity, Sobel-x, Sobel-y, Laplacian (row-major 3×3,
    /// applied as cross-correlation).
    public static let filters: [(name: String, kernel: [Double])] = [
        ("identity", [0, 0, 0, 0, 1, 0, 0, 0, 0]),
        ("sobel-x", [-1, 0, 1, -2, 0, 2, -1, 0, 1]),
        ("sobel-y", [-1, -2, -1, 0, 0, 0, 1, 2, 1]),
        ("laplacian", [0, 1, 0, 1, -4, 1, 0, 1, 0]),
    ]

    public static let descriptor = LossDescriptor(
        id: "perceptual",
        category: .regression,
        formulas: [
            #"L_{\text{perc}}(x, y) = \sum_{l} w_l \,\frac{1}{C_l H_l W_l} \left\lVert \varphi_l(x) - \varphi_l(y) \right\rVert_2^2"#,
            #"\varphi_1 = \mathrm{id},\ \varphi_2 = \text{Sobel}_x,\ \varphi_3 = \text{Sobel}_y,\ \varphi_4 = \text{Laplacian}\ (3{\times}3,\ \text{stride } 1,\ \text{zero padding } 1)"#,
        ],
        parameters: [
            ParameterSpec("layer_weights", .numbers(min: 0, max: nil), default: .numbers([1, 1, 1, 1])),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "sum(w[l] * F.mse_loss(F.conv2d(x, K[l].expand(C, 1, 3, 3), padding=1, groups=C), F.conv2d(y, K[l].expand(C, 1, 3, 3), padding=1, groups=C)) for l in range(4))"),
        ],
        citation: Citation("Johnson J., Alahi A., Fei-Fei L. Perceptual Losses for Real-Time Style Transfer and Super-Resolution. ECCV 2016.",
                           url: "https://arxiv.org/abs/1603.08155"))

    let layerWeights: [Double]
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        layerWeights = try parameters.numbers("layer_weights")
        guard layerWeights.count == Self.filters.count else {
            throw LossError.invalidParameter(loss: parameters.loss, name: "layer_weights",
                                             message: "expected \(Self.filters.count) weights (identity, sobel-x, sobel-y, laplacian), got \(layerWeights.count)")
        }
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        guard input.rank == 4 else {
            throw LossError.shapeMismatch("'perceptual' takes images or feature maps [N, C, H, W], got \(input.shape)")
        }
        let target = try Elementwise.checkTarget(Self.descriptor.id, input, target)
        let (N, C, H, W) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let plane = H * W, planes = N * C
        let perElement = Double(C * plane)
        let sampleScale = Reduce.gradientScale(reduction, count: Double(N))
        // Layers with weight 0 cost nothing.
        let layers = zip(Self.filters, layerWeights).filter { $0.1 > 0 }
            .map { (kernel: $0.0.kernel, weight: $0.1, identity: $0.0.name == "identity") }
        var planeSums = [Double](repeating: 0, count: planes)
        var grad = [Float](repeating: 0, count: gradient ? input.count : 0)

        input.data.withUnsafeBufferPointer { x in
            target.data.withUnsafeBufferPointer { y in
                planeSums.withUnsafeMutableBufferPointer { sums in
                    grad.withUnsafeMutableBufferPointer { g in
                        Parallel.forEach(count: planes, grain: max(1, Parallel.grain / max(1, plane))) { range in
                            var d = [Double](repeating: 0, count: plane)
                            var e = [Double](repeating: 0, count: plane)
                            var acc = [Double](repeating: 0, count: gradient ? plane : 0)
                            for p in range {
                                let base = p * plane
                                for i in 0..<plane { d[i] = Double(x[base + i]) - Double(y[base + i]) }
                                if gradient { for i in 0..<plane { acc[i] = 0 } }
                                var total = 0.0
                                for layer in layers {
                                    if layer.identity {
                                        // φ = id: e = d and φᵀ = id, no convolution needed.
                                        var s = 0.0
                                        for v in d { s += v * v }
                                        total += layer.weight * s
                                        if gradient {
                                            let k = layer.weight * 2 / perElement
                                            for i in 0..<plane { acc[i] += k * d[i] }
                                        }
                                        continue
                                    }
                                    Self.correlate(d, layer.kernel, H, W, into: &e)
                                    var s = 0.0
                                    for v in e { s += v * v }
                                    total += layer.weight * s
                                    if gradient {
                                        Self.correlateTransposed(e, layer.kernel, H, W, scale: layer.weight * 2 / perElement, addingTo: &acc)
                                    }
                                }
                                sums[p] = total / perElement
                                if gradient {
                                    for i in 0..<plane { g[base + i] = Float(acc[i] * sampleScale) }
                                }
                            }
                        }
                    }
                }
            }
        }

        var samples = [Double](repeating: 0, count: N)
        for n in 0..<N { for c in 0..<C { samples[n] += planeSums[n * C + c] } }
        let value = Reduce.value(sum: samples.reduce(0, +), count: Double(N), elements: samples.map { Float($0) },
                                 shape: [N], reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }

    /// e[i, j] = Σ_{a,b ∈ {−1,0,1}} k[a+1, b+1] · d[i+a, j+b], zero outside the plane.
    static func correlate(_ d: [Double], _ k: [Double], _ H: Int, _ W: Int, into e: inout [Double]) {
        for i in 0..<H {
            for j in 0..<W {
                var s = 0.0
                for a in -1...1 {
                    let r = i + a
                    guard r >= 0, r < H else { continue }
                    for b in -1...1 {
                        let c = j + b
                        let tap = k[(a + 1) * 3 + b + 1]
                        guard tap != 0, c >= 0, c < W else { continue }
                        s += tap * d[r * W + c]
                    }
                }
                e[i * W + j] = s
            }
        }
    }

    /// The transpose of `correlate`: g[i, j] += scale · Σ_{a,b} k[a+1, b+1] · e[i−a, j−b].
    static func correlateTransposed(_ e: [Double], _ k: [Double], _ H: Int, _ W: Int, scale: Double, addingTo g: inout [Double]) {
        for i in 0..<H {
            for j in 0..<W {
                var s = 0.0
                for a in -1...1 {
                    let r = i - a
                    guard r >= 0, r < H else { continue }
                    for b in -1...1 {
                        let c = j - b
                        let tap = k[(a + 1) * 3 + b + 1]
                        guard tap != 0, c >= 0, c < W else { continue }
                        s += tap * e[r * W + c]
                    }
                }
                g[i * W + j] += scale * s
            }
        }
    }
}
