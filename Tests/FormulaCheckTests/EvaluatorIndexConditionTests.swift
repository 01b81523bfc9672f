@testable import FormulaCheck
import XCTest

/// Sums over `i ≠ y`, over a set's members and the rest, stacked pairs read by their first
/// index, parameters written as words, conventions stated with `:=`, and `D(P \| Q)`.
final class EvaluatorIndexConditionTests: XCTestCase {
    private func value(_ formulas: [String], _ values: [String: BoundValue] = [:], name: String = "y",
                       axes: Set<String> = [], names: Set<String> = [], scope: Evaluator.Scope = [:]) throws -> Double {
        let system = try FormulaSystem(formulas: formulas, axes: axes, names: names)
        return try Evaluator(system: system, values: values).evaluate(definition: name, scope: scope)
    }

    func testSumsOverAllButOneIndex() throws {
        let x = BoundValue.array(try BoundArray(axes: ["i"], extents: [3], values: [1, 2, 4]))
        XCTAssertEqual(try value([#"y = \sum_{i \ne 2} x_i"#], ["x": x]), 1 + 4)
        XCTAssertEqual(try value([#"y = \sum_{i \neq k} x_i"#], ["x": x, "k": .scalar(3)]), 1 + 2)
    }

    func testSumsOverASetAndItsComplement() throws {
        // Y_1 = {1, 3}, Y_2 = {2}, as a 0/1 indicator over (n, c).
        let set = BoundValue.array(try BoundArray(axes: ["n", "c"], extents: [2, 3], values: [1, 0, 1, 0, 1, 0]))
        let x = BoundValue.array(try BoundArray(axes: ["n", "c"], extents: [2, 3], values: [1, 2, 4, 8, 16, 32]))
        let values = ["Y": set, "x": x]
        XCTAssertEqual(try value([#"y = \sum_{j \in Y_n} x_{n,j}"#], values, scope: ["n": 1]), 1 + 4)
        XCTAssertEqual(try value([#"y = \sum_{j \notin Y_n} x_{n,j}"#], values, scope: ["n": 2]), 8 + 32)
        XCTAssertEqual(try value([#"y = \sum_{j \in Y_n} \sum_{i \notin Y_n} (x_{n,j} - x_{n,i})"#], values, scope: ["n": 1]), (1 - 2) + (4 - 2))
    }

    /// `\sum_{\pi \in \mathcal{F}^{-1}(v_n)}`: a Greek index over a preimage, bound as an indicator
    /// over (n, π), and an array read at that index (`\pi_t`, path π's entry at t). The expected
    /// sums are written out member by member.
    func testSumsOverAPreimageWithAGreekIndex() throws {
        // Three paths of two steps: (1, 2), (2, 2), (2, 1); F^{-1}(v_1) = {1, 3}, F^{-1}(v_2) = {2}.
        let paths = BoundValue.array(try BoundArray(axes: [#"\pi"#, "t"], extents: [3, 2], values: [1, 2, 2, 2, 2, 1]))
        let set = BoundValue.array(try BoundArray(axes: ["n", #"\pi"#], extents: [2, 3], values: [1, 0, 1, 0, 1, 0]))
        let w = BoundValue.array(try BoundArray(axes: ["t", "c"], extents: [2, 2], values: [3, 5, 7, 11]))
        let values = [#"\pi"#: paths, #"\mathcal{F}^{-1}"#: set, "w": w]
        let formula = #"y = \sum_{\pi \in \mathcal{F}^{-1}(v_n)} \prod_{t=1}^{2} w_{t,\pi_t}"#
        XCTAssertEqual(try value([formula], values, axes: ["n"], scope: ["n": 1]), 3 * 11 + 5 * 7)
        XCTAssertEqual(try value([formula], values, axes: ["n"], scope: ["n": 2]), 5 * 11)
        // An exponent other than −1 is no preimage: the set must be one name.
        XCTAssertThrowsError(try value([formula.replacingOccurrences(of: "^{-1}", with: "^{2}")], values, scope: ["n": 1])) {
            XCTAssertTrue("\($0)".contains("a set written as one name"), "\($0)")
        }
    }

    /// `A \text{ and } B` in an indicator is both conditions (TopK's threshold form); `i \in K` in
    /// a `cases` condition is membership, and a bare `\lvert K \rvert` counts K's members even where
    /// i is bound (TopK's gradient at element i).
    func testConjunctionMembershipInCasesAndSetSizeUnderABoundIndex() throws {
        let x = BoundValue.array(try BoundArray(axes: ["i"], extents: [4], values: [1, 2, 4, 8]))
        XCTAssertEqual(try value([#"y = \sum_i \mathbf{1}\{x_i > 1 \text{ and } x_i < 8\} x_i"#], ["x": x]), 2 + 4)
        XCTAssertEqual(try value([#"y = \sum_i \mathbf{1}\{x_i > 1\} x_i"#], ["x": x]), 2 + 4 + 8)
        let gradient = [#"y = \begin{cases} x_i / \lvert K \rvert, & i \in K \\ 0, & i \notin K \end{cases}"#, #"K = \{ i : x_i > 1 \}"#]
        XCTAssertEqual(try value(gradient, ["x": x], scope: ["i": 2]), 2.0 / 3)
        XCTAssertEqual(try value(gradient, ["x": x], scope: ["i": 1]), 0)
    }

    func testAStackedPairReadsItsPartByTheLeadingIndex() throws {
        // x_{k,i}: x_1 inside a formula over i is x_{1,i}.
        let x = BoundValue.array(try BoundArray(axes: ["k", "i"], extents: [2, 3], values: [1, 2, 3, 10, 20, 30]))
        XCTAssertEqual(try value([#"y = \sum_i (x_2 - x_1)"#], ["x": x], axes: ["k", "i"]), 9 + 18 + 27)
        XCTAssertEqual(try value([#"y = x_1"#], ["x": x], axes: ["k", "i"], scope: ["i": 3]), 3)
    }

    func testAWordBoundAsAParameterIsASymbol() throws {
        XCTAssertEqual(try value([#"y = \max(0, \text{margin} - 1)"#], [#"\text{margin}"#: .scalar(3)], names: [#"\text{margin}"#]), 2)
        // Unbound, it is still an error that says where text belongs.
        XCTAssertThrowsError(try value([#"y = \text{margin}"#]))
    }

    func testConventionsAndDivergenceArguments() throws {
        // `0\log 0 := 0` states a convention and defines nothing.
        XCTAssertEqual(try value([#"y = 2, \quad 0\log 0 := 0"#]), 2)
        let system = try FormulaSystem(formulas: [#"D_{\mathrm{KL}}(P \,\|\, Q) = 1"#])
        XCTAssertEqual(system.definition(named: #"D_{\mathrm{KL}}"#)?.arguments, ["P", "Q"])
    }

    func testAnIdentityComparesBothSides() throws {
        let system = try FormulaSystem(formulas: [#"\log\cosh d = |d| + \log\!\left(1 + e^{-2|d|}\right) - \log 2"#])
        let identity = try XCTUnwrap(system.mainName.flatMap(system.definition(named:)))
        let evaluator = try Evaluator(system: system, values: ["d": .scalar(-3)])
        let right = try evaluator.evaluate(XCTUnwrap(identity.alternatives.first), scope: [:])
        XCTAssertEqual(try evaluator.evaluate(identity.body, scope: [:]), right, accuracy: 1e-12)
        // A left side that is neither a name nor an expression is still an error.
        XCTAssertThrowsError(try FormulaSystem(formulas: [#"x^ = 1"#]))
    }

    func testBoxNotation() throws {
        // [a]_+ is the positive part; x_2^g (with ^g bound) a label; ρ^2 = … defines ρ as the root.
        XCTAssertEqual(try value([#"y = [1 - 3]_+ + [2]_+"#]), 2)
        let x = BoundValue.array(try BoundArray(axes: ["k"], extents: [2], values: [1, 4]))
        let xg = BoundValue.array(try BoundArray(axes: ["k"], extents: [2], values: [2, 3]))
        XCTAssertEqual(try value([#"y = \min(x_2, x_2^g) - \max(x_1, x_1^g)"#], ["x": x, "x^{g}": xg], names: ["^g"]), 3 - 2)
        XCTAssertEqual(try value([#"y = \rho, \quad \rho^2 = 9"#]), 3)
        XCTAssertEqual(try value([#"y = \arctan 1 + \operatorname{sg}[2]"#]), Double.pi / 4 + 2, accuracy: 1e-15)
    }

    func testASetByItsConditionItsMembersAndItsSize() throws {
        let p = BoundValue.array(try BoundArray(axes: ["i"], extents: [4], values: [0.9, 0.2, 0.5, 0.1]))
        let values = ["p": p, "t": BoundValue.scalar(0.6)]
        let formula = #"L = \frac{1}{|\mathcal{H}|} \sum_{i \in \mathcal{H}} p_i, \qquad \mathcal{H} = \{\, i : p_i < t \,\}"#
        XCTAssertEqual(try value([formula], values, name: "L", axes: ["i"]), (0.2 + 0.5 + 0.1) / 3, accuracy: 1e-15)
    }

    /// A set with a parameter in its name, `\mathcal{T}_K`: K takes its value where the set is used.
    func testASetWithAParameterInItsName() throws {
        let p = BoundValue.array(try BoundArray(axes: ["i"], extents: [4], values: [0.9, 0.2, 0.5, 0.1]))
        let formulas = [#"L = \sum_{i \in \mathcal{T}_K} p_i, \qquad K = 2"#,
                        #"\mathcal{T}_K = \{\, i : \sum_{j=1}^{4} [p_j > p_i] < K \,\}"#]
        XCTAssertEqual(try value(formulas, ["p": p], name: "L", axes: ["i"]), 0.9 + 0.5, accuracy: 1e-15)
        XCTAssertThrowsError(try FormulaSystem(formulas: [#"\mathcal{T}_{2K} = \{\, i : p_i < K \,\}"#], axes: ["i"]))
    }

    /// A set of pairs, `K = \{ (n,i) : … \}` (Dice + TopK's hardest positions over every image):
    /// a sum over `(n,i) \in K` visits its members, `|K|` counts the pairs even where n and i are
    /// bound, and `\mathbf{1}\{i \in K\}` tests the pair of the scope's n and that i.
    func testASetOfPairs() throws {
        // ℓ over (n, i): the three largest are 9 (1,2), 8 (2,3) and 7 (2,1).
        let l = BoundValue.array(try BoundArray(axes: ["n", "i"], extents: [2, 3], values: [1, 9, 2, 7, 3, 8]))
        let set = #"K = \{ (n,i) : \sum_{m=1}^{2}\sum_{j=1}^{3} [\ell_{m,j} > \ell_{n,i}] < 3 \}"#
        XCTAssertEqual(try value([#"y = \frac{1}{\lvert K \rvert}\sum_{(n,i) \in K} \ell_{n,i}"#, set], ["\\ell": l], axes: ["n", "i"]),
                       (9 + 8 + 7) / 3.0, accuracy: 1e-15)
        XCTAssertEqual(try value([#"y = \sum_{(n,i) \notin K} \ell_{n,i}"#, set], ["\\ell": l], axes: ["n", "i"]), 1 + 2 + 3)
        let indicator = [#"y = \mathbf{1}\{i \in K\} / \lvert K \rvert"#, set]
        XCTAssertEqual(try value(indicator, ["\\ell": l], axes: ["n", "i"], scope: ["n": 2, "i": 3]), 1.0 / 3)
        XCTAssertEqual(try value(indicator, ["\\ell": l], axes: ["n", "i"], scope: ["n": 1, "i": 3]), 0)
        XCTAssertEqual(try value([#"y = \begin{cases} 1, & (n,i) \in K \\ 0, & \text{otherwise} \end{cases}"#, set], ["\\ell": l],
                                 axes: ["n", "i"], scope: ["n": 2, "i": 1]), 1)
        XCTAssertThrowsError(try FormulaSystem(formulas: [#"K = \{ (n,2) : \ell_{n,2} > 1 \}"#], axes: ["n", "i"]))
    }

    /// An equation led by a label (`\text{jaccard: } z = …`, the setting it holds in) defines what follows the label.
    func testAnEquationLedByALabel() throws {
        let formula = #"\text{plain: } y = 1 \qquad \text{jaccard: } z = 2"#
        XCTAssertEqual(try value([formula], name: "y"), 1)
        XCTAssertEqual(try value([formula], name: "z"), 2)
    }

    func testAScalarNamedLikeAnArraysStem() throws {
        // M (a count) beside M_c (an array over c), as the binding table keeps them.
        let counts = BoundValue.array(try BoundArray(axes: ["c"], extents: [2], values: [1, 3]))
        let values = ["M": counts, Evaluator.scalarKey("M"): BoundValue.scalar(4)]
        XCTAssertEqual(try value([#"y = \sum_c \frac{M}{M_c}"#], values, axes: ["c"]), 4 / 1 + 4 / 3, accuracy: 1e-15)
    }
}
