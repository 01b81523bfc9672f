import Foundation
import LossReference
import Losses
import XCTest

/// MONAI's `SoftDiceclDiceLoss` (`dice-cldice`) against the Float64 reference and finite
/// differences, and as what it is made of: (1 − α)·dice + α·cldice from the catalog, with clDice's
/// smoothing of 1 passed to the Dice term. Peer values: `monai-topology.json` (PeerGoldenTests).
final class DiceClDiceLossTests: XCTestCase {
    let id = "dice-cldice"

    func evaluate(_ id: String, _ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:]) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: true)
    }

    func testValuesMatchTheReference() throws {
        for shape in [[2, 3, 6, 7], [1, 2, 3, 4, 5]] {
            let (x, y) = ClDiceLossTests.scores(shape, seed: 70 + UInt64(shape.count))
            for parameters: [String: ParameterValue] in [[:], ["alpha": 0.2, "include_background": false, "iter_": 1],
                                                         ["smooth_nr": 0.5, "smooth_dr": 2, "smooth": 0.01, "reduction": "sum"]] {
                let ours = try evaluate(id, x, y, parameters).value
                let reference = try ReferenceLosses.value(id: id, input: RefArray(x), target: RefArray(y),
                                                          parameters: referenceParameters(id, parameters))
                XCTAssertNil(Tolerance.valueMismatch(ours.data.map(Double.init), reference.data), "\(shape) \(parameters)")
            }
        }
    }

    func testGradientMatchesFiniteDifferences() throws {
        let (x, y) = ClDiceLossTests.scores([2, 3, 5, 6], seed: 81)
        for parameters: [String: ParameterValue] in [[:], ["alpha": 0.8, "reduction": "sum"]] {
            let ours = try XCTUnwrap(try evaluate(id, x, y, parameters).gradient).data.map(Double.init)
            let fd = try finiteDifferences(id, input: RefArray(x), target: RefArray(y), parameters: referenceParameters(id, parameters))
            XCTAssertNil(Tolerance.gradientMismatch(ours, fd.gradient, skip: fd.kink), "\(parameters)")
        }
    }

    /// The compound is its two terms, value and gradient, with the shared smoothing; α = 0 and 1
    /// are the terms alone.
    func testIsTheWeightedSumOfDiceAndClDice() throws {
        let (x, y) = ClDiceLossTests.scores([2, 3, 6, 6], seed: 91)
        let shared: [String: ParameterValue] = ["smooth_nr": 0.5, "smooth_dr": 2, "include_background": false, "reduction": "sum"]
        let dice = try evaluate("dice", x, y, shared)
        let cldice = try evaluate("cldice", x, y, shared.merging(["iter_": 2]) { $1 })
        for alpha in [0.0, 0.25, 1.0] {
            let both = try evaluate(id, x, y, shared.merging(["iter_": 2, "alpha": .number(alpha)]) { $1 })
            let expected = (1 - alpha) * Double(dice.value.data[0]) + alpha * Double(cldice.value.data[0])
            XCTAssertEqual(Double(both.value.data[0]), expected, accuracy: 1e-6 * max(1, abs(expected)))
            let g = try XCTUnwrap(both.gradient).data, gd = try XCTUnwrap(dice.gradient).data, gc = try XCTUnwrap(cldice.gradient).data
            for i in g.indices {
                XCTAssertEqual(Double(g[i]), (1 - alpha) * Double(gd[i]) + alpha * Double(gc[i]), accuracy: 1e-6, "α = \(alpha), \(i)")
            }
        }
    }

    func testRejectedParameters() throws {
        XCTAssertThrowsError(try Catalog.make(id, ["reduction": "none"]))
        XCTAssertThrowsError(try Catalog.make(id, ["alpha": 1.5]))
        XCTAssertThrowsError(try Catalog.make(id, ["smooth": 0]))
        XCTAssertThrowsError(try Catalog.make(id, ["iter_": -1]))
    }

    func testTypedInitialiserIsTheCatalogLoss() throws {
        let (x, y) = ClDiceLossTests.scores([2, 3, 5, 5], seed: 95)
        let typed = try DiceClDiceLoss(iter: 2, alpha: 0.3, smoothNr: 0.5, smoothDr: 2, smooth: 1e-3, includeBackground: false,
                                       activation: .softmax, reduction: .sum)
        let catalog = try Catalog.make(id, ["iter_": 2, "alpha": 0.3, "smooth_nr": 0.5, "smooth_dr": 2, "smooth": 1e-3,
                                            "include_background": false, "reduction": "sum"])
        XCTAssertEqual(try typed.evaluate(x, target: y, gradient: true), try catalog.evaluate(x, target: y, gradient: true))
    }
}
