/// The focal term MONAI's segmentation compounds (`DiceFocalLoss`, `GeneralizedDiceFocalLoss`)
/// build: `FocalLoss(include_background, gamma, weight, alpha)` with its default
/// `use_softmax=False`, so the *sigmoid* focal loss of every element, on the input taken as
/// logits whatever the activation of the overlap term, times the kept channel's `weight`.
///
/// ```latex
/// F = \frac{1}{N C' |\Omega|}\sum_{n,c,i} w_c\,\alpha_t\,(1 - p_t)^{\gamma}\,\mathrm{BCE}(x_{n,c,i}, g_{n,c,i})
/// ```
/// averaged over [N, C′, spatial…] (`mean`) or, MONAI's `sum`, a spatial mean per (sample, class)
/// then the sum. The elementwise values and gradients are `focal`'s sigmoid form (stable in the
/// logits); the weighted sum is accumulated in `Double`.
struct MONAIFocalTerm {
    let parameters: Parameters
    let includeBackground: Bool
    /// Per kept class: empty, one value, or one per kept channel (MONAI's `weight`).
    let weight: [Double]
    let reduction: Reduction

    /// The term of `input` against `target`, in the full input layout (channel 0 gets 0 when it
    /// is left out).
    /// - Throws: `LossError.invalidParameter` when `weight` has neither 1 nor C′ values.
    func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        let dense = try RegionProblem.denseTarget(target, layout: layout)
        let dropBackground = !includeBackground && layout.classes > 1
        let focalInput = dropBackground ? CompoundTerms.withoutFirstChannel(input.data, layout: layout) : input
        let focalTarget = dropBackground ? CompoundTerms.withoutFirstChannel(dense, layout: layout)
                                         : Tensor(unchecked: layout.shape, data: dense)
        let kept = focalInput.shape[1], S = layout.spatial
        let weights: [Double]
        switch weight.count {
        case 0: weights = Array(repeating: 1, count: kept)
        case 1: weights = Array(repeating: weight[0], count: kept)
        case kept: weights = weight
        default:
            throw LossError.invalidParameter(loss: parameters.loss, name: "weight",
                                             message: "\(weight.count) weights given for \(kept) classes taking part")
        }
        let focal = try CompoundTerms.component(FocalLoss.self, from: parameters,
                                                overrides: ["reduction": .string("none"), "activation": .string("sigmoid")])
        let elements = try focal.evaluate(focalInput, target: focalTarget, gradient: gradient)
        // mean: over all N·C′·S elements; sum (MONAI): Σ over (sample, class) of the spatial mean.
        let scale = reduction == .mean ? 1 / Double(layout.batch * kept * S) : 1 / Double(S)
        var sum = 0.0
        var grad = gradient ? [Float](repeating: 0, count: focalInput.count) : []
        for i in 0..<focalInput.count {
            let w = weights[(i / S) % kept] * scale
            sum += w * Double(elements.value.data[i])
            if gradient, let g = elements.gradient { grad[i] = Float(w * Double(g.data[i])) }
        }
        var out = LossOutput(value: Tensor(scalar: Float(sum)),
                             gradient: gradient ? Tensor(unchecked: focalInput.shape, data: grad) : nil)
        if dropBackground, let g = out.gradient {
            out.gradient = CompoundTerms.withFirstChannel(g, layout: layout)
        }
        return out
    }
}
