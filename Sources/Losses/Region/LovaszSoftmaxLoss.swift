import Foundation

/// Lovász-Softmax loss (Berman et al. 2018): the Lovász extension of the Jaccard loss,
/// evaluated on the per-pixel errors of each class.
///
/// For class c with errors m_i = |g_i − p_i| sorted decreasingly (m_(1) ≥ m_(2) ≥ …) and
/// the Jaccard loss of the first k of them, Δ(k) = 1 − |G ∖ S_k| / |G ∪ S_k|:
///
/// ```latex
/// \overline{\Delta_J}(m) = \sum_{k} m_{(k)} \left(\Delta(k) - \Delta(k-1)\right)
/// ```
///
/// averaged over the classes present in the target (`classes` = present) or all classes; over
/// the whole batch at once, or per image and then averaged over images (`per_image`). Matches
/// the reference code `lovasz_softmax(probas, labels, classes, per_image, ignore)`.
///
/// Targets: class indices (positions equal to `ignore_index` are left out) or a dense one-hot
/// tensor (foreground where it equals 1; the error uses its value). A group with no position
/// left, or with no class present, gives 0 (the reference code's empty mean). Ties between
/// errors are broken by position, so the gradient is deterministic.
public struct LovaszSoftmaxLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "lovasz-softmax",
        category: .region,
        formulas: [
            #"\mathcal{L} = \frac{1}{|\mathcal{C}|}\sum_{c \in \mathcal{C}} \overline{\Delta_{J_c}}\big(m(c)\big), \qquad m_i(c) = \left|g_{i,c} - p_{i,c}\right|"#,
            #"\overline{\Delta_{J_c}}(m) = \sum_{k=1}^{n} m_{\pi(k)}\, \big(\Delta_{J_c}(\{\pi(1),\dots,\pi(k)\}) - \Delta_{J_c}(\{\pi(1),\dots,\pi(k-1)\})\big), \quad m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#,
            #"\Delta_{J_c}(S) = \begin{cases} 1 - \dfrac{|G_c \setminus S|}{|G_c \cup S|}, & G_c \cup S \ne \emptyset \\ 0, & \text{otherwise} \end{cases}"#,
        ],
        parameters: [
            ParameterSpec("classes", .choice(["present", "all"]), default: .string("present")),
            ParameterSpec("per_image", .bool, default: .bool(false)),
            ParameterSpec("ignore_index", .integer(min: nil, max: nil), default: .number(-100)),
            .activation(),
            .reduction(),
        ],
        peers: [
            PeerEquivalent("reference", "lovasz_losses.lovasz_softmax(F.softmax(logits, 1), labels, classes='present', per_image=False, ignore=None)"),
            PeerEquivalent("smp", "segmentation_models_pytorch.losses.LovaszLoss(mode='multiclass', per_image=False)"),
        ],
        citation: Citation("Berman M., Rannen Triki A., Blaschko M. B. The Lovász-Softmax Loss: A Tractable Surrogate for the Optimization of the Intersection-over-Union Measure in Neural Networks. CVPR 2018.",
                           url: "https://arxiv.org/abs/1705.08790"))

    let onlyPresent: Bool, perImage: Bool
    let ignoreIndex: Int
    let activation: Activation
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        onlyPresent = try parameters.string("classes") == "present"
        perImage = try parameters.bool("per_image")
        ignoreIndex = try parameters.integer("ignore_index")
        activation = try parameters.activation()
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        if activation == .softmax && layout.classes == 1 {
            throw LossError.invalidInput("softmax over a single channel is identically 1; use activation 'sigmoid' (or 'none') for one-channel scores")
        }
        let dense: [Float], counted: [Bool]
        if layout.classes == 1, let target, target.shape == layout.positionShape {
            dense = try RegionProblem.denseTarget(target, layout: layout)
            counted = Array(repeating: true, count: layout.positions)
        } else {
            let resolved = try ClassScores.target(target, for: layout, ignoreIndex: ignoreIndex)
            dense = ClassScores.dense(resolved, layout: layout)
            if case let .labels(labels) = resolved { counted = labels.map { $0 != ClassScores.ignored } }
            else { counted = Array(repeating: true, count: layout.positions) }
        }
        let probabilities = try ClassScores.activate(input, layout: layout, activation: activation)
        let p = probabilities.p
        let C = layout.classes, S = layout.spatial
        let groups = perImage ? layout.batch : 1
        let imagesPerGroup = perImage ? 1 : layout.batch
        // One Lovász term per (group, class), independent of the others: computed concurrently for
        // large inputs. `slopes` receives each element's increment of the Jaccard loss (disjoint
        // indices per pair); the class average is applied afterwards.
        let pairs = groups * C
        var classLoss = [Double](repeating: 0, count: pairs)
        var included = [Bool](repeating: false, count: pairs)
        var slopes = [Double](repeating: 0, count: gradient ? layout.count : 0)
        let onlyPresent = self.onlyPresent
        classLoss.withUnsafeMutableBufferPointer { lossOut in
            included.withUnsafeMutableBufferPointer { includedOut in
                slopes.withUnsafeMutableBufferPointer { slopeOut in
                    let work = UncheckedSendable((lossOut, includedOut, slopeOut))
                    let term = { (pair: Int) in
                        let group = pair / C, c = pair % C
                        var errors: [LovaszExtension.Entry] = []
                        errors.reserveCapacity(imagesPerGroup * S)
                        var foregroundCount = 0
                        for image in 0..<imagesPerGroup {
                            let n = group * imagesPerGroup + image
                            for s in 0..<S where counted[n * S + s] {
                                let i = layout.index(n, c, s)
                                let g = Double(dense[i])
                                let foreground = g == 1
                                if foreground { foregroundCount += 1 }
                                errors.append((abs(g - Double(p[i])), i, foreground))
                            }
                        }
                        if errors.isEmpty || (onlyPresent && foregroundCount == 0) { return }
                        var loss = 0.0
                        LovaszExtension.walk(&errors, foregroundCount: foregroundCount) { e, increment in
                            loss += e.error * increment
                            if gradient { work.value.2[e.index] = increment }
                        }
                        work.value.0[pair] = loss
                        work.value.1[pair] = true
                    }
                    if pairs > 1 && layout.count >= Parallel.grain {
                        let shared = UncheckedSendable(term)
                        DispatchQueue.concurrentPerform(iterations: pairs) { shared.value($0) }
                    } else {
                        for pair in 0..<pairs { term(pair) }
                    }
                }
            }
        }
        var values = [Double](repeating: 0, count: groups)
        var share = [Double](repeating: 0, count: groups)
        for group in 0..<groups {
            let kept = (0..<C).filter { included[group * C + $0] }
            guard !kept.isEmpty else { continue }
            share[group] = 1 / Double(kept.count)
            values[group] = kept.reduce(0) { $0 + classLoss[group * C + $1] } * share[group]
        }
        var sum = 0.0
        for v in values { sum += v }
        let value = Reduce.value(sum: sum, count: Double(groups), elements: values.map(Float.init), shape: [groups], reduction: reduction)
        guard gradient else { return LossOutput(value: value) }
        let scale = Reduce.gradientScale(reduction, count: Double(groups))
        var upstream = [Double](repeating: 0, count: layout.count)
        for i in 0..<layout.count where slopes[i] != 0 {
            let difference = Double(dense[i]) - Double(p[i])
            // ∂|g − p|/∂p = −sign(g − p), 0 at g = p.
            let sign: Double = difference > 0 ? 1 : (difference < 0 ? -1 : 0)
            let group = perImage ? i / (C * S) : 0
            upstream[i] = -sign * slopes[i] * share[group] * scale
        }
        return LossOutput(value: value, gradient: Tensor(unchecked: layout.shape, data: probabilities.backward(upstream)))
    }
}
