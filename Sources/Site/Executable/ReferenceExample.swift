import Foundation
import Losses

/// What a loss's reference page feeds it in its example table, gradient table and plot: one probe
/// per kind of input, chosen to exercise what the loss computes.
///
/// The probe follows the loss's input family (`ProbeFamily`), with one refinement: a loss that
/// weighs or selects positions by the whole batch (class weights from the class masses, a distance
/// penalty from the mask, the hardest k %) gives on one pixel, or on pixels that all have the same
/// loss, exactly its base loss's value. The cross-entropy family, and the compound losses that
/// contain one of its members, are therefore probed on a mask whose object and background pixels
/// have different losses (`ProbeVariable.o`), so that each page's numbers show what its loss adds.
///
/// The caption that says what the input is comes from the theme's strings (`ref_probe_<kind>`),
/// the loss's own remarks from its catalog prose (`## example`).
struct ReferenceExample {
    /// The kinds of probe, named as their caption keys are (`ref_probe_<rawValue>`).
    enum Probe: String, CaseIterable {
        case residual, margin, binary, weights, divergence, features, region, object
        case logProbabilities = "log-probabilities"
        case torchNN = "torch-nn"
    }

    let id: String
    let probe: Probe
    let variable: ProbeVariable
    /// The variable's values in the value table, in the gradient table, and the plot's range.
    let values: [Double]
    let gradientValues: [Double]
    let range: ClosedRange<Double>
    /// A parameter the page varies across columns, with its values.
    let series: (name: String, values: [Double])?

    /// The target mask of the region and object probes: an object touching no edge, with pixels at
    /// different distances from its boundary (and background pixels at different distances too).
    static let mask: [[Int]] = [
        [0, 0, 0, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0],
    ]

    /// The parameter a loss's page varies across columns, for the losses that have one that
    /// shapes the curve (the others show the defaults).
    static let seriesByID: [String: (name: String, values: [Double])] = [
        "smooth-l1": ("beta", [0.5, 1, 2]),
        "huber": ("delta", [0.5, 1, 2]),
        "focal": ("gamma", [0, 0.5, 1, 2, 5]),
        "topk": ("k", [10, 50, 100]),
        "topk-threshold": ("threshold", [0.3, 0.7, 0.9]),
        "l1-regularization": ("lambda", [0.01, 0.1, 1]),
        "l2-regularization": ("lambda", [0.01, 0.1, 1]),
        "focal-tversky": ("gamma", [1, 1.3333333333333333, 2]),
    ]

    /// The probe of loss `id`.
    static func of(_ id: String) -> ReferenceExample {
        let series = seriesByID[id]
        func make(_ probe: Probe, _ variable: ProbeVariable, _ values: [Double], _ gradientValues: [Double]? = nil,
                  _ range: ClosedRange<Double>) -> ReferenceExample {
            ReferenceExample(id: id, probe: probe, variable: variable, values: values, gradientValues: gradientValues ?? values,
                             range: range, series: series)
        }
        switch ProbeFamily.of(id) {
        case .residual: return make(.residual, .r, [-2, -0.5, 0.25, 1, 3], nil, -3...3)
        case .margin: return make(.margin, .m, [-1.5, -0.5, 0.5, 1.5, 3], nil, -2...3)
        case .binary: return make(.binary, .p, [0.1, 0.25, 0.5, 0.75, 0.95], nil, 0.02...0.98)
        case .weights: return make(.weights, .w, [-2, -0.5, 0.5, 2], nil, -2...2)
        case .divergence: return make(.divergence, .q, [0.1, 0.25, 0.5, 0.75, 0.9], [0.1, 0.25, 0.6, 0.75, 0.9], 0.02...0.98)
        case .features: return make(.features, .a, [0, 0.5, 1, 1.5, 2], [0, 0.5, 1.25, 1.5, 2], -1...3)
        case .logProbabilities: return make(.logProbabilities, .p, [0.1, 0.25, 0.5, 0.75, 0.95], nil, 0.02...0.98)
        case .torchNN:
            let (values, range) = TorchNNProbe.example(for: id)
            return make(.torchNN, .x, values, nil, range)
        case .classScores: return make(.object, .o, objectValues, nil, objectRange)
        case .region:
            // A compound loss with a cross-entropy-family term is probed as that term is.
            let combinesCrossEntropy = Catalog.relations.contains {
                $0.from == id && $0.kind == .combines && ProbeFamily.of($0.to) == .classScores
            }
            if combinesCrossEntropy { return make(.object, .o, objectValues, nil, objectRange) }
            return make(.region, .s, [0.1, 0.3, 0.5, 0.7, 0.9], [0.1, 0.3, 0.6, 0.7, 0.9], 0.02...0.98)
        }
    }

    /// Object probabilities below and above the background's right-class probability (0.95: where
    /// the top-k selection moves from the object to the background), none on a threshold of
    /// `seriesByID` (where the thresholded loss jumps).
    static let objectValues: [Double] = [0.1, 0.2, 0.5, 0.8, 0.99]
    static let objectRange: ClosedRange<Double> = 0.02...0.999

    /// Pixels of the mask's object.
    static var objectPixels: Int { mask.joined().filter { $0 == 1 }.count }

    // MARK: - Blocks

    /// The YAML bodies of the page's `loss-table`, `loss-grad` and `loss-plot` blocks (captions apart).
    var table: String { body(vary: values) }
    var gradient: String { body(vary: gradientValues) }
    var plot: String {
        prefix + "x: {\(variable.rawValue): [\(Self.number(range.lowerBound)), \(Self.number(range.upperBound))]}\n"
    }

    private func body(vary: [Double]) -> String {
        prefix + "vary: {\(variable.rawValue): [" + vary.map(Self.number).joined(separator: ", ") + "]}\n"
    }

    private var prefix: String {
        var text = ""
        if let series {
            text += "series: {\(series.name): [" + series.values.map(Self.number).joined(separator: ", ") + "]}\n"
        }
        if variable == .s || variable == .o {
            text += "mask:\n  target: |\n" + Self.mask.map { "    " + $0.map(String.init).joined(separator: " ") + "\n" }.joined()
        }
        return text
    }

    private static func number(_ x: Double) -> String { "\(x)" }

    // MARK: - Caption

    /// What the example's input is, its probe points and why, and the reduction, in the page's
    /// language: the probe's sentence from the theme's strings, the reduction the loss uses, and
    /// the loss's own remark from its catalog prose (`remark`, may be empty). The gradient
    /// table's caption says what it differentiates instead of describing the same input again.
    func caption(strings text: (String) -> String, remark: String, gradient: Bool = false) -> String {
        let probeText = gradient ? text("ref_gradient_caption") : text("ref_probe_\(probe.rawValue)")
            .utf8Replacing("{rows}", with: String(Self.mask.count))
            .utf8Replacing("{columns}", with: String(Self.mask[0].count))
            .utf8Replacing("{object}", with: String(Self.objectPixels))
            .utf8Replacing("{background}", with: DirectiveExpander.format(1 - ProbeVariable.background, digits: 6))
        var sentences = [probeText, reductionSentence(text)]
        if !remark.isEmpty { sentences.append(remark) }
        return sentences.joined(separator: text("sentence_separator"))
    }

    /// "Reduction: `mean` (the default)." or, for a loss without the parameter, that it returns one number.
    private func reductionSentence(_ text: (String) -> String) -> String {
        guard let spec = (try? Catalog.descriptor(for: id))?.parameters.first(where: { $0.name == "reduction" }) else {
            return text("ref_example_no_reduction")
        }
        return text("ref_example_reduction").utf8Replacing("{reduction}", with: "`\(spec.defaultValue.description)`")
    }
}
