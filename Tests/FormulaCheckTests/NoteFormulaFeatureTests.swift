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

    /// `D_i^c = …` written in a formula whose keys use index superscripts (`s_i^c`) is indexed by
    /// i and c like them; without such keys, or with a name below (`L_{TopK}^{t}`), it is not.
    func testALeftSideInTheNotesNotationTakesIndexSuperscripts() throws {
        let formula = [#"L = \sum_{i,c} D_i^c s_i^c, \qquad D_i^c = 2 s_i^c"#]
        XCTAssertEqual(try FormulaChecker.definedIndexSuperscripts(formula, keyed: ["s"], macros: [:]), ["D"])
        XCTAssertEqual(try FormulaChecker.definedIndexSuperscripts(formula, keyed: [], macros: [:]), [])
        XCTAssertEqual(try FormulaChecker.definedIndexSuperscripts([#"L_{TopK}^{t} = 2 s_i^c"#], keyed: ["s"], macros: [:]), [])
        XCTAssertEqual(try FormulaChecker.definedIndexSuperscripts([#"\sigma_x^2 = 4"#], keyed: ["s"], macros: [:]), [])
        // Checked against a loss, the defined D_i^c is read at each (i, c); a D the formula neither
        // defines nor binds is the clear error "'D_{i}' is not bound".
        let body = """
        \\ell_i = -\\sum_{c=1}^{C} D_i^c g_i^c \\log s_i^c, \\qquad D_i^c = 1
        check: cross-entropy
        reduction: mean over i
        where:
          s_i^c: probability over i,c
          g_i^c: target one-hot over i,c
          C: size c
        """
        XCTAssertTrue(try NoteFormulaTests.check(body).passed)
        XCTAssertFalse(try NoteFormulaTests.check(body.replacingOccurrences(of: "D_i^c = 1", with: "D_i^c = 2")).passed)
        XCTAssertThrowsError(try NoteFormulaTests.check(body.replacingOccurrences(of: ", \\qquad D_i^c = 1", with: ""))) { error in
            XCTAssertTrue("\(error)".contains("'D_{i}' is not bound"), "\(error)")
        }
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
