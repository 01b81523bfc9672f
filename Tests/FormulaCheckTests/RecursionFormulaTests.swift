@testable import FormulaCheck
import XCTest

/// Terms written at a subscript letter (`s_k = … s_{k-1} …`, `s_0 = …`, read as `s_K`) and
/// operators of a whole grid applied k times (`E^{k}(x)`): what clDice's skeleton formula is
/// written with. Expected values are computed by plain loops beside each formula.
final class RecursionFormulaTests: XCTestCase {
    func testATermAtASubscriptIsEvaluatedFromItsPredecessors() throws {
        let x = 0.3
        var terms = [x]
        for k in 1...4 { terms.append(2 * terms[k - 1] + Double(k) * 0.5) }
        let system = try FormulaSystem(formulas: [#"y = s_{K},\ s_0 = x,\ s_k = 2 s_{k-1} + d_k,\ d_k = \tfrac{k}{2}"#])
        for order in 0...4 {
            let evaluator = try Evaluator(system: system, values: ["x": .scalar(x), "K": .scalar(Double(order))])
            XCTAssertEqual(try evaluator.evaluate(definition: "y"), terms[order], accuracy: 1e-12, "K = \(order)")
        }
        // Read twice per step, each term is still computed once: 21 terms for s_{20}, not 2²⁰.
        let doubling = try FormulaSystem(formulas: [#"y = s_{20},\ s_0 = 1,\ s_k = s_{k-1} + s_{k-1}"#])
        let evaluator = try Evaluator(system: doubling, values: [:])
        XCTAssertEqual(try evaluator.evaluate(definition: "y"), pow(2, 20))
        XCTAssertEqual(evaluator.memo.computations["term s_{k}"], 20)
    }

    func testTermErrors() throws {
        let later = try Evaluator(system: try FormulaSystem(formulas: [#"y = s_{2},\ s_0 = 1,\ s_k = s_{k+1}"#]), values: [:])
        XCTAssertThrowsError(try later.evaluate(definition: "y")) { XCTAssertTrue("\($0)".contains("not an earlier one"), "\($0)") }
        let negative = try Evaluator(system: try FormulaSystem(formulas: [#"y = s_{K},\ s_0 = 1,\ s_k = s_{k-1}"#]), values: ["K": .scalar(-1)])
        XCTAssertThrowsError(try negative.evaluate(definition: "y")) { XCTAssertTrue("\($0)".contains("not a whole number ≥ 0"), "\($0)") }
        // A subscript that indexes an array is no order: d_g stays unbound beside d_p.
        let g = BoundValue.array(try BoundArray(axes: ["i"], extents: [2], values: [1, 0]))
        let array = try Evaluator(system: try FormulaSystem(formulas: [#"y_i = d_g,\ d_p = 2"#], axes: ["i"]), values: ["g": g])
        XCTAssertThrowsError(try array.evaluate(definition: "y", scope: ["i": 1])) { XCTAssertTrue("\($0)".contains("not bound"), "\($0)") }
    }

    /// A function indexed by an axis that reads itself at t − 1 (`\alpha_t(s)`, CTC's forward
    /// recursion), read at an expression subscript (`\alpha_{t-1}(s)`, `\alpha_{T}(…)`), starting
    /// from the function written at 0 (`\alpha_0(s) = …`); an Iverson bracket of two conditions.
    func testARecursionOverAnAxisFromItsFirstTerm() throws {
        let x: [Double] = [0.5, -1, 2, 0.25, 3, -0.5]   // over (t, c), 3 × 2
        // a_t(s) = x_{t,c(s)} + a_{t-1}(s) + [s > 1, s ≠ 3] a_{t-1}(s - 1), c(s) = 1 + (s mod 2); a_0(s) = s.
        func a(_ t: Int, _ s: Int) -> Double {
            guard t > 0 else { return Double(s) }
            return x[(t - 1) * 2 + (s % 2)] + a(t - 1, s) + (s > 1 && s != 3 ? a(t - 1, s - 1) : 0)
        }
        let system = try FormulaSystem(formulas: [
            #"a_t(s) = x_{t, 1 + s - 2\lfloor s/2 \rfloor} + a_{t-1}(s) + [s > 1,\ s \ne 3]\, a_{t-1}(s-1)"#,
            #"a_0(s) = s, \quad y = a_{T}(4) + a_{T-1}(3)"#], axes: ["t", "c", "s"])
        let values: [String: BoundValue] = ["x": .array(try BoundArray(axes: ["t", "c"], extents: [3, 2], values: x)),
                                            "q": .array(try BoundArray(axes: ["s"], extents: [4], values: [0, 0, 0, 0])),
                                            "T": .scalar(3)]
        XCTAssertEqual(try Evaluator(system: system, values: values).evaluate(definition: "y"), a(3, 4) + a(2, 3), accuracy: 1e-12)
    }

    /// `x_{t, k}` over (t, n, c) with n bound: t fills t, k the axis left (c), not n.
    func testASubscriptNamingALeadingAxisFillsIt() throws {
        let x = try BoundArray(axes: ["t", "n", "c"], extents: [2, 2, 3], values: (1...12).map(Double.init))
        let system = try FormulaSystem(formulas: [#"y = x_{t, k}"#], axes: ["t", "n", "c"])
        let evaluator = try Evaluator(system: system, values: ["x": .array(x), "k": .scalar(3)])
        // (t, n, c) = (2, 1, 3): row-major index (2−1)·6 + (1−1)·3 + 3 = 9.
        XCTAssertEqual(try evaluator.evaluate(definition: "y", scope: ["t": 2, "n": 1]), 9)
    }

    /// `E(x)` and `E^{k}(x)` for an operator E the binding gives over the grid i (here a cyclic
    /// shift by one position): E applied k times, E^0 the identity.
    func testAnOperatorAppliedKTimes() throws {
        let x: [Double] = [1, 2, 3, 4, 5]
        @Sendable func shifted(_ v: [Double], _ k: Int) -> [Double] { (0..<v.count).map { v[($0 + k) % v.count] } }
        let system = try FormulaSystem(formulas: [#"y_i = E^{k}(x) + 10 E(x),\ z_i = E^{k+1}(x)"#], axes: ["i"], operators: ["E"])
        var evaluator = try Evaluator(system: system, values: ["x": .array(try BoundArray(axes: ["i"], extents: [5], values: x))])
        evaluator.fieldFunctions = ["E": FieldFunction(axis: "i", count: 5) { shifted($0, 1) }]
        for k in 0...3 {
            for i in 1...5 {
                let scope: Evaluator.Scope = ["i": Double(i), "k": Double(k)]
                XCTAssertEqual(try evaluator.evaluate(definition: "y", scope: scope), shifted(x, k)[i - 1] + 10 * shifted(x, 1)[i - 1])
                XCTAssertEqual(try evaluator.evaluate(definition: "z", scope: scope), shifted(x, k + 1)[i - 1])
            }
        }
        XCTAssertThrowsError(try evaluator.evaluate(definition: "z", scope: ["i": 1, "k": -2])) {
            XCTAssertTrue("\($0)".contains("not a whole number ≥ 0 of times"), "\($0)")
        }
    }
}
