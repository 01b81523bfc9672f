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
        name: Localized(zh: "Lovász-Softmax 损失", en: "Lovász-Softmax loss"),
        category: .region,
        formulas: [
            #"\mathcal{L} = \frac{1}{|\mathcal{C}|}\sum_{c \in \mathcal{C}} \overline{\Delta_{J_c}}\big(m(c)\big), \qquad m_i(c) = \left|g_{i,c} - p_{i,c}\right|"#,
            #"\overline{\Delta_{J_c}}(m) = \sum_{k=1}^{n} m_{\pi(k)}\, \big(\Delta_{J_c}(\{\pi(1),\dots,\pi(k)\}) - \Delta_{J_c}(\{\pi(1),\dots,\pi(k-1)\})\big), \quad m_{\pi(1)} \ge m_{\pi(2)} \ge \cdots"#,
            #"\Delta_{J_c}(S) = 1 - \frac{|G_c \setminus S|}{|G_c \cup S|}"#,
        ],
        parameters: [
            ParameterSpec("classes", .choice(["present", "all"]), default: .string("present"),
                          Localized(zh: "对哪些类求平均：present 只取目标中出现的类，all 取全部类",
                                    en: "classes averaged: present (those in the target) or all")),
            ParameterSpec("per_image", .bool, default: .bool(false),
                          Localized(zh: "为 true 时每张图像单独计算再对图像求平均，否则整批一起计算",
                                    en: "true computes the loss per image and averages over images; false treats the batch as one set")),
            ParameterSpec("ignore_index", .integer(min: nil, max: nil), default: .number(-100),
                          Localized(zh: "目标中取该值的位置不参与计算（对应参考实现的 ignore）",
                                    en: "positions whose target equals this value are left out (the reference code's ignore)")),
            .activation(),
            .reduction(),
        ],
        inputConvention: Localized(
            zh: "输入为类别得分 [N, C, 空间…]（默认 logits 经 softmax）；目标为类别索引图 [N, 空间…] 或与输入同形的 one-hot 张量。",
            en: "Class scores [N, C, spatial…] (logits through softmax by default); the target is a class-index map [N, spatial…] or a one-hot tensor shaped like the input."),
        gradientNote: Localized(
            zh: "Lovász 扩展对排序后的误差是线性的：$\\partial \\mathcal{L}/\\partial m_{\\pi(k)}$ 等于 Jaccard 损失沿该顺序的增量，$\\partial m_i/\\partial p_i = -\\operatorname{sign}(g_i - p_i)$（误差为 0 时取 0，同 PyTorch 的 abs），再经 softmax 反传。这是分段线性函数的次梯度，误差相等处不可导。",
            en: "The Lovász extension is linear in the sorted errors: $\\partial \\mathcal{L}/\\partial m_{\\pi(k)}$ is the increment of the Jaccard loss along that order, $\\partial m_i/\\partial p_i = -\\operatorname{sign}(g_i - p_i)$ (0 at a zero error, as PyTorch's abs), then back through softmax. A subgradient of a piecewise-linear function: not differentiable where errors tie."),
        peers: [
            PeerEquivalent("reference", "lovasz_losses.lovasz_softmax(F.softmax(logits, 1), labels, classes='present', per_image=False, ignore=None)",
                           note: Localized(zh: "Berman 等人的参考实现（bermanmaxim/LovaszSoftmax）；数值相同。", en: "Berman et al.'s reference code (bermanmaxim/LovaszSoftmax); same values.")),
            PeerEquivalent("smp", "segmentation_models_pytorch.losses.LovaszLoss(mode='multiclass', per_image=False)",
                           note: Localized(zh: "smp 移植自参考实现，数值相同。", en: "smp ports the reference code; same values.")),
        ],
        notes: Localized(
            zh: "输入须是概率（SegLoss 的训练脚本把 logits 直接喂给它，是个错误；这里默认先做 softmax）。per_image=false 时整批算一个值：mean、sum 都返回它，none 返回形状 [1] 的张量；per_image=true 时每张图像一个值，mean/sum 对图像归约，none 返回 [N]。没有剩余位置或没有出现任何类时该组的损失为 0。",
            en: "The loss needs probabilities (SegLoss's trainer feeds it logits, a bug; here softmax is applied by default). With per_image=false the batch gives one value: mean and sum return it, none returns it shaped [1]; with per_image=true each image gives one value, mean/sum reduce over images and none returns [N]. A group with no position left or no class present scores 0."),
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

    public func evaluate(_ input: Tensor, target: Tensor?, gradient wanted: Bool) throws -> LossOutput {
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
        var slopes = [Double](repeating: 0, count: wanted ? layout.count : 0)
        let onlyPresent = self.onlyPresent
        classLoss.withUnsafeMutableBufferPointer { lossOut in
            included.withUnsafeMutableBufferPointer { includedOut in
                slopes.withUnsafeMutableBufferPointer { slopeOut in
                    let work = UncheckedSendable((lossOut, includedOut, slopeOut))
                    let term = { (pair: Int) in
                        let group = pair / C, c = pair % C
                        var errors: [(error: Double, index: Int, foreground: Bool)] = []
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
                        errors.sort { $0.error != $1.error ? $0.error > $1.error : $0.index < $1.index }
                        var loss = 0.0, previous = 0.0
                        var foregroundSoFar = 0, backgroundSoFar = 0
                        let total = Double(foregroundCount)
                        for e in errors {
                            if e.foreground { foregroundSoFar += 1 } else { backgroundSoFar += 1 }
                            let jaccard = 1 - (total - Double(foregroundSoFar)) / (total + Double(backgroundSoFar))
                            let increment = jaccard - previous
                            previous = jaccard
                            loss += e.error * increment
                            if wanted { work.value.2[e.index] = increment }
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
        guard wanted else { return LossOutput(value: value) }
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
