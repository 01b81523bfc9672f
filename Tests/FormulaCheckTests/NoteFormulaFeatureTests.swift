@testable import FormulaCheck
import XCTest

/// Two readings the notes' formulas need: a letter superscript on a left side's name is a label
/// (`L_{TopK}^{t} = …` defines `L_{TopK}`), and a note's gradient formula says where it holds
/// (`holds:`).
final class NoteFormulaFeatureTests: XCTestCase {
    func testLetterSuperscriptOnTheLeftSideIsALabel() throws {
        let system = try FormulaSystem(formulas: [#"L_{TopK}^{t} = 2 x"#], axes: ["i"])
        XCTAssertNotNil(system.definitions["L_{TopK}"])
        XCTAssertEqual(system.mainName, "L_{TopK}")
        // A power stays a power, an axis stays an index, a name without a subscript is not labelled.
        XCTAssertNotNil(try FormulaSystem(formulas: [#"\sigma_x^2 = 4"#]).definitions[#"\sigma_{x}"#])
        XCTAssertNil(try? FormulaSystem(formulas: [#"D_i^c = 2 x"#], axes: ["i", "c"]).definitions["D_{i}"])
        XCTAssertNil(try? FormulaSystem(formulas: [#"e^{x} = 2 x"#]).definitions["e"])
    }

    func testHoldsRestrictsANoteGradientFormula() throws {
        let body = """
        \\frac{\\partial \\ell}{\\partial x_i} = 1/x_i
        check: l2
        gradient: i
        holds: 0 < x_i \\text{ and } x_i < 1
        where:
          x_i: input
        """
        let block = try FormulaBlock.parse(body)
        XCTAssertEqual(block.gradient?.holds, [#"0 < x_i \text{ and } x_i < 1"#])
        XCTAssertThrowsError(try FormulaBlock.parse(body.replacingOccurrences(of: "gradient: i\n", with: "")),
                             "holds: without gradient: is a mistake")
    }
}
