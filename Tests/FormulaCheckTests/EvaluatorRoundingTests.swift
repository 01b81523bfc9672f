@testable import FormulaCheck
import XCTest

/// `\lfloor … \rfloor`, `\lceil … \rceil` and `\operatorname{log1p}`; and a top-K set written by
/// rank, `\{ i : \sum_j [\ell_j > \ell_i] < K \}` (the K largest, without ties).
final class EvaluatorRoundingTests: XCTestCase {
    private func value(_ tex: String, _ values: [String: BoundValue] = [:], axes: Set<String> = []) throws -> Double {
        let system = try FormulaSystem(formulas: ["y = " + tex], axes: axes)
        return try Evaluator(system: system, values: values).evaluate(definition: "y")
    }

    func testFloorCeilAndLog1p() throws {
        XCTAssertEqual(try value(#"\lfloor 2.7 \rfloor + \left\lceil 2.1 \right\rceil"#), 2 + 3)
        XCTAssertEqual(try value(#"\lfloor -0.5 \rfloor"#), -1)
        XCTAssertEqual(try value(#"\max(1, \lfloor 4 \cdot 10 / 100 \rfloor) + \max(1, \left\lfloor \tfrac{4 \cdot 50}{100} \right\rfloor)"#), 1 + 2)
        XCTAssertEqual(try value(#"2\lfloor 1.5 \rfloor"#), 2, "a rounding is a factor like any other")
        XCTAssertEqual(try value(#"\operatorname{log1p}(10^{-20})"#), 1e-20)
        XCTAssertThrowsError(try value(#"\lfloor 2.7"#))
        XCTAssertThrowsError(try value(#"\lfloor 2.7 \rceil"#))
    }

    func testTopKSetByRank() throws {
        let l = BoundValue.array(try BoundArray(axes: ["i"], extents: [5], values: [0.3, 2, 0.1, 1.5, 0.7]))
        let system = try FormulaSystem(formulas: [#"T = \{ i : \sum_{j=1}^{5} \mathbb{1}[\ell_j > \ell_i] < K \}, \qquad y = \frac{1}{\lvert T \rvert}\sum_{i \in T} \ell_i"#],
                                       axes: ["i"])
        XCTAssertEqual(try Evaluator(system: system, values: ["\\ell": l, "K": .scalar(2)]).evaluate(definition: "y"), (2 + 1.5) / 2)
        XCTAssertEqual(try Evaluator(system: system, values: ["\\ell": l, "K": .scalar(1)]).evaluate(definition: "y"), 2)
    }
}
