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
}
