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
        name: Localized(zh: "感知损失（特征重建损失）", en: "Perceptual loss (feature reconstruction loss)"),
        category: .regression,
        formulas: [
            #"L_{\text{perc}}(x, y) = \sum_{l} w_l \,\frac{1}{C_l H_l W_l} \left\lVert \varphi_l(x) - \varphi_l(y) \right\rVert_2^2"#,
            #"\varphi_1 = \mathrm{id},\ \varphi_2 = \text{Sobel}_x,\ \varphi_3 = \text{Sobel}_y,\ \varphi_4 = \text{Laplacian}\ (3{\times}3,\ \text{stride } 1,\ \text{zero padding } 1)"#,
        ],
        parameters: [
            ParameterSpec("layer_weights", .numbers(min: 0, max: nil), default: .numbers([1, 1, 1, 1]),
                          Localized(zh: "四个“层”（恒等、Sobel-x、Sobel-y、拉普拉斯）各自的权重 w_l，长度必须为 4",
                                    en: "the weights w_l of the four \"layers\" (identity, Sobel-x, Sobel-y, Laplacian); exactly 4 values")),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入 x 与目标 y 都是 [N, C, H, W] 的图像或特征图，形状相同。实际应用中 φ_l 是预训练网络（如 VGG-16）某几层的激活；本库不带网络权重，而是用固定、公开的 3×3 滤波器组充当“层”：恒等、Sobel-x、Sobel-y、拉普拉斯，逐通道（depthwise）做互相关，步长 1，四周补一圈 0，输出仍为 H×W。要用真正的网络特征，把各层特征图分别传入、再按权重相加即可。",
            en: "Input x and target y are images or feature maps [N, C, H, W] of the same shape. In real use φ_l are activations of a pretrained network (e.g. VGG-16); the library ships no network weights and uses a fixed, documented 3×3 filter bank as its \"layers\": identity, Sobel-x, Sobel-y, Laplacian, applied per channel (depthwise) as cross-correlation, stride 1, one ring of zero padding, output H×W. For real network features, pass each layer's feature maps separately and add the weighted results."),
        gradientNote: Localized(
            zh: "滤波器是线性的，φ_l(x) − φ_l(y) = φ_l(x − y)，所以 $\\partial \\ell_n/\\partial x = \\sum_l w_l \\frac{2}{CHW}\\,\\varphi_l^{\\top}\\!\\left(\\varphi_l(x - y)\\right)$，φ_lᵀ 是转置卷积（同样的核翻转 180° 再做零填充互相关）。边缘滤波器让误差在边缘与纹理处额外被惩罚，这正是感知损失比逐像素 L2 图像更锐利的原因。",
            en: "The filters are linear, φ_l(x) − φ_l(y) = φ_l(x − y), so $\\partial \\ell_n/\\partial x = \\sum_l w_l \\frac{2}{CHW}\\,\\varphi_l^{\\top}\\!\\left(\\varphi_l(x - y)\\right)$ with φ_lᵀ the transposed convolution (the kernel rotated by 180°, zero-padded cross-correlation). The edge filters penalise errors at edges and textures more, which is why perceptual losses give sharper images than pixel L2."),
        peers: [
            PeerEquivalent("pytorch", "sum(w[l] * F.mse_loss(F.conv2d(x, K[l].expand(C, 1, 3, 3), padding=1, groups=C), F.conv2d(y, K[l].expand(C, 1, 3, 3), padding=1, groups=C)) for l in range(4))",
                           note: Localized(zh: "由 PyTorch 基本算子组合而成（不是库里现成的损失），等于我们的 mean；K 为上面的四个核。", en: "A composition of PyTorch primitives (no library loss), equal to our mean; K are the four kernels above.")),
        ],
        notes: Localized(
            zh: "感知损失的真实形式依赖预训练网络；为了让站点上的每个数字都能由代码复现，本库用固定滤波器组代替网络层，并在页面上说明。零填充意味着图像边界外被视为 0（边缘像素处的 Sobel 响应包含这一假设）。H 或 W 为 1 时仍然有定义。none 返回每个样本的 ℓ_n（形状 [N]），mean 对批次取平均，sum 对批次求和：sum = N·mean。",
            en: "The real perceptual loss depends on a pretrained network; so that every number on the site is reproducible by code, the library replaces network layers with a fixed filter bank and says so on the page. Zero padding treats everything outside the image as 0 (the Sobel responses at the border include that assumption). H or W of 1 is still defined. none returns each sample's ℓ_n (shape [N]), mean averages over the batch, sum adds: sum = N·mean."),
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
