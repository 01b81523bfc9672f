import FormulaCheck
import LossFormulas
import XCTest

/// The note form of a binding: TeX lines, then `check:`, `where:`, `reduction:`, `params:`.
final class FormulaBlockTests: XCTestCase {
    let body = """
        \\ell_i = -\\sum_{c=1}^{C} \\alpha_c\\, t_{i,c}\\,(1 - p_{i,c})^{\\gamma}
          \\log p_{i,c}
        check: focal
        reduction: mean over i
        where:
          p_{i,c}: probability
          t_{i,c}: target one-hot
          \\alpha_c: alpha
          \\gamma: gamma
          C: size c
        params:
          gamma: 0.5

        """

    func testParsesTeXAndBinding() throws {
        let block = try FormulaBlock.parse(body)
        XCTAssertTrue(block.tex.hasPrefix(#"\ell_i = "#))
        XCTAssertTrue(block.tex.hasSuffix("\\log p_{i,c}\n"), block.tex)
        XCTAssertEqual(block.binding.loss, "focal")
        XCTAssertEqual(block.binding.reduction, .mean(["i"]))
        XCTAssertEqual(block.binding.symbols.map(\.symbol), ["p_{i,c}", "t_{i,c}", #"\alpha_c"#, #"\gamma"#, "C"])
        XCTAssertEqual(block.binding.symbols.map(\.source), ["probability", "target one-hot", "alpha", "gamma", "size c"])
        XCTAssertEqual(block.binding.settings, [["gamma": "0.5"]])
        XCTAssertEqual(FormulaBlock.lineAndColumn(of: block.keyOffsets["where"]!, in: body).line, 4)
    }

    func testParsedBlockAgreesWithTheLibrary() throws {
        let block = try FormulaBlock.parse(body)
        let loss = try CatalogLoss(id: "focal", settings: block.binding.settings[0])
        let report = try FormulaChecker.check(formula: [block.tex], binding: block.binding, loss: loss)
        XCTAssertTrue(report.passed, "\(report.disagreement.map(String.init(describing:)) ?? "")")
        let wrong = try FormulaBlock.parse(body.replacingOccurrences(of: "^{\\gamma}", with: "^{2\\gamma}"))
        XCTAssertFalse(try FormulaChecker.check(formula: [wrong.tex], binding: wrong.binding, loss: loss).passed)
    }

    /// A block that defines no loss says so, with a reason, instead of binding one.
    func testNotationBlock() throws {
        let body = "D_f(p) = \\min_{q} \\left( h^2 (p - q)^2 + f(q) \\right)\nnotation: a step of the distance transform, not a loss\n"
        let block = try XCTUnwrap(try NotationBlock.parse(body))
        XCTAssertEqual(block.kind, .notation)
        XCTAssertEqual(block.reason, "a step of the distance transform, not a loss")
        XCTAssertTrue(block.tex.hasPrefix("D_f(p) = "), block.tex)
        XCTAssertFalse(block.tex.contains("notation"), block.tex)
        XCTAssertEqual(try NotationBlock.parse("x = 1\npaper: Ma et al.'s form\n")?.kind, .paper)
        XCTAssertNil(try NotationBlock.parse(self.body), "a checked block is not a notation block")
        func error(_ text: String) -> FormulaError? {
            do { _ = try NotationBlock.parse(text); return nil } catch let e as FormulaError { return e } catch { return nil }
        }
        let noReason = try XCTUnwrap(error("x = 1\nnotation:\n"))
        XCTAssertTrue(noReason.message.contains("needs a reason"), noReason.message)
        XCTAssertEqual(noReason.offset, 6)
        let both = try XCTUnwrap(error("x = 1\ncheck: l1\nnotation: none\n"))
        XCTAssertTrue(both.message.contains("'check:'"), both.message)
        XCTAssertEqual(both.offset, 6)
        XCTAssertNotNil(error("notation: no TeX\n"))
        XCTAssertNotNil(error("x = 1\nnotation: one\nx = 2\n"), "TeX after the reason")
    }

    func testErrorsCarryOffsetsInTheBody() throws {
        func error(_ text: String) -> FormulaError? {
            do { _ = try FormulaBlock.parse(text); return nil } catch let e as FormulaError { return e } catch { return nil }
        }
        let noCheck = error("x = 1\nwhere:\n  x: input\n")
        XCTAssertNotNil(noCheck)
        let unknown = try XCTUnwrap(error("x = 1\ncheck: l1\nwhere:\n  x: input\ncolour: red\n"))
        XCTAssertEqual(FormulaBlock.lineAndColumn(of: unknown.offset!, in: "x = 1\ncheck: l1\nwhere:\n  x: input\ncolour: red\n").line, 4)
        XCTAssertTrue(unknown.message.contains("unknown key 'colour'"), unknown.message)
        let flow = try XCTUnwrap(error("x = 1\ncheck: l1\nwhere: {x: input}\n"))
        XCTAssertTrue(flow.message.contains("indented"), flow.message)
        let badReduction = "x = 1\ncheck: l1\nreduction: average\nwhere:\n  x: input\n"
        let reduction = try XCTUnwrap(error(badReduction))
        // At the start of the `reduction:` line, in characters.
        let reductionLine = try XCTUnwrap(badReduction.range(of: "reduction:"))
        XCTAssertEqual(reduction.offset, badReduction.distance(from: badReduction.startIndex, to: reductionLine.lowerBound))
        XCTAssertNotNil(error("check: l1\nwhere:\n  x: input\n"), "no TeX")
    }
}
