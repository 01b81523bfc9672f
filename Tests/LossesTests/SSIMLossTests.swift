import Foundation
import LossReference
import Losses
import XCTest

/// MONAI's `SSIMLoss` (`ssim`) against the Float64 reference and finite differences, 2-D and 3-D,
/// both windows, and its special cases: identical and constant images, the effect of data_range,
/// images smaller than the window, wrong ranks. Peer values: `monai-ssim.json` (PeerGoldenTests).
final class SSIMLossTests: XCTestCase {
    let id = "ssim"

    func evaluate(_ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:]) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: true)
    }

    static func images(_ shape: [Int], seed: UInt64) -> (Tensor, Tensor) {
        let x = ClDiceLossTests.random(shape, seed: seed) { $0.uniform(0...1) }
        var y = x
        var rng = SeededGenerator(seed: seed + 1)
        for i in 0..<y.count { y.data[i] = min(1, max(0, y.data[i] + rng.normal(0.2))) }
        return (x, y)
    }

    func testValuesAndGradientsMatchTheReference() throws {
        let settings: [([Int], [String: ParameterValue])] = [
            ([2, 2, 12, 11], [:]),
            ([2, 2, 12, 11], ["kernel_type": "uniform", "win_size": 5, "reduction": "none"]),
            ([1, 1, 9, 9], ["win_size": 3, "kernel_sigma": 0.7, "k1": 0.1, "k2": 0.2, "reduction": "sum"]),
            ([1, 1, 6, 7, 5], ["spatial_dims": 3, "win_size": 3]),
        ]
        for (shape, parameters) in settings {
            let (x, y) = Self.images(shape, seed: 200 + UInt64(shape.reduce(0, +)))
            let out = try evaluate(x, y, parameters)
            let reference = try ReferenceLosses.value(id: id, input: RefArray(x), target: RefArray(y),
                                                      parameters: referenceParameters(id, parameters))
            XCTAssertEqual(out.value.shape, reference.shape)
            XCTAssertNil(Tolerance.valueMismatch(out.value.data.map(Double.init), reference.data), "\(shape) \(parameters)")
            let fd = try finiteDifferences(id, input: RefArray(x), target: RefArray(y), parameters: referenceParameters(id, parameters))
            XCTAssertNil(Tolerance.gradientMismatch(try XCTUnwrap(out.gradient).data.map(Double.init), fd.gradient, skip: fd.kink),
                         "\(shape) \(parameters)")
        }
    }

    /// Identical images: every ratio is 1, the loss 0 and the gradient 0 (a minimum); a constant
    /// image against itself too, thanks to c₁, c₂ > 0; with k₁ = k₂ = 0 that is 0/0 = NaN, as MONAI.
    func testIdenticalAndConstantImages() throws {
        let (x, _) = Self.images([1, 1, 12, 12], seed: 211)
        let same = try evaluate(x, x)
        XCTAssertEqual(same.value.data[0], 0, accuracy: 1e-6)
        XCTAssertTrue(try XCTUnwrap(same.gradient).data.allSatisfy { abs($0) < 1e-6 })
        let flat = Tensor(shape: [1, 1, 12, 12], repeating: 0.3)
        XCTAssertEqual(try evaluate(flat, flat).value.data[0], 0, accuracy: 1e-6)
        XCTAssertTrue(try evaluate(flat, flat, ["k1": 0, "k2": 0]).value.data[0].isNaN)
    }

    /// data_range sets c₁, c₂: the same images read as 0…255 with data_range 255 give the same loss.
    func testDataRangeScalesTheConstants() throws {
        let (x, y) = Self.images([1, 1, 12, 12], seed: 221)
        var x255 = x, y255 = y
        x255.data = x.data.map { $0 * 255 }
        y255.data = y.data.map { $0 * 255 }
        let unit = try evaluate(x, y).value.data[0], scaled = try evaluate(x255, y255, ["data_range": 255]).value.data[0]
        XCTAssertEqual(unit, scaled, accuracy: 1e-5)
        XCTAssertNotEqual(unit, try evaluate(x255, y255).value.data[0], accuracy: 1e-4)
    }

    func testRejectedInputs() throws {
        let small = Tensor(shape: [1, 1, 8, 8])
        XCTAssertThrowsError(try evaluate(small, small))                      // smaller than win_size 11
        let volume = Tensor(shape: [1, 1, 12, 12, 12])
        XCTAssertThrowsError(try evaluate(volume, volume))                    // spatial_dims 2 needs 4-D input
        XCTAssertThrowsError(try evaluate(Tensor(shape: [1, 1, 12, 12]), Tensor(shape: [1, 1, 12, 13])))
        XCTAssertThrowsError(try Catalog.make(id, ["spatial_dims": 1]))
        XCTAssertThrowsError(try Catalog.make(id, ["data_range": 0]))
    }

    func testTypedInitialiserIsTheCatalogLoss() throws {
        let (x, y) = Self.images([2, 1, 12, 12], seed: 231)
        let typed = try SSIMLoss(kernelType: .uniform, winSize: 5, k1: 0.02, reduction: .none)
        let catalog = try Catalog.make(id, ["kernel_type": "uniform", "win_size": 5, "k1": 0.02, "reduction": "none"])
        XCTAssertEqual(try typed.evaluate(x, target: y, gradient: true), try catalog.evaluate(x, target: y, gradient: true))
    }
}
