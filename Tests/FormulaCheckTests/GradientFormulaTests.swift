@testable import FormulaCheck
import Foundation
import LossFormulas
import Losses
import XCTest

/// The catalog prose's gradient formulas (`CatalogBindings.gradients`) against the library's
/// analytic gradient; a wrong one must fail.
final class GradientFormulaTests: XCTestCase {
    /// The repository's `content/`, from this file's path.
    private static let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content")

    /// The `$…$` spans of the `## gradient` section of a loss's catalog prose.
    private func spans(_ loss: String, language: String) throws -> [String] {
        let text = try String(contentsOf: Self.content.appendingPathComponent("\(language)/reference/\(loss).md"), encoding: .utf8)
        let section = try XCTUnwrap(text.components(separatedBy: "\n## gradient\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        return section.components(separatedBy: "$").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    }

    private func tex(_ binding: GradientBinding, language: String) throws -> [String] {
        let all = try spans(binding.value.loss, language: language)
        return binding.value.formulas.map { all[$0] }
    }

    func testEveryBoundGradientFormulaAgreesInEveryLanguage() throws {
        XCTAssertGreaterThanOrEqual(CatalogBindings.gradients.count, 8)
        for binding in CatalogBindings.gradients {
            for language in ["zh", "en"] {
                let outcomes = try CatalogFormulas.checkGradient(binding, formulas: try tex(binding, language: language))
                for outcome in outcomes {
                    XCTAssertNil(outcome.report.disagreement, "\(binding.value.loss) (\(language)) \(outcome.settings)")
                    XCTAssertGreaterThan(outcome.report.checked, 0, binding.value.loss)
                }
            }
        }
    }

    /// `span`: the binding that reads that span of the section (a loss's first binding when nil).
    /// `pooled`: the binding with `per_image` off.
    private func assertFails(_ loss: String, span: Int? = nil, _ from: String, _ to: String, pooled: Bool = false,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let binding = try XCTUnwrap(CatalogBindings.gradients.first {
            $0.value.loss == loss && (span.map($0.value.formulas.contains) ?? true)
                && $0.value.settings.contains { $0["per_image"] == "false" } == pooled
        }, file: file, line: line)
        var formulas = try tex(binding, language: "en")
        let k = try XCTUnwrap(formulas.firstIndex { $0.contains(from) }, "'\(from)' is not in \(loss)'s gradient formulas", file: file, line: line)
        formulas[k] = formulas[k].replacingOccurrences(of: from, with: to)
        let outcomes = try CatalogFormulas.checkGradient(binding, formulas: formulas)
        XCTAssertTrue(outcomes.contains { !$0.report.passed }, "\(loss): '\(from)' → '\(to)' still passes", file: file, line: line)
    }

    /// A factor, a sign, a power or a term changed: each must disagree with the library.
    func testWrongGradientFormulasFail() throws {
        try assertFails("l2", "2(x - y)", "(x - y)")
        try assertFails("huber", #"-\delta, \delta"#, "-1, 1")
        try assertFails("smooth-l1", #"d/\beta"#, "d")
        try assertFails("binary-cross-entropy", "- p_w y", "- y")
        try assertFails("cross-entropy", "- q_c", "+ q_c")
        try assertFails("focal", #"(1-p_c)^{\gamma} -"#, #"(1-p_c)^{\gamma} +"#)
        try assertFails("dice", "A/B^2", "A/B")
        try assertFails("tversky", #"\beta g_i)/B^2"#, #"\beta g_i)/B"#)
        try assertFails("exponential", #"-y\,e^{-y f}"#, #"y\,e^{-y f}"#)
        try assertFails("squared-hinge", "-2y", "-y")
        try assertFails("l2-regularization", #"\lambda w_i"#, #"\lambda w_i^2"#)
        try assertFails("kl-divergence", "= -p_i", "= p_i")
        try assertFails("poisson-nll", "e^{x} - y", "e^{x} + y")
        try assertFails("nll", "= -w_{y_i}[c = y_i]", "= -[c = y_i]")
        try assertFails("weighted-cross-entropy", "(p_{i,c} - [c = y_i])", "(p_{i,c}^2 - [c = y_i])")
        try assertFails("multilabel-soft-margin", "- y_{n,c})/C", "- y_{n,c})")
    }

    /// The segmentation families' gradient bindings (`CatalogBindings.segmentationGradients`).
    func testWrongSegmentationGradientFormulasFail() throws {
        try assertFails("iou", "A(1 - g_i)/B^2", "A(1 + g_i)/B^2")
        try assertFails("sensitivity-specificity", "-2(g_i - p_i)", "-(g_i - p_i)")
        try assertFails("asymmetric", #"-(1+\beta^2) g_i/B"#, #"-\beta^2 g_i/B"#)
        try assertFails("generalized-dice", #"w_c\,(-2g_{c,i}/B"#, "(-2g_{c,i}/B")
        try assertFails("focal-tversky", #"(1 - TI)^{1/\gamma - 1}"#, #"(1 - TI)^{1/\gamma}"#)
        try assertFails("masked-dice", #"m_i\,(-2g_i/B"#, "(-2g_i/B")
        try assertFails("unified-focal", span: 2, #"\log P_1 - (1 - P_1)"#, #"\log P_1 + (1 - P_1)"#)
        try assertFails("unified-focal", span: 3, #"= -\frac{w\delta g_2}"#, #"= \frac{w\delta g_2}"#)
        // generalized-wasserstein-dice through the softmax: the factor M − W, and the W_i it reads (span 0).
        try assertFails("generalized-wasserstein-dice", #"(M_{y_i,c} - W_i)"#, #"(M_{y_i,c} + W_i)"#)
        try assertFails("generalized-wasserstein-dice", #"\,p_{i,c}\,(M"#, #"\,(M"#)
        try assertFails("generalized-wasserstein-dice", #"W_i = \sum_c M_{y_i,c}"#, #"W_i = \sum_c M_{c,y_i}"#)
        // lovasz-hinge, per image and pooled: the sign, the ReLU's gate, the increment's step.
        for pooled in [false, true] {
            try assertFails("lovasz-hinge", #"= -s_i"#, #"= s_i"#, pooled: pooled)
            try assertFails("lovasz-hinge", #"[e_i > 0]"#, #"[e_i < 0]"#, pooled: pooled)
            try assertFails("lovasz-hinge", #"\Delta(k_i - 1)"#, #"\Delta(k_i - 2)"#, pooled: pooled)
        }
    }

    /// The likelihood and embedding losses of torch.nn, whose gradient formulas hold on part of
    /// the input (a column, an active pair, one label): bound with `holds`.
    func testWrongTorchNNGradientFormulasFail() throws {
        try assertFails("gaussian-nll", span: 0, #"(\mu - y)/\sigma^2"#, #"(\mu - y)/\sigma"#)
        try assertFails("gaussian-nll", span: 1, #"1/\sigma^2 - (\mu - y)^2"#, #"1/\sigma^2 + (\mu - y)^2"#)
        try assertFails("margin-ranking", span: 0, "= -y", "= y")
        try assertFails("margin-ranking", span: 1, "_2 = y", "_2 = -y")
        try assertFails("hinge-embedding", span: 0, "= 1", "= 2")
        try assertFails("hinge-embedding", span: 1, #"-[x < \Delta]"#, #"-[x > \Delta]"#)
        try assertFails("poisson-nll", span: 1, #"y/(x+\varepsilon)"#, #"y/x"#)
        try assertFails("focal", span: 0, #"(1-2t)\,p(1-p)"#, #"(2t-1)\,p(1-p)"#)
        try assertFails("focal", span: 0, #"+ (1-p_t)^{\gamma}(p - t)"#, #"+ (p - t)"#)
        try assertFails("multi-margin", span: 1, #"p z^{p-1}/C"#, #"p z^{p}/C"#)
        try assertFails("multi-margin", span: 1, #"w_y\, p"#, #"p"#)
        try assertFails("cosine-embedding", #"- \cos(a, b)\, a/m_a"#, #"+ \cos(a, b)\, a/m_a"#)
        try assertFails("cosine-embedding", #"b/\sqrt{m_a m_b}"#, #"b/m_b"#)
        try assertFails("triplet-margin", #"\lvert r_k\rvert^{p-1}/d^{p-1}"#, #"\lvert r_k\rvert^{p}/d^{p-1}"#)
        try assertFails("triplet-margin", #"= \operatorname{sign}(r_k)"#, #"= -\operatorname{sign}(r_k)"#)
    }

    /// CTC's prose (`CatalogBindings.alignmentGradients`), γ the posterior of the alignments
    /// through (t, c): the sign of γ, the term e^x.
    func testWrongAlignmentGradientFormulaFails() throws {
        try assertFails("ctc", #"e^{x_{t,n,c}} - \gamma_{t,n,c}"#, #"e^{x_{t,n,c}} + \gamma_{t,n,c}"#)
        try assertFails("ctc", #"= e^{x_{t,n,c}} - "#, #"= x_{t,n,c} - "#)
        try assertFails("ctc", #"- \gamma_{t,n,c}"#, #"- 2\gamma_{t,n,c}"#)
    }

    /// Chains through another loss (`∂L_pGD/∂L_GD` times generalised Dice's gradient): a wrong
    /// outer derivative fails against the library's gradient.
    func testWrongChainGradientFormulasFail() throws {
        try assertFails("penalty-generalized-dice", #"(1 + k)/(1 + k(1 - \mathcal{L}_{GD}))^2"#, #"(1 + k)/(1 + k(1 - \mathcal{L}_{GD}))"#)
        try assertFails("penalty-generalized-dice", #"= (1 + k)/"#, #"= 1/"#)
        try assertFails("log-hausdorff-dt", #"{1 + \mathcal{L}_{\text{HD-DT}}}"#, #"{1 + 2\mathcal{L}_{\text{HD-DT}}}"#)
    }

    /// The perceptual loss's gradient (`CatalogBindings.imageGradients`): its factor 2, the
    /// transpose (a correlation instead flips the Sobel filters' sign) and the weights.
    func testWrongPerceptualGradientFormulasFail() throws {
        try assertFails("perceptual", #"\frac{2}{CHW}"#, #"\frac{1}{CHW}"#)
        try assertFails("perceptual", #"\varphi_l^{\top}\!\left(\varphi_l(x - y)\right)"#, #"\varphi_l\!\left(\varphi_l(x - y)\right)"#)
        try assertFails("perceptual", #"\sum_l w_l \frac"#, #"\sum_l \frac"#)
    }

    /// SSIM's gradient through the transposed window: its factor, each map's term, and a span
    /// of the partials it reads by name (g_xx's −ls/D).
    func testWrongSSIMGradientFormulasFail() throws {
        try assertFails("ssim", #"-\tfrac{1}{C|\Omega'|}"#, #"-\tfrac{1}{|\Omega'|}"#)
        try assertFails("ssim", #"2x_j\,w^\top g_{xx}"#, #"x_j\,w^\top g_{xx}"#)
        try assertFails("ssim", #"y_j\,w^\top g_{xy}"#, #"x_j\,w^\top g_{xy}"#)
        try assertFails("ssim", #"w^\top g_\mu"#, #"w^\top g_{xy}"#)
        try assertFails("ssim", "= -ls/D", "= ls/D")
    }

    /// A gradient written at the ranks of an ordering, `\partial \ell/\partial x_{\pi_i}`, with the
    /// element `\pi_i`: element j is the formula at the rank i where π_i = j.
    func testAGradientAtTheRanksOfAnOrdering() throws {
        let atRanks = #"\frac{\partial \ell}{\partial x_{\pi_i}} = \frac{2}{n}\left(x_{\pi_i} - y_{\pi_i}\right), \qquad x_{\pi_1} \ge x_{\pi_2} \ge \cdots"#
        let value = FormulaBinding(loss: "l2", where: ["x_i": "input", "y_i": "target", "n": "size i"])
        let binding = GradientBinding(value, elements: #"\pi_i"#)
        XCTAssertEqual(binding.elements, [.init(index: "i", axis: "i", permutation: #"\pi"#)])
        let passing = try CatalogFormulas.checkGradient(binding, formulas: [atRanks])
        XCTAssertTrue(passing.allSatisfy(\.report.passed), "\(passing.compactMap(\.report.disagreement))")
        XCTAssertGreaterThan(passing.map(\.report.checked).reduce(0, +), 0)
        // Read at the position instead of the rank, or one symbol at the position: wrong on every random probe.
        let atPositions = try CatalogFormulas.checkGradient(GradientBinding(value, elements: "i"), formulas: [atRanks])
        XCTAssertTrue(atPositions.contains { !$0.report.passed })
        let mixed = try CatalogFormulas.checkGradient(binding, formulas: [atRanks.replacingOccurrences(of: "- y_{\\pi_i}", with: "- y_i")])
        XCTAssertTrue(mixed.contains { !$0.report.passed })
        // No ordering stated: an error that says how to state one.
        XCTAssertThrowsError(try CatalogFormulas.checkGradient(binding, formulas: [#"\frac{\partial \ell}{\partial x_{\pi_i}} = 2"#])) { error in
            XCTAssertTrue("\(error)".contains("names no ordering"), "\(error)")
        }
    }

    /// A TeX chain factor (`chain: = …`) multiplies the formula at each element: ∂ℓ/∂r times ∂r/∂x.
    func testATeXChainFactorMultipliesTheFormula() throws {
        let byResidual = #"\frac{\partial \ell}{\partial r_i} = \frac{2}{n}\, r_i"#
        let value = FormulaBinding(loss: "l2", formulas: [0], evaluate: nil,
                                   symbols: [("x_i", "input"), ("y_i", "target"), ("n", "size i"), ("r_i", "= x_i - y_i")],
                                   reduction: .none, settings: [[:]])
        let right = try CatalogFormulas.checkGradient(GradientBinding(value, elements: "i", chain: "= 1"), formulas: [byResidual])
        XCTAssertTrue(right.allSatisfy(\.report.passed), "\(right.compactMap(\.report.disagreement))")
        let wrong = try CatalogFormulas.checkGradient(GradientBinding(value, elements: "i", chain: "= -1"), formulas: [byResidual])
        XCTAssertTrue(wrong.contains { !$0.report.passed })
        let block = try FormulaBlock.parse("\(byResidual)\ncheck: l2\ngradient: i\nchain: = 1\nwhere:\n  x_i: input\n")
        XCTAssertEqual(block.gradient?.chain, "= 1")
        XCTAssertThrowsError(try FormulaBlock.parse("\(byResidual)\ncheck: l2\nchain: = 1\nwhere:\n  x_i: input\n"),
                             "chain: without gradient: is a mistake")
        XCTAssertThrowsError(try FormulaBlock.parse("\(byResidual)\ncheck: l2\ngradient: i\nchain: gradient of l1\nwhere:\n  x_i: input\n"),
                             "a note's chain: is TeX after '='")
    }

    /// A condition no element of any probe meets checks nothing: an error, not a pass.
    func testAConditionNoElementMeetsIsAnError() throws {
        var binding = try XCTUnwrap(CatalogBindings.gradients.first { $0.value.loss == "margin-ranking" })
        binding.holds = ["k = 3"]
        XCTAssertThrowsError(try CatalogFormulas.checkGradient(binding, formulas: try tex(binding, language: "en")))
    }

    func testTheGradientEquationMustHaveAPartialOnItsLeft() {
        let binding = GradientBinding(FormulaBinding(loss: "l2", where: ["x_i": "input", "y_i": "target"], reduction: "mean over i"), elements: "i")
        XCTAssertThrowsError(try CatalogFormulas.checkGradient(binding, formulas: ["g = 2(x - y)"]))
    }

    func testClipAndLeadingAxesFromTheScope() throws {
        let system = try FormulaSystem(formulas: [#"y = \operatorname{clip}(5, -1, 2) + \operatorname{clip}(-5, -1, 2)"#])
        XCTAssertEqual(try Evaluator(system: system, values: [:]).evaluate(definition: "y"), 2 + -1)
        // q_k inside a formula over i reads q_{i,k}.
        let q = BoundValue.array(try BoundArray(axes: ["i", "c"], extents: [2, 2], values: [1, 2, 3, 4]))
        let sums = try FormulaSystem(formulas: [#"s_i = \sum_{k=1}^{2} q_k"#], axes: ["i", "c"])
        let evaluator = try Evaluator(system: sums, values: ["q": q])
        XCTAssertEqual(try evaluator.evaluate(definition: "s", scope: ["i": 2]), 3 + 4)
    }
}
