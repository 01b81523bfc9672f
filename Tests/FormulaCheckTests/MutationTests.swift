import FormulaCheck
import LossFormulas
import Losses
import XCTest

/// A wrong formula must fail the check: a flipped sign, a changed exponent, a missing factor.
final class MutationTests: XCTestCase {
    private func mutated(_ loss: String, formula index: Int = 0, _ from: String, _ to: String,
                         file: StaticString = #filePath, line: UInt = #line) throws -> [CatalogFormulas.Outcome] {
        let binding = try XCTUnwrap(CatalogBindings.all.first { $0.loss == loss && $0.formulas.contains(index) })
        var tex = try binding.formulas.map { try Catalog.descriptor(for: loss).formulas[$0] }
        let k = try XCTUnwrap(binding.formulas.firstIndex(of: index))
        XCTAssertTrue(tex[k].contains(from), "'\(from)' is not in \(loss)'s formula", file: file, line: line)
        tex[k] = tex[k].replacingOccurrences(of: from, with: to)
        return try CatalogFormulas.check(binding, formulas: tex)
    }

    private func assertFails(_ loss: String, formula index: Int = 0, _ from: String, _ to: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let outcomes = try mutated(loss, formula: index, from, to, file: file, line: line)
        XCTAssertTrue(outcomes.contains { !$0.report.passed }, "\(loss): '\(from)' → '\(to)' still passes", file: file, line: line)
        if let d = outcomes.compactMap(\.report.disagreement).first {
            print("mutation \(loss) '\(from)' → '\(to)': \(d)")
        }
    }

    /// The segmentation families' bindings (`CatalogBindings.segmentation`) fail when their formula is wrong.
    func testSegmentationMutations() throws {
        try assertFails("generalized-dice", formula: 1, #"\begin{cases} G_c^{-e}"#, #"\begin{cases} G_c^{e}"#)
        try assertFails("generalized-dice", formula: 1, #"[G_j > 0]\, G_j^{-e}"#, #"G_j^{-e}"#)
        try assertFails("focal-tversky", #"^{1/\gamma}"#, #"^{\gamma}"#)
        try assertFails("focal-tversky", formula: 1, #"FN = \sum_i (1 - p_i)\, g_i"#, #"FN = \sum_i (1 + p_i)\, g_i"#)
        try assertFails("penalty-generalized-dice", #"{1 + k\,(1 - "#, #"{1 - k\,(1 - "#)
        try assertFails("dice-ce", #"w_c\left(1 - "#, #"\left(1 - "#)
        try assertFails("dice-ce", #"-w_{y_{n,i}}\log"#, #"-w_{y_{n,i}}^2\log"#)
        try assertFails("combo", #"\alpha \left(-\frac{1}{NC|\Omega|}"#, #"\alpha \left(\frac{1}{NC|\Omega|}"#)
        try assertFails("dice-focal", #"(1 - p_t)^{\gamma}"#, #"(1 - p_t)"#)
        try assertFails("generalized-dice-focal", formula: 2, #"[G_j > 0]\, G_j^{-e}"#, #"[G_j > 0]\, G_j^{e}"#)
        try assertFails("exp-log", formula: 1, #"\max\left(0,\ -\ln"#, #"\max\left(0,\ \ln"#)
        try assertFails("exp-log", formula: 2, #"w_{y_{n,i}}\left("#, #"\left("#)
        try assertFails("masked-dice", #"\sum_i m_{n,i}\, g_{n,c,i} + s_{dr}"#, #"\sum_i g_{n,c,i} + s_{dr}"#)
        try assertFails("unified-focal", formula: 1, #"(1 - P_{n,1,i})^{\gamma}"#, #"(1 - P_{n,1,i})"#)
        try assertFails("unified-focal", formula: 2, #"(1 - D_{n,2})^{1-\gamma}"#, #"(1 - D_{n,2})^{1+\gamma}"#)
    }

    func testSignMutations() throws {
        try assertFails("l2", "(x - y)^2", "(x + y)^2")
        try assertFails("binary-cross-entropy", "(1 - y)", "(1 + y)")
        try assertFails("iou", #"- \sum_i p_i g_i"#, #"+ \sum_i p_i g_i"#)
        try assertFails("cross-entropy", #"\ell_i = -\sum"#, #"\ell_i = \sum"#)
    }

    func testExponentMutations() throws {
        try assertFails("focal", formula: 1, #"^{\gamma}"#, #"^{2\gamma}"#)
        try assertFails("smooth-l1", "(x-y)^2", "(x-y)^3")
        try assertFails("l1", formula: 1, #"|x_i - y_i|"#, #"|x_i - y_i|^2"#)
    }

    func testMissingFactorMutations() throws {
        try assertFails("dice", #"\frac{2\sum_i"#, #"\frac{\sum_i"#)
        try assertFails("huber", #"\delta\left("#, #"\left("#)
        try assertFails("tversky", #"\alpha\, FP"#, "FP")
        try assertFails("focal", formula: 1, #"\alpha_c\, "#, "")
    }

    /// The margin, regulariser and region bindings added for coverage fail when their formula is wrong.
    func testMarginRegulariserAndRegionMutations() throws {
        try assertFails("hinge", "1 - y f", "1 + y f")
        try assertFails("soft-margin", "e^{-y f}", "e^{y f}")
        try assertFails("l2-regularization", #"\frac{\lambda}{2}"#, #"\lambda"#)
        try assertFails("l1-regularization", #"\lambda \sum_i |w_i|"#, #"\lambda \sum_i w_i"#)
        try assertFails("sensitivity-specificity", "(1 - r)", "(1 + r)")
        try assertFails("asymmetric", #"\beta^2 \sum_i (1-p_i)"#, #"\beta \sum_i (1-p_i)"#)
        try assertFails("log-cosh", #"\log\cosh(x - y)"#, #"\cosh(x - y)"#)
    }
}
