import FormulaCheck
import LossFormulas
import Losses
import XCTest

final class CatalogFormulaTests: XCTestCase {
    func testEveryBoundCatalogFormulaAgreesWithTheLibrary() throws {
        for binding in CatalogBindings.all {
            for outcome in try CatalogFormulas.check(binding) {
                XCTAssertTrue(outcome.report.passed, "\(binding.loss) \(binding.formulas) \(outcome.settings): "
                              + "\(outcome.report.disagreement.map(String.init(describing:)) ?? "")")
                XCTAssertGreaterThan(outcome.report.checked, 3)
            }
        }
    }

    /// A formula marked as a paper's form names an existing formula, gives a reason, and is not
    /// also bound (it cannot be both the paper's and the code's definition).
    func testPaperFormsNameUnboundFormulas() throws {
        XCTAssertFalse(CatalogBindings.paperForms.isEmpty)
        for paper in CatalogBindings.paperForms {
            XCTAssertTrue(try Catalog.descriptor(for: paper.loss).formulas.indices.contains(paper.formula), "\(paper.loss) #\(paper.formula)")
            XCTAssertFalse(paper.reason.isEmpty)
            XCTAssertFalse(CatalogBindings.all.contains { $0.loss == paper.loss && $0.formulas.contains(paper.formula) },
                           "\(paper.loss) #\(paper.formula) is marked as a paper form and bound")
        }
    }

    /// The descriptors' gradient formulas (`\nabla_w R = …`) against the library's gradient; a wrong one fails.
    func testDescriptorGradientFormulasAgreeAndAMutationFails() throws {
        XCTAssertFalse(CatalogBindings.formulaGradients.isEmpty)
        for binding in CatalogBindings.formulaGradients {
            for outcome in try CatalogFormulas.checkDescriptorGradient(binding) {
                XCTAssertNil(outcome.report.disagreement, "\(binding.value.loss) \(outcome.settings)")
                XCTAssertGreaterThan(outcome.report.checked, 3)
            }
        }
        let l2 = try XCTUnwrap(CatalogBindings.formulaGradients.first { $0.value.loss == "l2-regularization" })
        let tex = try Catalog.descriptor(for: "l2-regularization").formulas[1]
        XCTAssertTrue(tex.contains(#"\lambda\, w"#))
        let mutated = try CatalogFormulas.checkDescriptorGradient(l2, formulas: [tex.replacingOccurrences(of: #"\lambda\, w"#, with: #"2\lambda\, w"#)])
        XCTAssertTrue(mutated.contains { !$0.report.passed })
    }
}
