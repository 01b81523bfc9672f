import Foundation

/// Distance-map-penalised cross entropy (Caliva et al. 2019): cross entropy weighted by
/// 1 + D, where D is large next to the target's boundaries.
///
/// ```latex
/// L = \frac{\sum_i (1 + D_i)\,\ell_i}{\sum_{i \text{ not ignored}} w_{y_i}}, \qquad
/// D_i = \frac{M_{y_i} - \operatorname{edt}(m_{y_i})_i}{M_{y_i} - \mu_{y_i}}
/// ```
///
/// ℓ_i is `cross-entropy`'s per-position term (weights, label smoothing, `ignore_index`, the
/// same mean denominator). m_c is the mask of class c in the sample, edt its distance transform,
/// M and μ the largest and smallest distance inside it (`DistanceTransform.invertedInside`): D is
/// 1 on the positions next to a boundary, 0 on the farthest. For two classes this is SegLoss's
/// `compute_edts_forPenalizedLoss` map of the foreground. A class filling the whole sample gives
/// D = 0 there, so D ≡ 0 and the loss is plain cross entropy.
public struct DistancePenalizedCrossEntropyLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "dpce",
        category: .distribution,
        formulas: [
            #"L = \frac{\sum_i \left(1 + D_{i,y_i}\right) \ell_i}{\sum_{i:\, y_i \ne \text{ignore}} w_{y_i}}, \qquad \ell_i = -\sum_c q_{i,c}\log p_{i,c}"#,
            #"D_{i,c} = \begin{cases} 0, & \min_{i \in \Omega} m_c = 1 \\ \dfrac{M_c - \operatorname{edt}(m_c)}{M_c - \mu_c}, & M_c > \mu_c \\ 1, & \text{otherwise} \end{cases} \quad M_c = \max_{i:\, m_c = 1} \operatorname{edt}(m_c), \quad \mu_c = \min_{i:\, m_c = 1} \operatorname{edt}(m_c)"#,
        ],
        parameters: [
            CrossEntropyText.weight(),
            CrossEntropyText.ignoreIndex,
            ParameterSpec("label_smoothing", .number(min: 0, max: 1), default: .number(0)),
            BoundaryText.spacing,
            CrossEntropyText.activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("segloss", "DisPenalizedCE()(logits, target)"),
        ],
        citation: Citation("Caliva F., Iriondo C., Martinez A. M., Majumdar S., Pedoia V. Distance Map Loss Penalty Term for Semantic Segmentation. MIDL 2019 (extended abstract).",
                           url: "https://arxiv.org/abs/1908.03679"))

    let weight: [Double]
    let ignoreIndex: Int
    let smoothing: Double
    let spacing: [Double]
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        smoothing = try parameters.number("label_smoothing")
        spacing = try parameters.numbers("spacing")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let spacing = self.spacing
        // Cross entropy with each position's term (and gradient) multiplied by 1 + D.
        return try CrossEntropyLoss.crossEntropy(
            id: Self.descriptor.id, input, target: target, weight: weight, ignoreIndex: ignoreIndex, smoothing: smoothing,
            probabilities: probabilities, reduction: reduction, gradient: gradient,
            positionFactors: { resolved, layout in
                try Self.penalty(resolved, layout: layout, spacing: BoundaryText.spacing(spacing, layout: layout)).map { 1 + $0 }
            })
    }

    /// D per position (`[N, spatial…]` order): the inverted inside map of the position's own class.
    static func penalty(_ target: ClassTarget, layout: ClassScoreShape, spacing: [Double]?) throws -> [Double] {
        let S = layout.spatial, C = layout.classes
        var classOf = [Int](repeating: ClassScores.ignored, count: layout.positions)
        switch target {
        case let .labels(labels): classOf = labels
        case let .dense(t):
            for pos in 0..<layout.positions {
                var best = 0
                for c in 1..<max(1, C) where t[layout.index(position: pos, class: c)] > t[layout.index(position: pos, class: best)] {
                    best = c
                }
                classOf[pos] = best
            }
        }
        // One distance transform per (sample, class present); the slices are independent and
        // write disjoint positions, so large inputs run them concurrently.
        var penalty = [Double](repeating: 0, count: layout.positions)
        let slices = layout.batch * C
        var errors = [(any Error)?](repeating: nil, count: slices)
        penalty.withUnsafeMutableBufferPointer { penalty in
            errors.withUnsafeMutableBufferPointer { errors in
                let work = UncheckedSendable((penalty, errors))
                let slice = { (k: Int) in
                    let n = k / C, c = k % C
                    let mask = classOf[(n * S)..<((n + 1) * S)].map { $0 == c }
                    guard mask.contains(true) else { return }
                    do {
                        let map = try DistanceTransform.invertedInside(mask, shape: layout.spatialShape, spacing: spacing)
                        for s in 0..<S where mask[s] { work.value.0[n * S + s] = map[s] }
                    } catch {
                        work.value.1[k] = error
                    }
                }
                if slices > 1 && layout.count >= Parallel.grain {
                    let shared = UncheckedSendable(slice)
                    DispatchQueue.concurrentPerform(iterations: slices) { shared.value($0) }
                } else {
                    for k in 0..<slices { slice(k) }
                }
            }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
        return penalty
    }
}
