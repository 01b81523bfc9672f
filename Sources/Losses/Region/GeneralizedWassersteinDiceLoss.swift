import Foundation

/// Generalised Wasserstein Dice loss (Fidon et al. 2017), with MONAI
/// `GeneralizedWassersteinDiceLoss` semantics.
///
/// With M the class distance matrix (`dist_matrix`, C × C, divided by its largest entry), p the
/// softmax of the logits and y_i the label of position i, the Wasserstein distance between the
/// prediction and the label at i is
///
/// ```latex
/// W_i = \sum_c M_{y_i, c}\, p_{i,c}
/// ```
///
/// and per sample, with class weights α (`default`: α_0 = 0, the background, and 1 for the other
/// classes; `GDL`: α_c = 1/(V_c + 1), V_c the class's voxel count in the sample),
///
/// ```latex
/// TP = \sum_i \alpha_{y_i}(1 - W_i), \quad
/// \mathcal{L} = 1 - \frac{2\,TP + s_{nr}}{D + s_{dr}}, \quad
/// D = 2\,TP + \sum_i W_i\ (\texttt{default}), \quad D = \sum_i \alpha_{y_i}(2 - W_i)\ (\texttt{GDL})
/// ```
///
/// `none` returns one value per sample (`[N]`). Input: logits `[N, C, spatial…]` (MONAI always
/// applies a softmax; there is no `activation`); target: class indices `[N, spatial…]` or
/// `[N, 1, spatial…]`. Confusing two classes costs their distance: a small M entry makes a
/// neighbouring class cheap. An empty `dist_matrix` is the 0/1 distance 1 − I (every confusion
/// costs 1), where MONAI requires the matrix. Sums in `Double`; the gradient is the closed form
/// ∂𝓛/∂x_{i,c} = (∂𝓛/∂W_i) p_{i,c} (M_{y_i,c} − W_i), no softmax Jacobian cancellation. A
/// sample of background only in `default` mode has TP = 0: its loss is 1 − s_nr/(ΣW + s_dr), 0 for
/// a perfect prediction. NaN logits propagate.
public struct GeneralizedWassersteinDiceLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "generalized-wasserstein-dice",
        category: .region,
        formulas: [
            #"\mathcal{L}_n = 1 - \frac{2\sum_i \alpha_{y_i}\left(1 - W_i\right) + s_{nr}}{D_n + s_{dr}}, \qquad W_i = \sum_{c} M_{y_i, c}\, p_{i,c}"#,
            #"D_n = 2\sum_i \alpha_{y_i}\left(1 - W_i\right) + \sum_i W_i \qquad (\texttt{default};\ \alpha \text{ is } 0 \text{ on the background class and } 1 \text{ on the others})"#,
            #"D_n = \sum_i \alpha_{y_i}\left(2 - W_i\right), \qquad \alpha_c = \frac{1}{V_c + 1} \qquad (\texttt{GDL};\ V_c \text{ the positions of class } c \text{ in the sample})"#,
        ],
        parameters: [
            ParameterSpec("dist_matrix", .numbers(min: 0, max: nil), default: .numbers([])),
            ParameterSpec("weighting_mode", .choice(["default", "GDL"]), default: .string("default")),
            RegionText.smoothNr, RegionText.smoothDr,
            .reduction(),
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.GeneralizedWassersteinDiceLoss(dist_matrix=M, weighting_mode='default')"),
        ],
        citation: Citation("Fidon L., Li W., Garcia-Peraza-Herrera L. C., Ekanayake J., Kitchen N., Ourselin S., Vercauteren T. Generalised Wasserstein Dice Score for Imbalanced Multi-class Segmentation using Holistic Convolutional Networks. BrainLes 2017, LNCS 10670.",
                           url: "https://arxiv.org/abs/1707.00478"))

    let distances: [Double]
    let gdlWeights: Bool
    let smoothNr: Double, smoothDr: Double
    let reduction: Reduction

    public init(_ parameters: Parameters) throws {
        distances = try parameters.numbers("dist_matrix")
        if !distances.isEmpty, !(distances.max()! > 0) {
            throw LossError.invalidParameter(loss: parameters.loss, name: "dist_matrix",
                                             message: "needs a positive entry (it is divided by its largest one)")
        }
        gdlWeights = try parameters.string("weighting_mode") == "GDL"
        smoothNr = try parameters.number("smooth_nr")
        smoothDr = try parameters.number("smooth_dr")
        reduction = try parameters.reduction()
    }

    /// M divided by its largest entry (MONAI's normalisation), row-major C × C.
    func matrix(classes C: Int) throws -> [Double] {
        if distances.isEmpty {
            return (0..<(C * C)).map { $0 / C == $0 % C ? 0 : 1 }
        }
        guard distances.count == C * C else {
            throw LossError.shapeMismatch("'\(Self.descriptor.id)': dist_matrix has \(distances.count) entries, the input has \(C) classes (needs \(C * C), row-major)")
        }
        let largest = distances.max()!
        return distances.map { $0 / largest }
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let layout = try ClassScores.layout(of: input)
        let C = layout.classes, S = layout.spatial, N = layout.batch
        guard C > 1 else {
            throw LossError.invalidInput("'\(Self.descriptor.id)' takes a softmax over C ≥ 2 classes; got one channel")
        }
        let M = try matrix(classes: C)
        guard case let .labels(labels) = try ClassScores.target(target, for: layout, allowDense: false) else {
            throw LossError.shapeMismatch("'\(Self.descriptor.id)' takes class indices")
        }
        let p = try ClassScores.activate(input, layout: layout, activation: .softmax, logarithms: false).p
        var values = [Double](repeating: 0, count: N)
        var slopes = [Double](repeating: 0, count: N * S)   // ∂𝓛_n/∂W_i
        var W = [Double](repeating: 0, count: N * S)
        for n in 0..<N {
            var alpha = [Double](repeating: 1, count: C)
            if gdlWeights {
                var volume = [Double](repeating: 0, count: C)
                for s in 0..<S { volume[labels[n * S + s]] += 1 }
                alpha = volume.map { 1 / ($0 + 1) }
            } else {
                alpha[0] = 0
            }
            var tp = 0.0, errors = 0.0, gdlDenominator = 0.0
            for s in 0..<S {
                let y = labels[n * S + s]
                var w = 0.0
                for c in 0..<C { w += M[y * C + c] * Double(p[layout.index(n, c, s)]) }
                W[n * S + s] = w
                tp += alpha[y] * (1 - w)
                errors += w
                gdlDenominator += alpha[y] * (2 - w)
            }
            let A = 2 * tp + smoothNr
            let B = (gdlWeights ? gdlDenominator : 2 * tp + errors) + smoothDr
            values[n] = 1 - A / B
            guard gradient else { continue }
            for s in 0..<S {
                let a = alpha[labels[n * S + s]]
                // ∂A/∂W = −2α; ∂B/∂W = −2α + 1 (default) or −α (GDL).
                let dB = gdlWeights ? -a : 1 - 2 * a
                slopes[n * S + s] = 2 * a / B + A * dB / (B * B)
            }
        }
        var sum = 0.0
        for v in values { sum += v }
        let value = Reduce.value(sum: sum, count: Double(N), elements: values.map(Float.init), shape: [N], reduction: reduction)
        guard gradient else { return LossOutput(value: value) }
        let scale = Reduce.gradientScale(reduction, count: Double(N))
        var grad = [Float](repeating: 0, count: layout.count)
        for n in 0..<N {
            for s in 0..<S {
                let y = labels[n * S + s], k = slopes[n * S + s] * scale, w = W[n * S + s]
                for c in 0..<C {
                    let i = layout.index(n, c, s)
                    grad[i] = Float(k * Double(p[i]) * (M[y * C + c] - w))
                }
            }
        }
        return LossOutput(value: value, gradient: Tensor(unchecked: layout.shape, data: grad))
    }
}
