import Foundation
import LossReference
import Losses
import XCTest

/// The binary Lovász hinge (`lovasz-hinge`, the authors' `lovasz_hinge`) against the Float64
/// reference and finite differences, and its special cases: an image without foreground, ignored
/// labels, errors at the hinge's kink, the relation to lovasz-softmax's construction, bad targets.
/// Peer values: `smp-lovasz-hinge.json` (PeerGoldenTests).
final class LovaszHingeLossTests: XCTestCase {
    let id = "lovasz-hinge"

    func evaluate(_ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:]) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: true)
    }

    func reference(_ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:]) throws -> [Double] {
        try ReferenceLosses.value(id: id, input: RefArray(input), target: RefArray(target),
                                  parameters: referenceParameters(id, parameters)).data
    }

    static func logitsAndLabels(_ shape: [Int], seed: UInt64) -> (Tensor, Tensor) {
        let x = ClDiceLossTests.random(shape, seed: seed) { $0.normal(2) }
        let y = ClDiceLossTests.random(shape, seed: seed + 1) { Float($0.integer(2)) }
        return (x, y)
    }

    func testValuesAndGradientsMatchTheReference() throws {
        let (x, y) = Self.logitsAndLabels([3, 1, 5, 6], seed: 101)
        for parameters: [String: ParameterValue] in [[:], ["per_image": false], ["reduction": "none"], ["reduction": "sum"]] {
            let out = try evaluate(x, y, parameters)
            XCTAssertNil(Tolerance.valueMismatch(out.value.data.map(Double.init), try reference(x, y, parameters)), "\(parameters)")
            let fd = try finiteDifferences(id, input: RefArray(x), target: RefArray(y), parameters: referenceParameters(id, parameters))
            let ours = try XCTUnwrap(out.gradient).data.map(Double.init)
            XCTAssertNil(Tolerance.gradientMismatch(ours, fd.gradient, skip: fd.kink), "\(parameters)")
            XCTAssertTrue(ours.contains { $0 != 0 })
        }
    }

    /// No foreground: every prefix has Jaccard loss 1, so only the largest error counts.
    func testAnImageWithoutForegroundCostsItsLargestError() throws {
        let x = ClDiceLossTests.random([1, 1, 4, 4], seed: 111) { $0.normal(2) }
        let empty = Tensor(shape: [1, 1, 4, 4])
        let out = try evaluate(x, empty)
        let largest = x.data.map { 1 + Double($0) }.max()!
        XCTAssertEqual(Double(out.value.data[0]), max(largest, 0), accuracy: 1e-6)
        let g = try XCTUnwrap(out.gradient).data
        XCTAssertEqual(g.filter { $0 != 0 }.count, largest > 0 ? 1 : 0)
    }

    /// Ignored labels take no part: the loss equals the loss of the remaining pixels alone.
    func testIgnoredLabelsAreLeftOut() throws {
        let (x, y) = Self.logitsAndLabels([1, 1, 4, 5], seed: 121)
        var ignored = y
        for i in stride(from: 0, to: 20, by: 3) { ignored.data[i] = 255 }
        let kept = (0..<20).filter { $0 % 3 != 0 }
        let xs = try Tensor(shape: [1, kept.count], data: kept.map { x.data[$0] })
        let ys = try Tensor(shape: [1, kept.count], data: kept.map { y.data[$0] })
        let out = try evaluate(x, ignored, ["ignore_index": 255])
        XCTAssertEqual(out.value.data[0], try evaluate(xs, ys).value.data[0], accuracy: 1e-6)
        for i in stride(from: 0, to: 20, by: 3) { XCTAssertEqual(try XCTUnwrap(out.gradient).data[i], 0) }
        // Every label ignored: 0, as the authors' code (logits.sum() * 0).
        let all = Tensor(shape: [1, 1, 4, 5], repeating: 255)
        XCTAssertEqual(try evaluate(x, all, ["ignore_index": 255]).value.data[0], 0)
    }

    /// A perfectly separated prediction with margin ≥ 1 has no hinge error: 0, no gradient.
    func testMarginsBeyondOneCostNothing() throws {
        let y = ClDiceLossTests.random([2, 1, 3, 3], seed: 131) { Float($0.integer(2)) }
        var x = y
        x.data = y.data.map { $0 == 1 ? 1.5 : -2 }
        let out = try evaluate(x, y)
        XCTAssertEqual(out.value.data[0], 0)
        XCTAssertTrue(try XCTUnwrap(out.gradient).data.allSatisfy { $0 == 0 })
    }

    func testNaNPropagatesAndBadTargetsAreRejected() throws {
        var (x, y) = Self.logitsAndLabels([2, 1, 3, 3], seed: 141)
        x.data[4] = .nan
        let out = try evaluate(x, y, ["reduction": "none"])
        XCTAssertTrue(out.value.data[0].isNaN)
        XCTAssertFalse(out.value.data[1].isNaN)
        var bad = y
        bad.data[0] = 2
        XCTAssertThrowsError(try evaluate(x, bad))
        XCTAssertThrowsError(try evaluate(x, Tensor(shape: [2, 9])))
    }

    func testTypedInitialiserIsTheCatalogLoss() throws {
        let (x, y) = Self.logitsAndLabels([2, 1, 4, 4], seed: 151)
        let typed = try LovaszHingeLoss(perImage: false, ignoreIndex: 7, reduction: .sum)
        let catalog = try Catalog.make(id, ["per_image": false, "ignore_index": 7, "reduction": "sum"])
        XCTAssertEqual(try typed.evaluate(x, target: y, gradient: true), try catalog.evaluate(x, target: y, gradient: true))
    }
}
