import Foundation

/// Threshold TopK loss: cross entropy averaged over the positions whose predicted probability
/// of the true class is below a threshold t (online hard-example mining by confidence).
///
/// ```latex
/// L = \frac{1}{|\mathcal{H}|} \sum_{i \in \mathcal{H}} \ell_i, \qquad \mathcal{H} = \{\, i : p_{i, y_i} < t \,\}
/// ```
/// Class-index targets only. No position below the threshold: value 0, gradient 0. A NaN logit
/// gives p_y = NaN, which is never below the threshold, so its position is left out.
public struct TopKThresholdLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "topk-threshold",
        category: .distribution,
        formulas: [
            #"L = \frac{1}{|\mathcal{H}|} \sum_{i \in \mathcal{H}} \ell_i, \qquad \mathcal{H} = \{\, i : p_{i, y_i} < t \,\}, \quad \ell_i = -w_{y_i}\log p_{i, y_i}"#,
        ],
        parameters: [
            ParameterSpec("threshold", .number(min: 0, max: 1, minExclusive: true), default: .number(0.7)),
            CrossEntropyText.weight(),
            CrossEntropyText.ignoreIndex,
            CrossEntropyText.activation(),
            .reduction(),
        ],
        peers: [],
        citation: Citation("Shrivastava A., Gupta A., Girshick R. Training Region-based Object Detectors with Online Hard Example Mining. CVPR 2016. See also Ma J. et al. Loss Odyssey in Medical Image Segmentation. Medical Image Analysis 71:102035, 2021.",
                           url: "https://arxiv.org/abs/1604.03540"))

    let threshold: Double
    let weight: [Double]
    let ignoreIndex: Int
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        threshold = try parameters.number("threshold")
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        let resolved = try ClassScores.target(target, for: layout, ignoreIndex: ignoreIndex, allowDense: false)
        guard case let .labels(labels) = resolved else {
            throw LossError.shapeMismatch("'topk-threshold' needs class indices \(layout.positionShape)")
        }
        if probabilities { try ClassScores.checkProbabilities(input) }
        let core = try CrossEntropyCore(loss: Self.descriptor.id, layout: layout, probabilities: probabilities,
                                        weight: weight, smoothing: 0)
        let losses = core.positionLosses(input, resolved)
        // p_y from the unweighted log-probability: ℓ_i / w_{y_i} = −log p_y (softmax), or the input.
        var selected: [Int] = []
        for (pos, y) in labels.enumerated() where y >= 0 {
            let p: Double
            if probabilities {
                p = Double(input.data[layout.index(position: pos, class: y)])
            } else {
                p = Self.trueClassProbability(input.data, layout: layout, position: pos, label: y)
            }
            if p < threshold { selected.append(pos) }
        }
        return SelectedPositions.output(input: input, layout: layout, core: core, target: resolved, losses: losses,
                                        selected: selected, reduction: reduction, gradient: gradient)
    }

    /// softmax(x)_y at one position, through log-sum-exp.
    static func trueClassProbability(_ x: [Float], layout: ClassScoreShape, position pos: Int, label y: Int) -> Double {
        var m = -Double.infinity
        for c in 0..<layout.classes { m = max(m, Double(x[layout.index(position: pos, class: c)])) }
        if m == -.infinity { m = 0 }
        var z = 0.0
        for c in 0..<layout.classes { z += exp(Double(x[layout.index(position: pos, class: c)]) - m) }
        return exp(Double(x[layout.index(position: pos, class: y)]) - m - log(z))
    }
}
