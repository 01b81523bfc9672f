@testable import FormulaCheck
import XCTest

final class EvaluatorTests: XCTestCase {
    private func value(_ tex: String, _ values: [String: BoundValue] = [:], name: String? = nil,
                       macros: [String: String] = [:], axes: Set<String> = []) throws -> Double {
        let system = try FormulaSystem(formulas: ["y = " + tex], macros: macros, axes: axes)
        return try Evaluator(system: system, values: values).evaluate(definition: name ?? "y")
    }

    func testArithmeticFractionsAndPowers() throws {
        XCTAssertEqual(try value(#"\frac{1}{2} + 2\cdot 3^{2} - \tfrac{3}{4}"#), 0.5 + 18 - 0.75)
        XCTAssertEqual(try value(#"\left(1 - \dfrac{1}{4}\right)^{2}"#), 0.5625)
        XCTAssertEqual(try value(#"-2^2"#), -4)
        // TeX's unbraced fraction arguments are one digit each; other digit runs stay numbers.
        XCTAssertEqual(try value(#"\frac12 + \tfrac34 + \dfrac1{8} + 12"#), 0.5 + 0.75 + 0.125 + 12)
        XCTAssertEqual(try value(#"\log e + \ln 1 + \exp(0) + |-3| + \max(1, 4) + \min(2, -1)"#), 1 + 0 + 1 + 3 + 4 - 1)
        XCTAssertEqual(try value(#"\sigma(0) + \operatorname{softplus}(0)"#), 0.5 + log(2), accuracy: 1e-15)
    }

    /// A command defined as a function of vectors (`\cos(a, b)`) is a call; called with the
    /// arrays of its parameters' names, its body reads them over their free axis.
    func testAFunctionOfVectors() throws {
        let a = BoundValue.array(try BoundArray(axes: ["n", "d"], extents: [2, 2], values: [1, 0, 3, 4]))
        let b = BoundValue.array(try BoundArray(axes: ["n", "d"], extents: [2, 2], values: [0, 1, 3, 4]))
        let system = try FormulaSystem(formulas: [#"y_n = 1 - \cos(a, b), \qquad \cos(a, b) = \frac{\sum_d a_d b_d}{\sqrt{\sum_d a_d^2 \sum_d b_d^2}}"#],
                                       axes: ["n", "d"])
        let evaluator = try Evaluator(system: system, values: ["a": a, "b": b])
        XCTAssertEqual(try evaluator.evaluate(definition: "y", scope: ["n": 1]), 1, accuracy: 1e-15)
        XCTAssertEqual(try evaluator.evaluate(definition: "y", scope: ["n": 2]), 0, accuracy: 1e-15)
    }

    /// Called with arrays of other names (`d(a, q)` for `d(u, v)`), its body reads those arrays
    /// where it writes its parameters, subscripts kept (`u_k` as `a_k`); a number still passes by value.
    func testAFunctionOfVectorsCalledWithOtherArrays() throws {
        let a = BoundValue.array(try BoundArray(axes: ["t", "k"], extents: [2, 2], values: [0, 0, 1, 1]))
        let q = BoundValue.array(try BoundArray(axes: ["t", "k"], extents: [2, 2], values: [3, 4, 1, 2]))
        let n = BoundValue.array(try BoundArray(axes: ["t", "k"], extents: [2, 2], values: [1, 0, 1, 1]))
        let system = try FormulaSystem(formulas: [#"y_t = d(a, q) - d(a, n) + s(2), \qquad d(u, v) = \sqrt{\sum_k (u_k - v_k)^2}, \qquad s(x) = x^2"#],
                                       axes: ["t", "k"])
        let evaluator = try Evaluator(system: system, values: ["a": a, "q": q, "n": n])
        XCTAssertEqual(try evaluator.evaluate(definition: "y", scope: ["t": 1]), 5 - 1 + 4, accuracy: 1e-15)
        XCTAssertEqual(try evaluator.evaluate(definition: "y", scope: ["t": 2]), 1 - 0 + 4, accuracy: 1e-15)
    }

    func testSumsProductsAndIndexSets() throws {
        let x = BoundValue.array(try BoundArray(axes: ["i"], extents: [3], values: [1, 2, 3]))
        XCTAssertEqual(try value(#"\sum_{i=1}^{n} x_i^2"#, ["x": x, "n": .scalar(3)]), 14)
        XCTAssertEqual(try value(#"\sum_i x_i"#, ["x": x]), 6)
        XCTAssertEqual(try value(#"\prod_{k=1}^{4} k"#), 24)
        XCTAssertEqual(try value(#"\sum_{i:\, x_i > 1} x_i"#, ["x": x]), 5)
        XCTAssertEqual(try value(#"\lVert x \rVert_1 + \lVert x \rVert_2^2"#, ["x": x]), 6 + 14, accuracy: 1e-12)
        let p = BoundValue.array(try BoundArray(axes: ["n", "i"], extents: [2, 2], values: [1, 2, 3, 4]))
        // p_i inside a sum over n takes n from the scope.
        XCTAssertEqual(try value(#"\sum_{n} \sum_i p_i"#, ["p": p]), 10)
        XCTAssertEqual(try value(#"\sum_{n,i} p_{n,i}"#, ["p": p]), 10)
    }

    func testBigMaxAndMinWithLimitsAndConditions() throws {
        let x = BoundValue.array(try BoundArray(axes: ["i"], extents: [3], values: [1, 0, 4]))
        XCTAssertEqual(try value(#"\max_{k=1}^{3} (2 - k)^2"#), [1.0, 0, 1].max())
        XCTAssertEqual(try value(#"\min_i x_i + \max_i x_i"#, ["x": x]), 0 + 4)
        // The Iverson bracket's 0 times 1/0 = ∞ is 0: the largest weight of the non-empty entries.
        XCTAssertEqual(try value(#"\max_{k=1}^{3} [x_k > 0]\, x_k^{-2}"#, ["x": x]), 1)
        XCTAssertEqual(try value(#"\max_{i:\, x_i < 4} x_i"#, ["x": x]), 1)
        // \max( … ) with arguments stays the function.
        XCTAssertEqual(try value(#"\max(0, 1 - 3)"#), 0)
    }

    func testIndicatorsCasesAndDefinitions() throws {
        let y = BoundValue.array(try BoundArray(axes: ["i"], extents: [2], values: [2, 1]))
        XCTAssertEqual(try value(#"\sum_i \sum_{c=1}^{3} c\,[c = y_i]"#, ["y": y]), 3)
        XCTAssertEqual(try value(#"\mathbb{1}[2 > 1] + \mathbb{1}_{1 \ge 2}"#), 1)
        let cases = #"\begin{cases} x^2 & \text{if } x < 1 \\[4pt] 2x & \text{otherwise} \end{cases}"#
        XCTAssertEqual(try value(cases, ["x": .scalar(0.5)]), 0.25)
        XCTAssertEqual(try value(cases, ["x": .scalar(3)]), 6)
        let system = try FormulaSystem(formulas: [#"\mathcal{L} = TP + \mathrm{f}(2, 3), \qquad TP = 10, \quad \mathrm{f}(a, b) = a b"#])
        XCTAssertEqual(try Evaluator(system: system, values: [:]).evaluate(definition: #"\mathcal{L}"#), 16)
        XCTAssertEqual(try value(#"\R + 1"#, macros: [#"\R"#: "41"]), 42)
    }

    func testZeroTimesLogZeroIsZero() throws {
        XCTAssertEqual(try value(#"0 \log 0"#), 0)
        XCTAssertTrue(try value(#"\log 0"#).isInfinite)
    }

    func testErrorsCarryTheOffsetAndAHint() {
        XCTAssertThrowsError(try value(#"1 + \operatorname{foo}(x)"#)) { error in
            let e = error as! FormulaError
            XCTAssertEqual(e.message, #"cannot evaluate '\operatorname{foo}'"#)
            XCTAssertEqual(e.offset, 8) // "y = 1 + " precedes it
            XCTAssertNotNil(e.hint)
        }
        XCTAssertThrowsError(try value(#"2 q"#)) { error in
            XCTAssertEqual((error as! FormulaError).message, "'q' is not bound")
            XCTAssertEqual((error as! FormulaError).offset, 6)
        }
        XCTAssertThrowsError(try value(#"\frac{1}{2"#))
        XCTAssertThrowsError(try value(#"\sum_k k"#)) { error in
            XCTAssertEqual((error as! FormulaError).message, "cannot tell the range of k")
        }
    }
}
