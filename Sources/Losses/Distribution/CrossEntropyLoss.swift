/// Cross entropy over classes, `torch.nn.CrossEntropyLoss` exactly.
///
/// ```latex
/// \ell_i = -\sum_c q_{i,c} \log p_{i,c}, \quad p_i = \operatorname{softmax}(x_i)
/// ```
/// with q the weighted, label-smoothed target (see `CrossEntropyCore`). Input `[N, C, d…]`,
/// target class indices `[N, d…]` (with `ignore_index`) or probabilities shaped like the input.
/// `mean` divides by Σ w_{y_i} over non-ignored positions (class indices) or by the number of
/// positions (probability targets), as PyTorch. All positions ignored: `mean` is 0 with a zero
/// gradient (PyTorch gives NaN), `sum` is 0. Logits of ±1000 are finite (log-sum-exp); a NaN
/// logit makes its position's value and gradient NaN; +∞ logits give NaN (∞ − ∞), as PyTorch.
public struct CrossEntropyLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "cross-entropy",
        category: .distribution,
        formulas: [
            #"\ell_i = -\sum_{c=1}^{C} q_{i,c} \log p_{i,c}, \qquad p_{i,c} = \frac{e^{x_{i,c}}}{\sum_k e^{x_{i,k}}}"#,
            #"q_{i,c} = (1-\varepsilon)\, w_{y_i} [c = y_i] + \frac{\varepsilon}{C} w_c"#,
            #"L_{\text{mean}} = \frac{\sum_i \ell_i}{\sum_{i:\, y_i \ne \text{ignore}} w_{y_i}}"#,
        ],
        parameters: [
            CrossEntropyText.weight(),
            CrossEntropyText.ignoreIndex,
            ParameterSpec("label_smoothing", .number(min: 0, max: 1), default: .number(0)),
            CrossEntropyText.activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("pytorch", "torch.nn.CrossEntropyLoss(weight=w, ignore_index=i, label_smoothing=ε, reduction=r)"),
        ],
        citation: Citation("Goodfellow I., Bengio Y., Courville A. Deep Learning, §6.2.2.3. MIT Press, 2016. Label smoothing: Szegedy C. et al. Rethinking the Inception Architecture for Computer Vision. CVPR 2016.",
                           url: "https://arxiv.org/abs/1512.00567"))

    let weight: [Double]
    let ignoreIndex: Int
    let smoothing: Double
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        weight = try parameters.numbers("weight")
        ignoreIndex = try parameters.integer("ignore_index")
        smoothing = try parameters.number("label_smoothing")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        try Self.crossEntropy(id: Self.descriptor.id, input, target: target, weight: weight, ignoreIndex: ignoreIndex,
                              smoothing: smoothing, probabilities: probabilities, reduction: reduction, gradient: gradient)
    }

    /// Cross entropy in one pass (value and gradient), shared with `weighted-cross-entropy` and `dpce`.
    /// - Parameter positionFactors: a factor per position (`[N, spatial…]` order) multiplying that
    ///   position's loss and gradient, computed from the validated target (`dpce`'s 1 + D).
    static func crossEntropy(id: String, _ input: Tensor, target: Tensor?, weight: [Double], ignoreIndex: Int,
                             smoothing: Double, probabilities: Bool, reduction: Reduction, gradient: Bool,
                             balancedWeights: Bool = false,
                             positionFactors: ((ClassTarget, ClassScoreShape) throws -> [Double])? = nil) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        // Class counts only where weights need them (the weighted mean, balanced weights).
        let view = try ClassScores.view(target, for: layout, ignoreIndex: ignoreIndex,
                                        counting: !weight.isEmpty || balancedWeights)
        if probabilities { try ClassScores.checkProbabilities(input) }
        let weight = balancedWeights && weight.isEmpty ? WeightedCrossEntropyLoss.balancedWeights(view, layout: layout) : weight
        let core = try CrossEntropyCore(loss: id, layout: layout, probabilities: probabilities, weight: weight, smoothing: smoothing)
        let factors = try positionFactors?(view.classTarget, layout)
        let denominator = core.denominator(view)
        let scale = Reduce.gradientScale(reduction, count: denominator)
        let keep = reduction == .none
        var values = [Float](repeating: 0, count: keep ? layout.positions : 0)
        // Every element of the gradient is written (ignored positions get 0).
        var grad = [Float].uninitialized(count: gradient ? layout.count : 0)
        let sum = input.data.withUnsafeBufferPointer { x in
            values.withUnsafeMutableBufferPointer { v in
                grad.withUnsafeMutableBufferPointer { g in
                    (factors ?? []).withUnsafeBufferPointer { f in
                        let factors = factors == nil ? nil : f
                        if probabilities {
                            g.update(repeating: 0)   // `position` leaves ignored positions untouched
                            return core.withPointers(view.classTarget) { labels, dense in
                                Parallel.sum(count: layout.positions, grain: max(1, Parallel.grain / layout.classes)) { range in
                                    var scratch = CrossEntropyCore.Scratch(classes: layout.classes)
                                    var s = 0.0
                                    for pos in range {
                                        let factor = factors?[pos] ?? 1
                                        let l = factor * core.position(pos, x: x, labels: labels, dense: dense, scale: factor * scale,
                                                                       grad: gradient ? g : nil, scratch: &scratch)
                                        s += l
                                        if keep { v[pos] = Float(l) }
                                    }
                                    return s
                                }
                            }
                        }
                        // Logits: the shared softmax kernel, eight positions at a time (p only for a gradient).
                        let outputs: Softmax.Block.Outputs = gradient ? .all : .logNormaliser
                        return view.withBlockTarget { t in
                            Parallel.sum(count: Softmax.blockCount(layout), grain: Softmax.grain(layout)) { range in
                                withUnsafeTemporaryAllocation(of: Softmax.Vector.self, capacity: layout.classes) { q in
                                    var s = SIMD8<Double>.zero
                                    Softmax.forEachBlock(x.baseAddress!, layout: layout, blocks: range, outputs) { b in
                                        s += core.block(b, target: t, factors: factors?.baseAddress, scale: scale,
                                                        grad: gradient ? g.baseAddress : nil, values: keep ? v.baseAddress : nil,
                                                        q: q.baseAddress!)
                                    }
                                    return s.sum()
                                }
                            }
                        }
                    }
                }
            }
        }
        let value = Reduce.value(sum: sum, count: denominator, elements: values, shape: layout.positionShape,
                                 reduction: reduction, emptyMean: 0)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }
}
