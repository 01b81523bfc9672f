/// Binary Lovász hinge loss (Berman et al. 2018), the authors' `lovasz_hinge(logits, labels,
/// per_image, ignore)` exactly: the Lovász extension of the Jaccard loss applied to the hinge errors
/// of the logits.
///
/// With signs s_i = 2g_i − 1 and errors e_i = 1 − x_i s_i sorted decreasingly (e_(1) ≥ e_(2) ≥ …),
/// and the Jaccard loss of the first k of them, Δ(k) = 1 − |G ∖ S_k| / |G ∪ S_k|:
///
/// ```latex
/// \mathcal{L} = \sum_k [e_{(k)}]_+ \left(\Delta(k) - \Delta(k-1)\right)
/// ```
///
/// per image and then averaged over the images (`per_image`, the authors' default), or over the
/// whole batch at once. Input: logits `[N, …]` (no activation: the hinge takes scores); target: 0/1
/// labels of the same shape (or without the input's channel axis of size 1). Labels equal to
/// `ignore_index` are left out; a group left empty gives 0 (the authors' `logits.sum() * 0`). An
/// image without foreground has Δ(1) = 1 and Δ(k) = 1 after, so its loss is [max e]₊. Gradient:
/// ∂𝓛/∂x_i = −s_i [e_i > 0] (Δ(k_i) − Δ(k_i − 1)); ties between errors are broken by position
/// (torch's sort leaves their order unspecified; the value does not depend on it). NaN logits
/// propagate.
public struct LovaszHingeLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "lovasz-hinge",
        category: .region,
        formulas: [
            #"\mathcal{L} = \sum_{k=1}^{n} \big[e_{\pi(k)}\big]_+ \big(\Delta_J(\{\pi(1),\dots,\pi(k)\}) - \Delta_J(\{\pi(1),\dots,\pi(k-1)\})\big), \quad e_i = 1 - x_i\,(2g_i - 1), \quad e_{\pi(1)} \ge e_{\pi(2)} \ge \cdots"#,
            #"\Delta_J(S) = \begin{cases} 1 - \dfrac{|G \setminus S|}{|G \cup S|}, & G \cup S \ne \emptyset \\ 0, & \text{otherwise} \end{cases}"#,
        ],
        parameters: [
            ParameterSpec("per_image", .bool, default: .bool(true)),
            ParameterSpec("ignore_index", .integer(min: nil, max: nil), default: .number(-100)),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("reference", "lovasz_losses.lovasz_hinge(logits, labels, per_image=True, ignore=None)"),
            PeerEquivalent("smp", "segmentation_models_pytorch.losses.LovaszLoss(mode='binary', per_image=True)"),
        ],
        citation: Citation("Berman M., Rannen Triki A., Blaschko M. B. The Lovász-Softmax Loss: A Tractable Surrogate for the Optimization of the Intersection-over-Union Measure in Neural Networks. CVPR 2018.",
                           url: "https://arxiv.org/abs/1705.08790"))

    let perImage: Bool
    let ignoreIndex: Int
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        perImage = try parameters.bool("per_image")
        ignoreIndex = try parameters.integer("ignore_index")
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        guard let target else { throw LossError.invalidInput("lovasz-hinge needs a target of 0/1 labels") }
        guard input.rank >= 1 else { throw LossError.invalidInput("logits [N, …] need a batch axis, got a scalar") }
        let withoutChannel = input.rank >= 2 && input.shape[1] == 1 ? [input.shape[0]] + input.shape.dropFirst(2) : nil
        guard target.shape == input.shape || target.shape == withoutChannel else {
            throw LossError.shapeMismatch("target shape \(target.shape) must be the input's \(input.shape)"
                                          + (withoutChannel.map { " or \($0)" } ?? ""))
        }
        let ignored = Float(ignoreIndex)
        if let bad = target.data.firstIndex(where: { $0 != 0 && $0 != 1 && $0 != ignored }) {
            throw LossError.invalidInput("target[\(bad)] = \(target.data[bad]): labels must be 0 or 1 (or ignore_index \(ignoreIndex))")
        }
        let N = input.shape[0], perSample = N > 0 ? input.count / N : 0
        let groups = perImage ? N : 1, size = perImage ? perSample : input.count
        var values = [Double](repeating: 0, count: groups)
        var slopes = [Double](repeating: 0, count: gradient ? input.count : 0)
        for group in 0..<groups {
            var errors: [LovaszExtension.Entry] = []
            var foregroundCount = 0
            for i in (group * size)..<((group + 1) * size) where target.data[i] != ignored {
                let foreground = target.data[i] == 1
                if foreground { foregroundCount += 1 }
                let x = Double(input.data[i])
                errors.append((1 - (foreground ? x : -x), i, foreground))
            }
            if errors.contains(where: { $0.error.isNaN }) {
                // No order to sort by: the group's value and gradient are NaN.
                values[group] = .nan
                if gradient { for e in errors { slopes[e.index] = .nan } }
                continue
            }
            var loss = 0.0
            LovaszExtension.walk(&errors, foregroundCount: foregroundCount) { e, increment in
                // The hinge: only positive errors count.
                guard e.error > 0 else { return }
                loss += e.error * increment
                if gradient { slopes[e.index] = (e.foreground ? -1 : 1) * increment }
            }
            values[group] = loss
        }
        var sum = 0.0
        for v in values { sum += v }
        let value = Reduce.value(sum: sum, count: Double(groups), elements: values.map(Float.init), shape: [groups],
                                 reduction: reduction)
        guard gradient else { return LossOutput(value: value) }
        let scale = Reduce.gradientScale(reduction, count: Double(groups))
        return LossOutput(value: value, gradient: Tensor(unchecked: input.shape, data: slopes.map { Float($0 * scale) }))
    }
}
