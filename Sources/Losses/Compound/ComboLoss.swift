import Foundation

/// Combo loss (Taghanaki et al. 2019): a β-weighted binary cross entropy plus a Dice term.
///
/// ```latex
/// \mathcal{L} = \alpha\,\mathcal{L}_{\beta\text{-CE}} + (1 - \alpha)\,(1 - \mathrm{Dice}), \qquad
/// \mathcal{L}_{\beta\text{-CE}} = -\frac{1}{M}\sum_{j}\left[\beta\, g_j \ln p_j + (1 - \beta)(1 - g_j)\ln(1 - p_j)\right]
/// ```
///
/// over the M elements of the kept channels; Dice is `dice`'s mean soft Dice (MONAI smoothing).
/// The paper writes α·L_CE − (1 − α)·Dice, whose minimum is −(1 − α); we add the constant
/// (1 − α) so the loss is 0 at perfection. Gradients are identical. ln p and ln(1 − p) come from
/// log-sigmoid / log-softmax (the paper's code clips p to [1e-7, 1 − 1e-7]; we do not need to).
public struct ComboLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "combo",
        category: .compound,
        formulas: [
            #"\mathcal{L} = \alpha \left(-\frac{1}{NC|\Omega|}\sum_{n,c,i}\left[\beta\, g_{n,c,i} \ln p_{n,c,i} + (1 - \beta)(1 - g_{n,c,i})\ln(1 - p_{n,c,i})\right]\right) + (1 - \alpha)\left(1 - \frac{1}{NC}\sum_{n,c}\frac{2\sum_i p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_i p_{n,c,i} + \sum_i g_{n,c,i} + s_{dr}}\right)"#,
            #"\mathcal{L}_{\text{paper}} = \alpha\,\mathcal{L}_{\beta\text{-CE}} - (1 - \alpha)\,\mathrm{Dice} = \mathcal{L} - (1 - \alpha)"#,
        ],
        parameters: [
            ParameterSpec("alpha", .number(min: 0, max: 1), default: .number(0.5)),
            ParameterSpec("beta", .number(min: 0, max: 1), default: .number(0.5)),
            RegionText.includeBackground(),
            RegionText.smoothNr, RegionText.smoothDr, RegionText.batch,
            .activation(),
            CompoundTerms.reduction,
        ],
        peers: [
            PeerEquivalent("reference", "asgsaeid/ComboLoss Combo_loss(y_true, y_pred)  # Keras"),
        ],
        citation: Citation("Taghanaki S. A., Zheng Y., Zhou S. K., Georgescu B., Sharma P., Xu D., Comaniciu D., Hamarneh G. Combo loss: Handling input and output imbalance in multi-organ segmentation. Computerized Medical Imaging and Graphics 75:24–33, 2019.",
                           url: "https://doi.org/10.1016/j.compmedimag.2019.04.005"))

    let parameters: Parameters
    let alpha: Double, beta: Double
    let includeBackground: Bool
    let activation: Activation
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        self.parameters = parameters
        alpha = try parameters.number("alpha")
        beta = try parameters.number("beta")
        includeBackground = try parameters.bool("include_background")
        activation = try parameters.activation()
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let dice = try CompoundTerms.component(DiceLoss.self, from: parameters, overrides: ["weight": .numbers([])])
        let diceOut = try dice.evaluate(input, target: target, gradient: gradient)
        let layout = try ClassScores.layout(of: input)
        let dense = try RegionProblem.denseTarget(target, layout: layout)
        if activation == .none { try ClassScores.checkProbabilities(input) }
        let crossOut = crossEntropy(input, layout: layout, target: dense, gradient: gradient)
        return CompoundTerms.combine([(alpha, crossOut), (1 - alpha, diceOut)], gradient: gradient)
    }

    /// The β-weighted binary cross entropy over the kept channels, in `Double`.
    private func crossEntropy(_ input: Tensor, layout: ClassScoreShape, target: [Float], gradient: Bool) -> LossOutput {
        let C = layout.classes, S = layout.spatial
        let first = includeBackground || C == 1 ? 0 : 1
        let count = Double(layout.batch * (C - first) * S)
        let scale = reduction == .mean ? 1 / count : 1
        let beta = self.beta
        var grad = [Float](repeating: 0, count: gradient ? layout.count : 0)
        var sum = 0.0
        var logP = [Double](repeating: 0, count: C), logQ = [Double](repeating: 0, count: C)
        var x = [Double](repeating: 0, count: C), g = [Double](repeating: 0, count: C)
        for pos in 0..<layout.positions {
            let n = pos / S, base = n * C * S + (pos - n * S)
            for c in 0..<C { x[c] = Double(input.data[base + c * S]); g[c] = Double(target[base + c * S]) }
            switch activation {
            case .sigmoid:
                for c in 0..<C { logP[c] = ClassScores.logSigmoid(x[c]); logQ[c] = ClassScores.logSigmoid(-x[c]) }
            case .none:
                for c in 0..<C { logP[c] = ClassScores.clampedLog(x[c]); logQ[c] = ClassScores.clampedLog1p(-x[c]) }
            case .softmax:
                Self.logSoftmaxAndComplement(x, logP: &logP, logQ: &logQ)
            }
            for c in first..<C {
                sum -= beta * (g[c] == 0 ? 0 : g[c] * logP[c]) + (1 - beta) * (g[c] == 1 ? 0 : (1 - g[c]) * logQ[c])
            }
            guard gradient else { continue }
            for j in 0..<C {
                let d: Double
                switch activation {
                case .sigmoid:
                    guard j >= first else { d = 0; break }
                    let p = exp(logP[j]), q = exp(logQ[j])
                    d = -(beta * g[j] * q - (1 - beta) * (1 - g[j]) * p)
                case .none:
                    guard j >= first else { d = 0; break }
                    d = -(beta * g[j] / max(x[j], 1e-12) - (1 - beta) * (1 - g[j]) / max(1 - x[j], 1e-12))
                case .softmax:
                    // ∂/∂x_j of −Σ_c [β g_c ln p_c + (1 − β)(1 − g_c) ln(1 − p_c)], c kept:
                    // ∂ln p_c/∂x_j = [c = j] − p_j, ∂ln(1 − p_c)/∂x_j = [c ≠ j] p_j/(1 − p_c) − p_j.
                    let pj = exp(logP[j])
                    var total = 0.0
                    for c in first..<C {
                        total += beta * g[c] * ((c == j ? 1 : 0) - pj)
                        if g[c] != 1 {
                            let ratio = c == j ? 0 : exp(logP[j] - logQ[c])
                            total += (1 - beta) * (1 - g[c]) * (ratio - pj)
                        }
                    }
                    d = -total
                }
                grad[base + j * S] = Float(d * scale)
            }
        }
        return LossOutput(value: Tensor(scalar: Float(sum * scale)),
                          gradient: gradient ? Tensor(unchecked: layout.shape, data: grad) : nil)
    }

    /// ln p_c and ln(1 − p_c) of a softmax, both without cancellation: ln(1 − p_c) is the
    /// log-sum-exp of the other classes minus the total one.
    static func logSoftmaxAndComplement(_ x: [Double], logP: inout [Double], logQ: inout [Double]) {
        let C = x.count
        var top = 0
        for c in 1..<max(1, C) where x[c] > x[top] { top = c }
        let m = x[top]
        var z = 0.0
        for c in 0..<C { z += exp(x[c] - m) }
        let lse = m + log(z)
        // The others of the top class, with their own maximum.
        var m2 = -Double.infinity
        for c in 0..<C where c != top { m2 = max(m2, x[c]) }
        var z2 = 0.0
        for c in 0..<C where c != top { z2 += exp(x[c] - m2) }
        let lseOthersOfTop = C > 1 ? m2 + log(z2) : -Double.infinity
        for c in 0..<C {
            logP[c] = x[c] - lse
            // For c ≠ top, z − e_c ≥ 1 (it holds the top's term), so the subtraction is safe.
            logQ[c] = c == top ? lseOthersOfTop - lse : m + log(z - exp(x[c] - m)) - lse
        }
    }
}
