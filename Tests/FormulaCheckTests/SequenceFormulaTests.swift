@testable import FormulaCheck
import Foundation
import LossFormulas
import XCTest

/// Sequences defined from their predecessor (`f^{(k)}`, `f \ominus_k B`), the extremes of a map
/// over its grid (`\min r`), and the Hausdorff erosion loss bound with them.
final class SequenceFormulaTests: XCTestCase {
    func testATermIsEvaluatedFromItsPredecessors() throws {
        let x = 0.3
        var expected = x
        for k in 1...5 { expected = 2 * expected + Double(k) }
        let system = try FormulaSystem(formulas: [#"a^{(k)} = 2 a^{(k-1)} + k, \quad a^{(0)} = x, \quad y = a^{(5)}, \quad z = a^{(0)}"#])
        let evaluator = try Evaluator(system: system, values: ["x": .scalar(x)])
        XCTAssertEqual(try evaluator.evaluate(definition: "y"), expected, accuracy: 1e-12)
        XCTAssertEqual(try evaluator.evaluate(definition: "z"), x)
        // The erosion notation names the same kind of sequence, the order a subscript.
        let erosions = try FormulaSystem(formulas: [#"f \ominus_k B = 2 (f \ominus_{k-1} B) + k, \quad f \ominus_0 B = x, \quad y = f \ominus_5 B"#])
        XCTAssertEqual(try Evaluator(system: erosions, values: ["x": .scalar(x)]).evaluate(definition: "y"), expected, accuracy: 1e-12)
    }

    /// A term read twice by the next is computed once per order: 21 terms, not 2²⁰ evaluations.
    func testEachTermIsComputedOnce() throws {
        let system = try FormulaSystem(formulas: [#"a^{(k)} = a^{(k-1)} + a^{(k-1)}, \quad a^{(0)} = 1, \quad y = a^{(20)}"#])
        let evaluator = try Evaluator(system: system, values: [:])
        XCTAssertEqual(try evaluator.evaluate(definition: "y"), pow(2, 20))
        XCTAssertEqual(evaluator.memo.computations["term a^{(·)}"], 21)
    }

    func testSequenceErrors() throws {
        XCTAssertThrowsError(try FormulaSystem(formulas: [#"a^{(k)} = a^{(k)} + 1, \quad a^{(0)} = 1"#])) {
            XCTAssertTrue("\($0)".contains("reads a term that is not an earlier one"), "\($0)")
        }
        let noStart = try Evaluator(system: try FormulaSystem(formulas: [#"a^{(k)} = a^{(k-1)} + 1, \quad y = a^{(2)}"#]), values: [:])
        XCTAssertThrowsError(try noStart.evaluate(definition: "y")) { XCTAssertTrue("\($0)".contains("has no term 0"), "\($0)") }
        let negative = try Evaluator(system: try FormulaSystem(formulas: [#"a^{(k)} = a^{(k-1)}, \quad a^{(0)} = 1, \quad y = a^{(-1)}"#]), values: [:])
        XCTAssertThrowsError(try negative.evaluate(definition: "y")) { XCTAssertTrue("\($0)".contains("not a whole number ≥ 0"), "\($0)") }
    }

    /// `\min r` and `\max r` of a map: over the one grid index in scope; with none, an error.
    func testGridExtremes() throws {
        let x: [Double] = [0.5, -2, 3, 0.25, 1, -0.5]
        let system = try FormulaSystem(formulas: [#"r_i = \frac{x - \min x}{\max x - \min x}, \quad s = \sum_i r_i, \quad t = \min x"#], axes: ["i"])
        let evaluator = try Evaluator(system: system, values: ["x": .array(try BoundArray(axes: ["i"], shape: [2, 3], values: x))])
        let (low, high) = (x.min()!, x.max()!)
        XCTAssertEqual(try evaluator.evaluate(definition: "s"), x.map { ($0 - low) / (high - low) }.reduce(0, +), accuracy: 1e-12)
        XCTAssertThrowsError(try evaluator.evaluate(definition: "t")) { XCTAssertTrue("\($0)".contains("no grid index is bound here"), "\($0)") }
    }

    func testHausdorffErosionFormulasAgree() throws {
        let binding = try XCTUnwrap(CatalogBindings.all.first { $0.loss == "hausdorff-er" })
        for outcome in try CatalogFormulas.check(binding) {
            XCTAssertNil(outcome.report.disagreement, "\(outcome.settings): \(outcome.report.disagreement.map { "\($0)" } ?? "")")
            XCTAssertGreaterThanOrEqual(outcome.report.checked, 5)
        }
    }

    /// boundary-losses.md's HD-ER block, the same in zh and en; a wrong threshold, a missing
    /// weight and a square root for the square fail.
    func testHausdorffErosionNoteFormula() throws {
        let block = try NoteFormulaTests.bilingualBlock(in: "boundary-losses.md", containing: #"L_{HD\text{-}ER}"#)
        let report = try NoteFormulaTests.check(block)
        XCTAssertNil(report.disagreement, report.disagreement.map(String.init(describing:)) ?? "")
        XCTAssertGreaterThan(report.checked, 0)
        for (from, to) in [(#"- \tfrac{1}{2}"#, #"- \tfrac{1}{4}"#), (#"k^{\alpha} \sum_{q"#, #"\sum_{q"#), (#"f^{(0)} = (p - g)^2"#, #"f^{(0)} = |p - g|"#)] {
            XCTAssertTrue(block.contains(from), from)
            XCTAssertFalse(try NoteFormulaTests.check(block.replacingOccurrences(of: from, with: to)).passed, "\(from) → \(to)")
        }
    }
}
