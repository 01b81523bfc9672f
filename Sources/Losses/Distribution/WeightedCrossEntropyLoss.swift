/// Weighted cross entropy: cross entropy with per-class weights, which by default are the
/// batch's "balanced" weights w_c = M / (C · M_c).
///
/// ```latex
/// \ell_i = -w_{y_i} \log p_{i, y_i}, \qquad L = \frac{\sum_i \ell_i}{\sum_i w_{y_i}}
/// ```
/// With `weight` given it is exactly `cross-entropy` with that weight
/// (`torch.nn.CrossEntropyLoss(weight=w)`). Without it, M_c is the number of non-ignored
/// positions labelled c (or Σ t_c for a dense target), M = Σ_c M_c; classes absent from the
/// batch get weight 0 (they have no positions to weigh). The weights depend only on the
/// target, so the gradient treats them as constants and is exact. Extremes, NaN and ignored
/// positions behave as in `CrossEntropyLoss`.
public struct WeightedCrossEntropyLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "weighted-cross-entropy",
        category: .distribution,
        formulas: [
            #"\ell_i = -w_{y_i} \log p_{i, y_i}, \qquad L_{\text{mean}} = \frac{\sum_i \ell_i}{\sum_i w_{y_i}}"#,
            #"w_c = \frac{M}{C\, M_c} \quad \text{(default: balanced weights from the batch)}"#,
        ],
        parameters: [
            CrossEntropyText.weight(),
            CrossEntropyText.ignoreIndex,
            CrossEntropyText.activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.CrossEntropyLoss(weight=w, ignore_index=i, reduction=r)"),
        ],
        citation: Citation("Ronneberger O., Fischer P., Brox T. U-Net: Convolutional Networks for Biomedical Image Segmentation. MICCAI 2015.",
                           url: "https://arxiv.org/abs/1505.04597"))

    let weight: [Double]
    let ignoreIndex: Int
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try CrossEntropyLoss.crossEntropy(id: Self.descriptor.id, input, target: target, weight: weight, ignoreIndex: ignoreIndex,
                                          smoothing: 0, probabilities: probabilities, reduction: reduction, gradient: gradient,
                                          balancedWeights: true)
    }

    /// w_c = M / (C · M_c) from the target's class masses; 0 for absent classes.
    static func balancedWeights(_ target: ClassTargetView, layout: ClassScoreShape) -> [Double] {
        let C = layout.classes, S = layout.spatial
        var mass = [Double](repeating: 0, count: C)
        switch target {
        case let .labels(map):
            mass = map.classCounts(C).map(Double.init)
        case let .dense(t):
            for n in 0..<layout.batch {
                for c in 0..<C {
                    let base = (n * C + c) * S
                    for s in 0..<S { mass[c] += Double(t[base + s]) }
                }
            }
        }
        let total = mass.reduce(0, +)
        return mass.map { $0 > 0 ? total / (Double(C) * $0) : 0 }
    }
}
