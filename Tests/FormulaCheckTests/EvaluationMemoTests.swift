@testable import FormulaCheck
import XCTest

/// An evaluator reuses what it computed only where the result cannot differ (`EvaluationMemo`):
/// a definition reading no index from outside is computed once, one that fills an index from its
/// context is computed again for every value of that index.
final class EvaluationMemoTests: XCTestCase {
    private let x = BoundValue.array(try! BoundArray(axes: ["n", "i"], extents: [2, 3], values: [1, 2, 3, 10, 20, 30]))

    /// `A = \sum_i x_i` writes no n, yet reads it: `x_i` takes n from the scope it is evaluated
    /// in. Kept after n = 1, it must not answer for n = 2.
    func testAnIndexFilledFromTheScopeKeysTheKeptValue() throws {
        let system = try FormulaSystem(formulas: [#"y_n = A, \qquad A = \sum_i x_i"#], axes: ["n", "i"])
        let evaluator = try Evaluator(system: system, values: ["x": x])
        for n in [1.0, 2, 1, 2] {
            XCTAssertEqual(try evaluator.evaluate(definition: "y", scope: ["n": n]), n == 1 ? 6 : 60, "n = \(n)")
        }
        XCTAssertEqual(evaluator.memo.computations[#"definition A"#], 2)
    }

    /// A mean over the whole array read at every element, as a gradient formula reads its loss:
    /// computed once, whatever element (n, i) asks.
    func testAnIndexFreeDefinitionIsComputedOnce() throws {
        let system = try FormulaSystem(formulas: [#"z_{n,i} = x_{n,i} \cdot M, \qquad M = \frac{1}{6}\sum_{n}\sum_{i} x_{n,i}"#],
                                       axes: ["n", "i"])
        let evaluator = try Evaluator(system: system, values: ["x": x])
        let values: [Double] = [1, 2, 3, 10, 20, 30]
        for n in 1...2 {
            for i in 1...3 {
                XCTAssertEqual(try evaluator.evaluate(definition: "z", scope: ["n": Double(n), "i": Double(i)]),
                               values[(n - 1) * 3 + i - 1] * 11, accuracy: 1e-12)
            }
        }
        XCTAssertEqual(evaluator.memo.computations[#"definition M"#], 1)
    }

    /// A map over the grid whose argument reads n from the scope is one map per n; inside a
    /// definition kept per n (`D`), the dependency is passed on to it from the kept map.
    func testAMaskMapIsKeptPerValueOfWhatItsArgumentReads() throws {
        let reversal = FieldFunction(axis: "i", count: 3) { Array($0.reversed()) }
        let system = try FormulaSystem(formulas: [#"y_n = D, \qquad D = \sum_i i\, \operatorname{edt}(x)"#], axes: ["n", "i"])
        var evaluator = try Evaluator(system: system, values: ["x": x])
        evaluator.fieldFunctions = [FieldFunction.edt: reversal]
        for n in [1.0, 2, 2, 1] {
            let row = n == 1 ? [1.0, 2, 3] : [10, 20, 30]
            XCTAssertEqual(try evaluator.evaluate(definition: "y", scope: ["n": n]), 1 * row[2] + 2 * row[1] + 3 * row[0], "n = \(n)")
        }
        XCTAssertEqual(evaluator.memo.computations[#"definition D"#], 2)
        XCTAssertEqual(evaluator.memo.computations[#"\operatorname{edt} over i"#], 2)
    }

    /// New bound values start a new memo: nothing computed on the old ones is reused.
    func testChangedValuesAreNotServedFromTheMemo() throws {
        let system = try FormulaSystem(formulas: [#"y = \sum_i x_i"#], axes: ["i"])
        var evaluator = try Evaluator(system: system, values: ["x": .array(try BoundArray(axes: ["i"], extents: [2], values: [1, 2]))])
        XCTAssertEqual(try evaluator.evaluate(.symbol(SymbolReference(base: "y", offset: 0)), scope: [:]), 3)
        evaluator.values["x"] = .array(try BoundArray(axes: ["i"], extents: [2], values: [5, 7]))
        XCTAssertEqual(try evaluator.evaluate(.symbol(SymbolReference(base: "y", offset: 0)), scope: [:]), 12)
    }
}
