@testable import FormulaCheck
import XCTest

/// `probability over b,c,i pooling b into i`: the batch's positions as one image (Lovász with
/// `per_image` off), image b's positions after image b − 1's.
final class PoolingTests: XCTestCase {
    func testTheBatchAxisIsMovedBeforeThePositionsAndMergedWithThem() throws {
        // [b = 2, c = 2, i = 3]: value 100b + 10c + i (0-based).
        var values: [Double] = []
        for b in 0..<2 { for c in 0..<2 { for i in 0..<3 { values.append(Double(100 * b + 10 * c + i)) } } }
        let array = try BoundArray(axes: ["b", "c", "i"], extents: [2, 2, 3], values: values)
        let pooled = try FormulaChecker.pooled(array, from: "b", into: "i")
        XCTAssertEqual(pooled.axes, ["c", "i"])
        XCTAssertEqual(pooled.extents, [2, 6])
        // Per class, image 0's positions then image 1's: the same values taken c-major, then b, then i.
        var expected: [Double] = []
        for c in 0..<2 { for b in 0..<2 { for i in 0..<3 { expected.append(Double(100 * b + 10 * c + i)) } } }
        XCTAssertEqual(pooled.values, expected)
        XCTAssertThrowsError(try FormulaChecker.pooled(array, from: "n", into: "i"))
    }

    func testTheClauseIsReadOffTheSource() {
        let clause = FormulaChecker.pooling("probability over b,c,i pooling b into i")
        XCTAssertEqual(clause?.source, "probability over b,c,i")
        XCTAssertEqual(clause?.from, "b")
        XCTAssertEqual(clause?.into, "i")
        XCTAssertNil(FormulaChecker.pooling("probability over b,c,i"))
        XCTAssertEqual(FormulaChecker.arraySource("probability over b,c,i pooling b into i")?.axes ?? [], ["b", "c", "i"])
    }
}
