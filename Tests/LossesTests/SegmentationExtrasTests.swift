import Foundation
import LossReference
import Losses
import XCTest

/// MONAI's remaining segmentation losses and the erosion Hausdorff loss (issue 17.3) against the
/// Double reference and its finite differences, on inputs chosen for each loss's edge cases
/// (empty foregrounds, saturated logits, every class absent), and the special cases their
/// definitions promise. Their peer values are in `monai-extra.json` and `papers.json`
/// (PeerGoldenTests).
final class SegmentationExtrasTests: XCTestCase {
    static let shape = [2, 3, 4, 5]

    /// Seeded logits `[N, C, H, W]` and labels `[N, H, W]`; sample 1 has no class 2.
    static func scores(seed: UInt64, shape: [Int] = shape) -> (logits: Tensor, labels: Tensor) {
        var rng = SeededGenerator(seed: seed)
        let spatial = shape.dropFirst(2).reduce(1, *), C = shape[1]
        let logits = ReferenceCases.tensor(shape) { rng.normal(2) }
        var labels = ReferenceCases.tensor([shape[0]] + shape.dropFirst(2)) { Float(rng.integer(C)) }
        for s in 0..<spatial where labels.data[spatial + s] == Float(C - 1) { labels.data[spatial + s] = 0 }
        return (logits, labels)
    }

    /// Ours against the reference (value) and its central differences (gradient, kinks skipped).
    func assertMatchesReference(_ id: String, _ input: Tensor, _ target: Tensor?, _ parameters: [String: ParameterValue],
                                gradient: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        let label = "\(id) \(parameters)"
        let ours = try Catalog.make(id, parameters).evaluate(input, target: target, gradient: gradient)
        let refParameters = try referenceParameters(id, parameters)
        let reference = try ReferenceLosses.value(id: id, input: RefArray(input), target: target.map(RefArray.init),
                                                  parameters: refParameters)
        XCTAssertEqual(ours.value.shape, reference.shape, label, file: file, line: line)
        if let m = Tolerance.valueMismatch(ours.value.data.map(Double.init), reference.data) {
            XCTFail("\(label): value \(m)", file: file, line: line)
        }
        guard gradient else { return }
        let (fd, kink) = try finiteDifferences(id, input: RefArray(input), target: target.map(RefArray.init), parameters: refParameters)
        let g = try XCTUnwrap(ours.gradient, label, file: file, line: line).data.map(Double.init)
        if let m = Tolerance.gradientMismatch(g, fd, skip: kink) { XCTFail("\(label): gradient \(m)", file: file, line: line) }
        XCTAssertTrue(g.contains { $0 != 0 }, "\(label): the test must see a gradient", file: file, line: line)
    }

    // MARK: - generalized-dice-focal

    func testGeneralizedDiceFocalMatchesTheReference() throws {
        let (x, y) = Self.scores(seed: 31)
        var extreme = x
        for c in 0..<3 { extreme.data[c * 20] = [1000, -1000, 0][c] }
        let grid: [[String: ParameterValue]] = [
            [:], ["include_background": false], ["w_type": "simple"], ["w_type": "uniform", "batch": true],
            ["weight": [0.5, 1, 2]], ["include_background": false, "weight": [2, 0.5]],
            ["gamma": 1.5, "lambda_gdl": 0.4, "lambda_focal": 2], ["gamma": 0, "smooth_nr": 0, "smooth_dr": 1],
            ["reduction": "sum"], ["batch": true, "reduction": "sum"], ["activation": "sigmoid"],
        ]
        for parameters in grid {
            try assertMatchesReference("generalized-dice-focal", x, y, parameters)
        }
        try assertMatchesReference("generalized-dice-focal", extreme, y, [:], gradient: false)
        // Background only: every foreground class absent in every sample.
        try assertMatchesReference("generalized-dice-focal", x, Tensor(shape: y.shape), [:])
    }

    /// λ_gdl · generalized-dice + λ_focal · (MONAI's focal term, which is dice-focal without its
    /// Dice term), value and gradient, for each activation.
    func testGeneralizedDiceFocalIsItsTwoTerms() throws {
        let (x, y) = Self.scores(seed: 32)
        for activation in ["softmax", "sigmoid"] {
            let ours = try Catalog.make("generalized-dice-focal", ["lambda_gdl": 0.3, "lambda_focal": 1.7, "gamma": 1.5,
                                                                   "include_background": false, "activation": .string(activation)])
                .evaluate(x, target: y, gradient: true)
            let gdl = try Catalog.make("generalized-dice", ["include_background": false, "activation": .string(activation)])
                .evaluate(x, target: y, gradient: true)
            let focal = try Catalog.make("dice-focal", ["lambda_dice": 0, "gamma": 1.5, "include_background": false,
                                                        "activation": .string(activation)])
                .evaluate(x, target: y, gradient: true)
            let value = 0.3 * Double(gdl.value.data[0]) + 1.7 * Double(focal.value.data[0])
            XCTAssertEqual(Double(ours.value.data[0]), value, accuracy: 1e-6 * max(1, abs(value)), activation)
            let expected = zip(gdl.gradient!.data, focal.gradient!.data).map { 0.3 * Double($0) + 1.7 * Double($1) }
            XCTAssertNil(Tolerance.valueMismatch(ours.gradient!.data.map(Double.init), expected), activation)
        }
    }

    /// Every kept class absent: the GDL weights are all 0, the GDL term is 1 − s_nr/s_dr = 0 with
    /// no gradient, and the loss is the focal term alone.
    func testGeneralizedDiceFocalWithEveryClassAbsentIsTheFocalTerm() throws {
        let (x, _) = Self.scores(seed: 33)
        let empty = Tensor(shape: [2, 4, 5])
        let gdlOnly = try Catalog.make("generalized-dice-focal", ["include_background": false, "lambda_focal": 0])
            .evaluate(x, target: empty, gradient: true)
        XCTAssertEqual(gdlOnly.value.data[0], 0)
        XCTAssertTrue(gdlOnly.gradient!.data.allSatisfy { $0 == 0 })
        let both = try Catalog.make("generalized-dice-focal", ["include_background": false]).evaluate(x, target: empty, gradient: false)
        let focal = try Catalog.make("dice-focal", ["include_background": false, "lambda_dice": 0]).evaluate(x, target: empty, gradient: false)
        XCTAssertEqual(both.value.data[0], focal.value.data[0], accuracy: 1e-6)
        XCTAssertGreaterThan(both.value.data[0], 0)
    }

    func testGeneralizedDiceFocalRejectsNoneAndWrongWeights() throws {
        let (x, y) = Self.scores(seed: 34)
        XCTAssertThrowsError(try Catalog.make("generalized-dice-focal", ["reduction": "none"]))
        XCTAssertThrowsError(try Catalog.make("generalized-dice-focal", ["lambda_gdl": -1]))
        XCTAssertThrowsError(try Catalog.make("generalized-dice-focal", ["weight": [1, 2]]).evaluate(x, target: y, gradient: false))
        var bad = x
        bad.data[3] = .nan
        let out = try Catalog.make("generalized-dice-focal").evaluate(bad, target: y, gradient: false)
        XCTAssertTrue(out.value.data[0].isNaN, "a NaN logit propagates")
    }
}
