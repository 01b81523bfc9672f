import Foundation

/// Exponential logarithmic loss (Wong et al. 2018).
///
/// ```latex
/// \mathcal{L} = w_{dice}\,\mathbb{E}_{n,c}\!\left[(-\ln \mathrm{Dice}_{n,c})^{\gamma_{dice}}\right]
///   + w_{cross}\,\mathbb{E}_{i}\!\left[w_{y_i}\,(-\ln p_{i,y_i})^{\gamma_{cross}}\right]
/// ```
///
/// Dice_{n,c} = (2 Σ p g + s_nr)/(Σ p + Σ g + s_dr) per (sample, kept class) (per class with
/// `batch`), E the mean over those entries and over positions (`sum` adds instead). The paper
/// uses w_dice = 0.8, w_cross = 0.2, γ = 0.3 for both and the pseudocount ε = 1 (s_nr = s_dr = 1).
/// Dense targets use −Σ_c t_c ln p_c and the weight Σ_c t_c w_c. γ < 1 makes the derivative of
/// x^γ infinite at x = 0: where a term is exactly 0 (perfect entry or position) its gradient is 0.
public struct ExpLogLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "exp-log",
        category: .compound,
        formulas: [
            #"\mathcal{L} = w_{\text{dice}}\,\mathcal{L}_{\text{Dice}} + w_{\text{cross}}\,\mathcal{L}_{\text{cross}}"#,
            #"\mathcal{L}_{\text{Dice}} = \frac{1}{NC}\sum_{n,c}\max\left(0,\ -\ln \frac{2\sum_i p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_i \left(p_{n,c,i} + g_{n,c,i}\right) + s_{dr}}\right)^{\gamma_{\text{dice}}}"#,
            #"\mathcal{L}_{\text{cross}} = \frac{1}{N|\Omega|}\sum_{n,i} w_{y_{n,i}}\left(-\ln p_{n,y_{n,i},i}\right)^{\gamma_{\text{cross}}}"#,
            #"w_l = \left(\frac{\sum_k f_k}{f_l}\right)^{0.5}\ \text{(the paper's class weights, from the label frequencies } f_l\text{)}"#,
        ],
        parameters: [
            ParameterSpec("w_dice", .number(min: 0, max: nil), default: .number(0.8)),
            ParameterSpec("w_cross", .number(min: 0, max: nil), default: .number(0.2)),
            ParameterSpec("gamma_dice", .number(min: 0, max: nil, minExclusive: true), default: .number(0.3)),
            ParameterSpec("gamma_cross", .number(min: 0, max: nil, minExclusive: true), default: .number(0.3)),
            ParameterSpec("weight", .numbers(min: 0, max: nil), default: .numbers([])),
            RegionText.includeBackground(),
            ParameterSpec("smooth_nr", .number(min: 0, max: nil), default: .number(1)),
            ParameterSpec("smooth_dr", .number(min: 0, max: nil), default: .number(1)),
            RegionText.batch,
            CrossEntropyText.activation(),
            CompoundTerms.reduction,
        ],
        peers: [],
        citation: Citation("Wong K. C. L., Moradi M., Tang H., Syeda-Mahmood T. 3D Segmentation with Exponential Logarithmic Loss for Highly Unbalanced Object Sizes. MICCAI 2018, LNCS 11072.",
                           url: "https://arxiv.org/abs/1809.00076"))

    let wDice: Double, wCross: Double, gammaDice: Double, gammaCross: Double
    let weight: [Double]
    let includeBackground: Bool, batch: Bool
    let smoothNr: Double, smoothDr: Double
    let probabilities: Bool
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        wDice = try parameters.number("w_dice")
        wCross = try parameters.number("w_cross")
        gammaDice = try parameters.number("gamma_dice")
        gammaCross = try parameters.number("gamma_cross")
        weight = try parameters.numbers("weight")
        includeBackground = try parameters.bool("include_background")
        smoothNr = try parameters.number("smooth_nr")
        smoothDr = try parameters.number("smooth_dr")
        batch = try parameters.bool("batch")
        probabilities = try parameters.string("activation") == "none"
        reduction = try parameters.reduction()
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        typealias S = RegionProblem.Sum
        let problem = try RegionProblem(input, target: target, activation: probabilities ? .none : .softmax,
                                        includeBackground: includeBackground, batch: batch)
        let layout = problem.layout
        if !weight.isEmpty && weight.count != layout.classes {
            throw LossError.invalidParameter(loss: Self.descriptor.id, name: "weight",
                                             message: "\(weight.count) weights given for \(layout.classes) classes")
        }
        // Dice term: (−ln D)^γ per entry, D = A/B.
        let a = RegionProblem.vector([(S.tp, 2)])
        let b = RegionProblem.vector([(S.g, 1), (S.tp, 1), (S.fp, 1)])
        let smoothNr = self.smoothNr, smoothDr = self.smoothDr, gammaDice = self.gammaDice
        let diceOut = problem.evaluate(reduction: reduction, gradient: gradient) { sums in
            let A = (a * sums).sum() + smoothNr, B = (b * sums).sum() + smoothDr
            let t = max(0, log(B) - log(A))
            let slope = t > 0 ? gammaDice * pow(t, gammaDice - 1) : 0
            return (pow(t, gammaDice), slope * (b / B - a / A))
        }
        let crossOut = crossTerm(input, layout: layout, target: problem.target, gradient: gradient)
        return CompoundTerms.combine([(wDice, diceOut), (wCross, crossOut)], gradient: gradient)
    }

    /// E_i[w_i L_i^γ], L_i = −Σ_c t_c ln p_c, in `Double` from the logits (or probabilities).
    private func crossTerm(_ input: Tensor, layout: ClassScoreShape, target: [Float], gradient: Bool) -> LossOutput {
        let C = layout.classes, S = layout.spatial, positions = layout.positions
        let scale = reduction == .mean ? 1 / Double(positions) : 1
        var grad = [Float](repeating: 0, count: gradient ? layout.count : 0)
        var logP = [Double](repeating: 0, count: C)
        var sum = 0.0
        for pos in 0..<positions {
            let n = pos / S, base = n * C * S + (pos - n * S)
            if probabilities {
                for c in 0..<C { logP[c] = ClassScores.clampedLog(Double(input.data[base + c * S])) }
            } else {
                var m = -Double.infinity
                for c in 0..<C { m = max(m, Double(input.data[base + c * S])) }
                var z = 0.0
                for c in 0..<C { z += exp(Double(input.data[base + c * S]) - m) }
                let lse = m + log(z)
                for c in 0..<C { logP[c] = Double(input.data[base + c * S]) - lse }
            }
            var L = 0.0, mass = 0.0, w = 0.0
            for c in 0..<C {
                let t = Double(target[base + c * S])
                if t != 0 { L -= t * logP[c]; mass += t; w += t * (weight.isEmpty ? 1 : weight[c]) }
            }
            L = max(L, 0)
            sum += w * pow(L, gammaCross)
            guard gradient, L > 0 else { continue }
            let k = scale * w * gammaCross * pow(L, gammaCross - 1)
            for c in 0..<C {
                let i = base + c * S, t = Double(target[i])
                let dL = probabilities ? (t == 0 ? 0 : -t / max(Double(input.data[i]), 1e-12)) : exp(logP[c]) * mass - t
                grad[i] = Float(k * dL)
            }
        }
        return LossOutput(value: Tensor(scalar: Float(sum * scale)),
                          gradient: gradient ? Tensor(unchecked: layout.shape, data: grad) : nil)
    }
}
