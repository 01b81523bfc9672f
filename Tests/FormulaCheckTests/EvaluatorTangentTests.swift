@testable import FormulaCheck
import Foundation
import XCTest

/// `\tan x`, for a side written through an angle (CIoU's w = h tan θ).
final class EvaluatorTangentTests: XCTestCase {
    private func value(_ tex: String, _ values: [String: BoundValue] = [:]) throws -> Double {
        try Evaluator(system: FormulaSystem(formulas: ["y = " + tex]), values: values).evaluate(definition: "y")
    }

    func testTangent() throws {
        XCTAssertEqual(try value(#"\tan 0"#), 0)
        XCTAssertEqual(try value(#"\tan(0.3)"#), tan(0.3))
        XCTAssertEqual(try value(#"h\tan\theta"#, ["h": .scalar(2), #"\theta"#: .scalar(0.4)]), 2 * tan(0.4))
        // arctan undoes it on (−π/2, π/2): θ = arctan(h tan θ / h).
        XCTAssertEqual(try value(#"\arctan\frac{h\tan\theta}{h}"#, ["h": .scalar(3), #"\theta"#: .scalar(-1.2)]), -1.2, accuracy: 1e-15)
    }

    func testTangentWithoutArgumentIsAnError() {
        XCTAssertThrowsError(try value(#"\tan"#))
    }
}
