@testable import FormulaCheck
import Foundation
import LossFormulas
import Losses
import XCTest

/// Partials with respect to an intermediate quantity (`PartialChecker`): compared with a central
/// difference of the value formula written in that intermediate; a wrong one must fail.
final class PartialFormulaTests: XCTestCase {
    private static let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content")

    private func spans(_ binding: PartialBinding, language: String) throws -> [String] {
        let text = try String(contentsOf: Self.content.appendingPathComponent("\(language)/reference/\(binding.value.loss).md"), encoding: .utf8)
        let section = try XCTUnwrap(text.components(separatedBy: "\n## gradient\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        let all = section.components(separatedBy: "$").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        return binding.value.formulas.map { all[$0] }
    }

    func testEveryPartialAgreesInEveryLanguage() throws {
        XCTAssertGreaterThanOrEqual(CatalogBindings.partials.count, 5)
        for binding in CatalogBindings.partials {
            for language in ["zh", "en"] {
                for outcome in try CatalogFormulas.checkPartial(binding, spans: try spans(binding, language: language)) {
                    XCTAssertNil(outcome.report.disagreement, "\(binding.value.loss) ∂/∂\(binding.variable) (\(language)) \(outcome.settings)")
                    XCTAssertGreaterThan(outcome.report.checked, 3, binding.value.loss)
                }
            }
        }
    }

    /// The value formula a partial differentiates is one `CatalogBindings.all` checks against `Losses`.
    func testEveryDifferentiatedFormulaIsItselfChecked() {
        for binding in CatalogBindings.partials {
            for index in binding.definitions {
                XCTAssertTrue(CatalogBindings.all.contains { $0.loss == binding.value.loss && $0.formulas.contains(index) },
                              "\(binding.value.loss) #\(index) is differentiated but not checked")
            }
        }
    }

    private func assertFails(_ loss: String, variable: String, _ from: String, _ to: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let binding = try XCTUnwrap(CatalogBindings.partials.first { $0.value.loss == loss && $0.variable == variable }, file: file, line: line)
        var tex = try spans(binding, language: "en")
        let k = try XCTUnwrap(tex.firstIndex { $0.contains(#"\partial"#) && $0.contains(from) }, "'\(from)' is not in the partial",
                              file: file, line: line)
        tex[k] = tex[k].replacingOccurrences(of: from, with: to)
        let outcomes = try CatalogFormulas.checkPartial(binding, spans: tex)
        XCTAssertTrue(outcomes.contains { !$0.report.passed }, "\(loss) ∂/∂\(variable): '\(from)' → '\(to)' still passes", file: file, line: line)
    }

    func testWrongPartialsFail() throws {
        try assertFails("box-iou", variable: "I", "-(D + I)", "-(D - I)")
        try assertFails("hausdorff-er", variable: "p_{n,c,i}", "2(p - g)", "(p - g)")
        try assertFails("hausdorff-er", variable: "p_{n,c,i}", "2(p - g)", "2(g - p)")
        try assertFails("lovasz-softmax", variable: "p_{i,c}", #"= -\operatorname{sign}"#, #"= \operatorname{sign}"#)
        try assertFails("lovasz-softmax", variable: "p_{i,c}", "(g_i - p_i)", "(g_i - 2p_i)")
        try assertFails("box-iou", variable: "A", "I/D^2", "I/D")
        try assertFails("giou", variable: "I", "+ 1/E", "- 1/E")
        try assertFails("giou", variable: "A", "- 1/E", "+ 1/E")
        try assertFails("giou", variable: "C", "(U + \\epsilon)/E^2", "(U + \\epsilon)/E")
        try assertFails("ciou", variable: #"\theta"#, #"= -\frac{8}{\pi^2}"#, #"= \frac{8}{\pi^2}"#)
        try assertFails("ciou", variable: #"\theta"#, #"\frac{8}{\pi^2}"#, #"\frac{4}{\pi^2}"#)
        try assertFails("ciou", variable: "w", "= h/(w^2", "= w/(w^2")
        try assertFails("exp-log", variable: "D_{n,c}", #"^{\gamma-1}/D"#, #"^{\gamma-1}"#)
        try assertFails("exp-log", variable: "D_{n,c}", #"= -\gamma"#, #"= \gamma"#)
        try assertFails("ciou", variable: "h", "= -w/(w^2", "= w/(w^2")
        try assertFails("unified-focal", variable: "P_{n,c,i}", "(g_i - D(1", "(g_i + D(1")
        try assertFails("cldice", variable: "T_{prec}", #"-2T_{sens}(T_{sens} + \text{smooth})/D^2"#, #"-2T_{sens}(T_{sens} + \text{smooth})/D"#)
        try assertFails("cldice", variable: "T_{prec}", #"-2T_{sens}(T_{sens}"#, #"-2T_{sens}(T_{prec}"#)
        try assertFails("cldice", variable: "T_{sens}", #"= -2T_{prec}"#, #"= 2T_{prec}"#)
        try assertFails("cldice", variable: "T_{sens}", #"(T_{prec} + \text{smooth})/D^2"#, #"(T_{prec})/D^2"#)
        try assertFails("generalized-wasserstein-dice", variable: "W_i", #"1 - 2\alpha_{y_i}"#, #"1 - \alpha_{y_i}"#)
        try assertFails("generalized-wasserstein-dice", variable: "W_i", #"= 1 - 2\alpha"#, #"= 2\alpha"#)
        try assertFails("ssim", variable: #"\mu_x"#, #"2\mu_x l)/B"#, #"2\mu_x l)/D"#)
        try assertFails("ssim", variable: #"\mu_x"#, #"+ 2\mu_x s)/D"#, #"+ \mu_x s)/D"#)
        try assertFails("ssim", variable: #"w \star x^2"#, "= -ls/D", "= ls/D")
        try assertFails("ssim", variable: #"w \star x^2"#, "= -ls/D", "= -l/D")
        try assertFails("ssim", variable: #"w \star (x y)"#, "= 2l/D", "= l/D")
        try assertFails("ssim", variable: #"w \star (x y)"#, "= 2l/D", "= 2ls/D")
    }

    /// A toy loss, Σ_n a_n x_n² with the intermediate u = x² written out: the checker on its own.
    private struct Squares: CheckableLoss {
        let id = "squares"
        let parameterNames: [String] = []
        func parameter(_ name: String) -> [Double]? { nil }
        func probes() throws -> [Probe] {
            [Probe(label: "three", arrays: ["input": .init(shape: [3], values: [0.5, -2, 3]), "a": .init(shape: [3], values: [1, 2, -1])])]
        }
        func value(on probe: Probe) throws -> Double {
            zip(probe.arrays["input"]!.values, probe.arrays["a"]!.values).reduce(0) { $0 + $1.1 * $1.0 * $1.0 }
        }
    }

    private func toy(_ partial: String, variable: String = "u", elements: String = "i") throws -> FormulaChecker.Report {
        let binding = PartialBinding(FormulaBinding(loss: "squares", formulas: [0], where: ["x_i": "input", "a_i": "a"], reduction: "sum over i"),
                                     definitions: [0], variable: variable, elements: elements)
        return try PartialChecker.check(definitions: [#"\ell = a\, u, \quad u = x^2"#], spans: [partial], binding: binding, loss: Squares())
    }

    func testTheCheckerComparesWithTheCentralDifference() throws {
        let right = try toy(#"\partial \ell/\partial u = a"#)
        XCTAssertTrue(right.passed)
        XCTAssertEqual(right.checked, 1 + 3)
        let wrong = try toy(#"\partial \ell/\partial u = 2a"#)
        XCTAssertEqual(wrong.disagreement?.probe.label.contains("partial at (i=1)"), true, "\(String(describing: wrong.disagreement))")
        // By x instead, through u = x²: 2ax, not a.
        XCTAssertTrue(try toy(#"\partial \ell/\partial x = 2 a x"#, variable: "x").passed)
        XCTAssertFalse(try toy(#"\partial \ell/\partial x = a x"#, variable: "x").passed)
        // By an expression the formulas write (u's right side), given in its place.
        XCTAssertTrue(try toy(#"\partial \ell/\partial (x^2) = a"#, variable: "x^2").passed)
        XCTAssertFalse(try toy(#"\partial \ell/\partial (x^2) = 2a"#, variable: "x^2").passed)
    }

    func testTheCheckerExplainsWhatItCannotCheck() throws {
        XCTAssertThrowsError(try toy(#"\partial \ell/\partial u = a"#, elements: "k")) { error in
            XCTAssertTrue("\(error)".contains("index k is the axis of no bound array"), "\(error)")
        }
        XCTAssertThrowsError(try toy(#"\ell = a"#)) { error in
            XCTAssertTrue("\(error)".contains("derivative"), "\(error)")
        }
        XCTAssertThrowsError(try toy(#"\partial \ell/\partial u = a"#, variable: "u + x")) { error in
            XCTAssertTrue("\(error)".contains("written nowhere in the formulas"), "\(error)")
        }
    }

    /// `probes: hard`: one-hot probabilities with no (sample, class) empty in both, and a clear
    /// error for a loss that takes no region probabilities.
    func testHardMaskProbes() throws {
        let probes = try CatalogLoss(id: "iou", settings: ["activation": "none", "probes": "hard"]).probes()
        XCTAssertEqual(probes.count, 4)
        for probe in probes {
            let p = try XCTUnwrap(probe.arrays["probability"])
            XCTAssertTrue(p.values.allSatisfy { $0 == 0 || $0 == 1 })
            XCTAssertEqual(p.values.reduce(0, +), 12)
        }
        XCTAssertThrowsError(try CatalogLoss(id: "l2", settings: ["probes": "hard"]).probes()) { error in
            XCTAssertTrue("\(error)".contains("region"), "\(error)")
        }
        XCTAssertThrowsError(try CatalogLoss(id: "iou", settings: ["probes": "soft"]).probes())
    }

    /// iou #1 against the dice loss of the library: a wrong relation fails.
    func testTheIoUDiceRelationFailsWhenWrong() throws {
        let binding = try XCTUnwrap(CatalogBindings.all.first { $0.loss == "iou" && $0.formulas == [1] })
        XCTAssertTrue(try CatalogFormulas.check(binding).allSatisfy(\.report.passed))
        let tex = try Catalog.descriptor(for: "iou").formulas[1]
        let wrong = try CatalogFormulas.check(binding, formulas: [tex.replacingOccurrences(of: #"{2 - \mathrm{Dice}}"#, with: #"{2 + \mathrm{Dice}}"#)])
        XCTAssertTrue(wrong.contains { !$0.report.passed })
    }
}
