/// TopK loss (SegLoss / nnU-Net): the mean of the largest k % of per-voxel cross entropies.
///
/// ```latex
/// L = \frac{1}{K} \sum_{i \in \mathcal{T}_K} \ell_i, \qquad K = \max\!\left(1, \left\lfloor M k / 100 \right\rfloor\right)
/// ```
/// ℓ_i is the (optionally class-weighted) cross entropy at position i, M the number of
/// non-ignored positions, 𝒯_K the K positions with the largest ℓ_i (ties broken by lower flat
/// position index). Only those positions receive gradient. Every position ignored: 0, zero
/// gradient. A NaN per-position loss ranks above every number, so NaN input propagates.
public struct TopKLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "topk",
        category: .distribution,
        formulas: [
            #"L = \frac{1}{K} \sum_{i \in \mathcal{T}_K} \ell_i, \qquad \ell_i = -w_{y_i}\log p_{i, y_i}"#,
            #"K = \max\!\left(1, \left\lfloor \tfrac{M k}{100} \right\rfloor\right), \quad \mathcal{T}_K = \{\, i : \sum_{j=1}^{M} [\ell_j > \ell_i] + \sum_{j=1}^{i-1} [\ell_j = \ell_i] < K \,\} \quad \text{(the } K \text{ largest } \ell_i\text{, ties to the lower } i\text{)}"#,
        ],
        parameters: [
            ParameterSpec("k", .number(min: 0, max: 100, minExclusive: true), default: .number(10)),
            CrossEntropyText.weight(),
            CrossEntropyText.ignoreIndex,
            CrossEntropyText.activation(),
            .reduction(),
        ],
        peers: [],
        citation: Citation("Wu Z., Shen C., van den Hengel A. Bridging Category-level and Instance-level Semantic Image Segmentation. arXiv:1605.06885, 2016. See also Ma J. et al. Loss Odyssey in Medical Image Segmentation. Medical Image Analysis 71:102035, 2021.",
                           url: "https://arxiv.org/abs/1605.06885"))

    let k: Double
    let weight: [Double]
    let ignoreIndex: Int
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        k = try parameters.number("k")
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        let resolved = try ClassScores.target(target, for: layout, ignoreIndex: ignoreIndex)
        if probabilities { try ClassScores.checkProbabilities(input) }
        let core = try CrossEntropyCore(loss: Self.descriptor.id, layout: layout, probabilities: probabilities,
                                        weight: weight, smoothing: 0)
        let losses = core.positionLosses(input, resolved)
        var candidates: [Int]
        if case let .labels(labels) = resolved {
            candidates = labels.indices.filter { labels[$0] >= 0 }
        } else {
            candidates = Array(0..<layout.positions)
        }
        let m = candidates.count
        let count = m == 0 ? 0 : max(1, Int((Double(m) * k / 100).rounded(.down)))
        // Largest first, NaN before everything (so it propagates); ties by position, deterministic.
        candidates.sort { a, b in
            let la = losses[a], lb = losses[b]
            if la.isNaN != lb.isNaN { return la.isNaN }
            if !la.isNaN, la != lb { return la > lb }
            return a < b
        }
        let selected = Array(candidates.prefix(count))
        return SelectedPositions.output(input: input, layout: layout, core: core, target: resolved, losses: losses,
                                        selected: selected, reduction: reduction, gradient: gradient)
    }
}

/// The reduction and gradient of losses that keep a subset of positions' cross entropies
/// (`topk`, `topk-threshold`). An empty selection gives 0 and a zero gradient.
enum SelectedPositions {
    static func output(input: Tensor, layout: ClassScoreShape, core: CrossEntropyCore, target: ClassTarget,
                       losses: [Double], selected: [Int], reduction: Reduction, gradient: Bool) -> LossOutput {
        var sum = 0.0
        for pos in selected { sum += losses[pos] }
        let value: Tensor
        if reduction == .none {
            var map = [Float](repeating: 0, count: layout.positions)
            for pos in selected { map[pos] = Float(losses[pos]) }
            value = Tensor(unchecked: layout.positionShape, data: map)
        } else {
            value = Reduce.value(sum: sum, count: Double(selected.count), elements: [], shape: [],
                                 reduction: reduction, emptyMean: 0)
        }
        guard gradient else { return LossOutput(value: value) }
        let scale = Reduce.gradientScale(reduction, count: Double(selected.count))
        let grad = core.gradient(input, target, at: selected, scale: scale)
        return LossOutput(value: value, gradient: Tensor(unchecked: input.shape, data: grad))
    }
}
