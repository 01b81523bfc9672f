import Foundation
import LossReference
import Losses
import XCTest

/// MONAI's `AsymmetricUnifiedFocalLoss` (`unified-focal`) against the Float64 reference and
/// finite differences (one and two channels, class indices, 3-D, every parameter, every
/// reduction), and its special cases: an image without foreground, a perfect prediction,
/// probabilities at MONAI's clamp, rejected inputs. Peer values: `monai-unified-focal.json`
/// (PeerGoldenTests).
final class UnifiedFocalLossTests: XCTestCase {
    let id = "unified-focal"

    func evaluate(_ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:]) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: true)
    }

    static func probabilities(_ shape: [Int], seed: UInt64) -> Tensor {
        ClDiceLossTests.random(shape, seed: seed) { $0.uniform(0.03...0.97) }
    }

    static func labels(_ shape: [Int], seed: UInt64) -> Tensor {
        ClDiceLossTests.random(shape, seed: seed) { Float($0.integer(2)) }
    }

    func assertMatchesReference(_ x: Tensor, _ y: Tensor, _ parameters: [String: ParameterValue],
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let out = try evaluate(x, y, parameters)
        let reference = try ReferenceLosses.value(id: id, input: RefArray(x), target: RefArray(y),
                                                  parameters: referenceParameters(id, parameters))
        XCTAssertEqual(out.value.shape, reference.shape, file: file, line: line)
        XCTAssertNil(Tolerance.valueMismatch(out.value.data.map(Double.init), reference.data), "\(x.shape) \(parameters)",
                     file: file, line: line)
        let fd = try finiteDifferences(id, input: RefArray(x), target: RefArray(y), parameters: referenceParameters(id, parameters))
        XCTAssertNil(Tolerance.gradientMismatch(try XCTUnwrap(out.gradient).data.map(Double.init), fd.gradient, skip: fd.kink),
                     "\(x.shape) \(parameters)", file: file, line: line)
    }

    func testValuesAndGradientsMatchTheReference() throws {
        let x1 = Self.probabilities([2, 1, 5, 6], seed: 301), y1 = Self.labels([2, 1, 5, 6], seed: 302)
        for parameters: [String: ParameterValue] in [
            [:], ["reduction": "sum"], ["reduction": "none"], ["weight": 0.3, "gamma": 0.2, "delta": 0.6],
            ["weight": 1, "gamma": 0], ["weight": 0, "gamma": 1], ["delta": 0],
        ] {
            try assertMatchesReference(x1, y1, parameters)
        }
        // Two channels, dense and as class indices.
        let x2 = Self.probabilities([2, 2, 4, 5], seed: 303), indices = Self.labels([2, 1, 4, 5], seed: 304)
        var dense = Tensor(shape: [2, 2, 4, 5])
        for n in 0..<2 {
            for s in 0..<20 {
                dense.data[(2 * n + Int(indices.data[n * 20 + s])) * 20 + s] = 1
            }
        }
        try assertMatchesReference(x2, dense, [:])
        try assertMatchesReference(x2, indices, ["to_onehot_y": true])
        XCTAssertEqual(try evaluate(x2, dense).value.data, try evaluate(x2, indices, ["to_onehot_y": true]).value.data)
        // 3-D, and soft labels.
        try assertMatchesReference(Self.probabilities([1, 1, 3, 4, 3], seed: 305), Self.labels([1, 1, 3, 4, 3], seed: 306), [:])
        try assertMatchesReference(x1, Self.probabilities([2, 1, 5, 6], seed: 307), [:])
    }

    /// Every reduction is the one scalar MONAI returns (its terms reduce with their own mean).
    func testEveryReductionIsTheSameScalar() throws {
        let x = Self.probabilities([2, 1, 4, 4], seed: 311), y = Self.labels([2, 1, 4, 4], seed: 312)
        let mean = try evaluate(x, y).value
        XCTAssertEqual(mean.shape, [])
        XCTAssertEqual(try evaluate(x, y, ["reduction": "sum"]).value, mean)
        XCTAssertEqual(try evaluate(x, y, ["reduction": "none"]).value, mean)
    }

    /// No foreground: the foreground's cross entropy is 0 and its Tversky index ε/((1 − δ)ΣP + ε)
    /// ≈ 0, so its term is ≈ 1; finite value and gradient, equal to the reference.
    func testEmptyForeground() throws {
        let x = Self.probabilities([1, 1, 4, 5], seed: 321), y = Tensor(shape: [1, 1, 4, 5])
        try assertMatchesReference(x, y, [:])
        let out = try evaluate(x, y)
        XCTAssertTrue(out.value.data[0].isFinite)
        XCTAssertTrue(try XCTUnwrap(out.gradient).data.allSatisfy(\.isFinite))
    }

    /// A perfect 0/1 prediction is clamped to [ε, 1 − ε]: the loss is small but not 0 (the
    /// foreground's (1 − D)^{1−γ} ≈ √(ε·…)), and the clamp passes no gradient to the 0s and 1s.
    /// Just inside the clamp, the loss is positive, finite, with a finite gradient, as the reference.
    func testPerfectPredictionAndTheClamp() throws {
        let y = Self.labels([2, 1, 4, 4], seed: 331)
        let perfect = try evaluate(y, y)
        XCTAssertGreaterThan(perfect.value.data[0], 0)
        XCTAssertLessThan(perfect.value.data[0], 1e-2)
        XCTAssertTrue(try XCTUnwrap(perfect.gradient).data.allSatisfy { $0 == 0 })
        var near = y
        near.data = y.data.map { $0 == 1 ? 1 - 0x1p-20 : 0x1p-20 }
        let out = try evaluate(near, y)
        let reference = try ReferenceLosses.value(id: id, input: RefArray(near), target: RefArray(y))
        XCTAssertNil(Tolerance.valueMismatch(out.value.data.map(Double.init), reference.data))
        XCTAssertGreaterThan(out.value.data[0], perfect.value.data[0])
        XCTAssertTrue(try XCTUnwrap(out.gradient).data.allSatisfy(\.isFinite))
        // Beyond the clamp the value does not move.
        var beyond = y
        beyond.data = y.data.map { $0 == 1 ? 1 : 0 }
        beyond.data[0] = y.data[0] == 1 ? 0.99999994 : 5e-8
        XCTAssertEqual(try evaluate(beyond, y).value, perfect.value)
    }

    func testRejectedInputs() throws {
        let x = Self.probabilities([1, 3, 4, 4], seed: 341)
        XCTAssertThrowsError(try evaluate(x, Tensor(shape: [1, 3, 4, 4])))               // three classes
        XCTAssertThrowsError(try evaluate(Self.probabilities([2, 1, 8], seed: 342), Tensor(shape: [2, 1, 8]))) // 1-D
        let x2 = Self.probabilities([1, 2, 4, 4], seed: 343)
        XCTAssertThrowsError(try evaluate(x2, Tensor(shape: [1, 1, 4, 4])))                // indices without to_onehot_y
        XCTAssertThrowsError(try evaluate(x2, Tensor(shape: [1, 1, 4, 4], repeating: 2), ["to_onehot_y": true]))
        XCTAssertThrowsError(try evaluate(Self.probabilities([1, 1, 4, 4], seed: 344), Tensor(shape: [1, 1, 4, 4], repeating: 2)))
        XCTAssertThrowsError(try Catalog.make(id, ["num_classes": 3]))
        XCTAssertThrowsError(try Catalog.make(id, ["gamma": 1.5]))
    }
}
