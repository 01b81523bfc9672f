import Foundation

/// Triplet margin loss, `torch.nn.TripletMarginLoss` exactly.
///
/// ```latex
/// \ell = \max\bigl(0,\; \text{margin} + d(a, q) - d(a, n)\bigr), \qquad d(u, v) = \lVert u - v + \epsilon \rVert_p
/// ```
/// ε is added to every coordinate of the difference, as `torch.pairwise_distance`. With `swap`,
/// d(a, n) becomes min(d(a, n), d(q, n)) (Balntas et al.; a tie splits the gradient in half, as
/// `torch.minimum`). Anchor, positive and negative are stacked: input `[3, N, D]` (or `[3, D]`),
/// no target. Norm gradients are 0 where the distance is 0.
public struct TripletMarginLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "triplet-margin",
        category: .classification,
        formulas: [
            #"\ell = \max\bigl(0,\; \text{margin} + d(a, q) - d(a, n)\bigr), \qquad d(u, v) = \Bigl(\sum_k \lvert u_k - v_k + \epsilon\rvert^p\Bigr)^{1/p}"#,
            #"\ell_{\text{swap}} = \max\Bigl(0,\; \text{margin} + d(a, q) - \min\bigl(d(a, n),\; d(q, n)\bigr)\Bigr)"#,
        ],
        parameters: [
            ParameterSpec("margin", .number(min: 0, max: nil, minExclusive: true), default: .number(1)),
            ParameterSpec("p", .number(min: 0, max: nil, minExclusive: true), default: .number(2)),
            ParameterSpec("eps", .number(min: 0, max: nil), default: .number(1e-6)),
            ParameterSpec("swap", .bool, default: .bool(false)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.TripletMarginLoss(margin=m, p=p, eps=ε, swap=s, reduction=r)(a, p, n)"),
        ],
        citation: Citation("Schroff F., Kalenichenko D., Philbin J. FaceNet: A Unified Embedding for Face Recognition and Clustering. CVPR 2015. Swap: Balntas V., Riba E., Ponsa D., Mikolajczyk K. Learning local feature descriptors with triplets and shallow convolutional neural networks. BMVC 2016.",
                           url: "https://arxiv.org/abs/1503.03832"))

    let margin: Double
    let p: Double
    let eps: Double
    let swap: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        margin = try parameters.number("margin")
        p = try parameters.number("p")
        eps = try parameters.number("eps")
        swap = try parameters.bool("swap")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let id = Self.descriptor.id
        let part = try StackedInput.partShape(id, input, count: 3, names: "anchor, positive and negative")
        guard part.count == 1 || part.count == 2 else {
            throw LossError.shapeMismatch("'\(id)': input [3, N, D] or [3, D], got \(input.shape)")
        }
        if let target { throw LossError.shapeMismatch("'\(id)' takes no target (got \(target.shape))") }
        let D = part[part.count - 1], n = part.count == 2 ? part[0] : 1, block = n * D
        let scale = Reduce.gradientScale(reduction, count: Double(n))
        var values = [Float](repeating: 0, count: reduction == .none ? n : 0)
        var grad = [Double](repeating: 0, count: gradient ? input.count : 0)
        var sum = 0.0
        for i in 0..<n {
            let a = i * D, pos = block + i * D, neg = 2 * block + i * D
            let dAP = distance(input, a, pos, D), dAN = distance(input, a, neg, D)
            var dNeg = dAN, wAN = 1.0, wPN = 0.0
            if swap {
                let dPN = distance(input, pos, neg, D)
                if dPN < dAN { dNeg = dPN; wAN = 0; wPN = 1 } else if dPN == dAN { wAN = 0.5; wPN = 0.5 }
            }
            let z = margin + dAP - dNeg
            let l = max(0, z)
            sum += l
            if reduction == .none { values[i] = Float(l) }
            if gradient, z > 0 {
                accumulate(&grad, input, a, pos, D, dAP, scale)
                if wAN != 0 { accumulate(&grad, input, a, neg, D, dAN, -wAN * scale) }
                if wPN != 0 { accumulate(&grad, input, pos, neg, D, distance(input, pos, neg, D), -wPN * scale) }
            }
        }
        let value = Reduce.value(sum: sum, count: Double(n), elements: values, shape: Array(part.dropLast()), reduction: reduction)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad.map { Float($0) }) : nil)
    }

    /// ‖u − v + ε‖_p for the rows starting at `u` and `v`.
    func distance(_ x: Tensor, _ u: Int, _ v: Int, _ D: Int) -> Double {
        var s = 0.0
        if p == 2 {
            for k in 0..<D { let r = Double(x.data[u + k]) - Double(x.data[v + k]) + eps; s += r * r }
            return s.squareRoot()
        }
        if p == 1 {
            for k in 0..<D { s += abs(Double(x.data[u + k]) - Double(x.data[v + k]) + eps) }
            return s
        }
        for k in 0..<D { s += pow(abs(Double(x.data[u + k]) - Double(x.data[v + k]) + eps), p) }
        return pow(s, 1 / p)
    }

    /// Adds `factor` · ∂d(u, v)/∂u to row u and its negative to row v.
    func accumulate(_ grad: inout [Double], _ x: Tensor, _ u: Int, _ v: Int, _ D: Int, _ d: Double, _ factor: Double) {
        guard d > 0 else { return }
        for k in 0..<D {
            let r = Double(x.data[u + k]) - Double(x.data[v + k]) + eps
            guard r != 0 else { continue }
            let g: Double
            if p == 2 { g = r / d } else if p == 1 { g = r > 0 ? 1 : -1 } else {
                g = (r > 0 ? 1 : -1) * pow(abs(r), p - 1) / pow(d, p - 1)
            }
            grad[u + k] += factor * g
            grad[v + k] -= factor * g
        }
    }
}
