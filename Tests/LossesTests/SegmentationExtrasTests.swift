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
                                gradient: Bool = true, seesGradient: Bool = true,
                                file: StaticString = #filePath, line: UInt = #line) throws {
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
        if seesGradient { XCTAssertTrue(g.contains { $0 != 0 }, "\(label): the test must see a gradient", file: file, line: line) }
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

    // MARK: - masked-dice

    /// Logits, labels and the same labels with a mask channel appended, and the dense form.
    static func masked(seed: UInt64) -> (logits: Tensor, labels: Tensor, dense: Tensor) {
        let (x, y) = scores(seed: seed)
        var rng = SeededGenerator(seed: seed &+ 7)
        var oneHot = Tensor(shape: x.shape)
        for n in 0..<2 {
            for s in 0..<20 { oneHot.data[(n * 3 + Int(y.data[n * 20 + s])) * 20 + s] = 1 }
        }
        var seedCopy = rng
        let labels = SegmentationExtrasCases.withMask(y, input: x, &rng)
        let dense = SegmentationExtrasCases.withMask(oneHot, input: x, &seedCopy)
        return (x, labels, dense)
    }

    func testMaskedDiceMatchesTheReference() throws {
        let (x, labels, dense) = Self.masked(seed: 41)
        let grid: [[String: ParameterValue]] = [
            [:], ["include_background": false], ["squared_pred": true], ["jaccard": true], ["batch": true],
            ["weight": [0.5, 1, 2]], ["smooth_nr": 0, "smooth_dr": 1], ["soft_label": true],
            ["reduction": "sum"], ["reduction": "none"], ["activation": "sigmoid"],
        ]
        for parameters in grid {
            try assertMatchesReference("masked-dice", x, labels, parameters)
            try assertMatchesReference("masked-dice", x, dense, parameters)
        }
    }

    /// The labels form and the dense form with the same mask are the same loss.
    func testMaskedDiceTargetFormsAgree() throws {
        let (x, labels, dense) = Self.masked(seed: 42)
        let a = try Catalog.make("masked-dice").evaluate(x, target: labels, gradient: true)
        let b = try Catalog.make("masked-dice").evaluate(x, target: dense, gradient: true)
        XCTAssertEqual(a, b)
    }

    /// A mask of ones is `dice`, bit for bit; outside a mask nothing moves the value and nothing
    /// gets a gradient.
    func testMaskedDiceIsDiceInsideTheMask() throws {
        let (x, labels, _) = Self.masked(seed: 43)
        let (_, y) = Self.scores(seed: 43)
        let all = SegmentationExtrasCases.settingMask(labels, to: 1)
        for parameters: [String: ParameterValue] in [[:], ["include_background": false, "reduction": "none"]] {
            XCTAssertEqual(try Catalog.make("masked-dice", parameters).evaluate(x, target: all, gradient: true),
                           try Catalog.make("dice", parameters).evaluate(x, target: y, gradient: true))
        }
        let out = try Catalog.make("masked-dice").evaluate(x, target: labels, gradient: true)
        var moved = x
        for n in 0..<2 {
            for s in 0..<20 where labels.data[(n * 2 + 1) * 20 + s] == 0 {
                for c in 0..<3 { moved.data[(n * 3 + c) * 20 + s] += 5 }
                for c in 0..<3 { XCTAssertEqual(out.gradient!.data[(n * 3 + c) * 20 + s], 0) }
            }
        }
        XCTAssertNotEqual(moved, x)
        XCTAssertEqual(try Catalog.make("masked-dice").evaluate(moved, target: labels, gradient: false).value, out.value)
        XCTAssertNotEqual(out.value, try Catalog.make("dice").evaluate(x, target: y, gradient: false).value,
                          "the mask must change the loss (so the checks above can fail)")
    }

    /// An empty region: every class is empty, each entry 1 − s_nr/s_dr (0 by default; NaN-free),
    /// no gradient.
    func testMaskedDiceWithAnEmptyMask() throws {
        let (x, labels, _) = Self.masked(seed: 44)
        let none = SegmentationExtrasCases.settingMask(labels, to: 0)
        let out = try Catalog.make("masked-dice", ["reduction": "none"]).evaluate(x, target: none, gradient: true)
        XCTAssertTrue(out.value.data.allSatisfy { $0 == 0 })
        XCTAssertTrue(out.gradient!.data.allSatisfy { $0 == 0 })
        try assertMatchesReference("masked-dice", x, none, ["smooth_nr": 0.5, "smooth_dr": 2], gradient: false)
    }

    func testMaskedDiceRejectsBadMasksAndShapes() throws {
        let (x, labels, _) = Self.masked(seed: 45)
        let (_, y) = Self.scores(seed: 45)
        let loss = try Catalog.make("masked-dice")
        XCTAssertThrowsError(try loss.evaluate(x, target: SegmentationExtrasCases.settingMask(labels, to: 0.5), gradient: false))
        XCTAssertThrowsError(try loss.evaluate(x, target: y, gradient: false), "a target without its mask")
        XCTAssertThrowsError(try loss.evaluate(x, target: nil, gradient: false))
        XCTAssertThrowsError(try Catalog.make("masked-dice", ["ignore_index": 1]), "MaskedDiceLoss has no ignore_index")
    }

    // MARK: - log-hausdorff-dt

    func testLogHausdorffMatchesTheReference() throws {
        let (x, y) = Self.scores(seed: 51, shape: [2, 3, 6, 7])
        let grid: [[String: ParameterValue]] = [
            [:], ["alpha": 1], ["include_background": true, "batch": true], ["spacing": [0.5, 2]],
            ["reduction": "sum"], ["reduction": "none"], ["batch": true, "reduction": "none"], ["activation": "sigmoid"],
        ]
        for parameters in grid {
            try assertMatchesReference("log-hausdorff-dt", x, y, parameters)
        }
        try assertMatchesReference("log-hausdorff-dt", x, Tensor(shape: y.shape), [:])
    }

    /// log(1 + hausdorff-dt) of the reduced value (of each entry with none), and the gradient
    /// hausdorff-dt's over 1 + its value.
    func testLogHausdorffIsTheLogOfHausdorff() throws {
        let (x, y) = Self.scores(seed: 52, shape: [2, 3, 6, 7])
        for reduction in ["mean", "sum", "none"] {
            let p: [String: ParameterValue] = ["reduction": .string(reduction)]
            let hd = try Catalog.make("hausdorff-dt", p).evaluate(x, target: y, gradient: true)
            let log = try Catalog.make("log-hausdorff-dt", p).evaluate(x, target: y, gradient: true)
            XCTAssertEqual(log.value.shape, hd.value.shape)
            XCTAssertNil(Tolerance.valueMismatch(log.value.data.map(Double.init), hd.value.data.map { log1p(Double($0)) }), reduction)
            guard reduction != "none" else { continue }
            let scale = 1 / (1 + Double(hd.value.data[0]))
            XCTAssertNil(Tolerance.valueMismatch(log.gradient!.data.map(Double.init), hd.gradient!.data.map { Double($0) * scale }),
                         reduction)
        }
    }

    /// A perfect prediction, or every class empty in target and prediction: 0 and no gradient.
    func testLogHausdorffIsZeroWhereHausdorffIs() throws {
        var rng = SeededGenerator(seed: 53)
        let labels = ReferenceCases.tensor([2, 6, 7]) { Float(rng.integer(3)) }
        var perfect = Tensor(shape: [2, 3, 6, 7], repeating: -20)
        for n in 0..<2 {
            for s in 0..<42 { perfect.data[(n * 3 + Int(labels.data[n * 42 + s])) * 42 + s] = 20 }
        }
        let out = try Catalog.make("log-hausdorff-dt", ["reduction": "none"]).evaluate(perfect, target: labels, gradient: true)
        XCTAssertTrue(out.value.data.allSatisfy { abs($0) < 1e-12 })
        XCTAssertTrue(out.gradient!.data.allSatisfy { abs($0) < 1e-12 })
    }

    // MARK: - generalized-wasserstein-dice

    static let near: ParameterValue = .numbers([0, 1, 1, 1, 0, 0.5, 1, 0.5, 0])

    func testWassersteinDiceMatchesTheReference() throws {
        let (x, y) = Self.scores(seed: 61)
        var extreme = x
        for c in 0..<3 { extreme.data[c * 20] = [1000, -1000, 0][c] }
        let grid: [[String: ParameterValue]] = [
            [:], ["dist_matrix": Self.near], ["dist_matrix": Self.near, "weighting_mode": "GDL"],
            ["dist_matrix": [0, 2, 4, 2, 0, 1, 4, 1, 0]], ["smooth_nr": 0, "smooth_dr": 1],
            ["reduction": "sum"], ["reduction": "none", "weighting_mode": "GDL"],
        ]
        for parameters in grid {
            try assertMatchesReference("generalized-wasserstein-dice", x, y, parameters)
            try assertMatchesReference("generalized-wasserstein-dice", extreme, y, parameters)
            // Background only with s_nr = 0 in default mode: TP = 0 and A = 0, so 𝓛 = 1 with no gradient.
            try assertMatchesReference("generalized-wasserstein-dice", x, Tensor(shape: y.shape), parameters,
                                       seesGradient: parameters["smooth_nr"] != .number(0))
        }
    }

    /// Two classes, the 0/1 distance and the default weights: the foreground Dice loss of each
    /// sample (Fidon et al.: the Wasserstein Dice generalises Dice).
    func testWassersteinDiceOfTwoClassesIsForegroundDice() throws {
        let (x, y) = Self.scores(seed: 62, shape: [3, 2, 4, 5])
        for reduction in ["mean", "none"] {
            let gwdl = try Catalog.make("generalized-wasserstein-dice", ["reduction": .string(reduction)])
                .evaluate(x, target: y, gradient: true)
            let dice = try Catalog.make("dice", ["include_background": false, "reduction": .string(reduction)])
                .evaluate(x, target: y, gradient: true)
            XCTAssertNil(Tolerance.valueMismatch(gwdl.value.data.map(Double.init), dice.value.data.map(Double.init)), reduction)
            XCTAssertNil(Tolerance.valueMismatch(gwdl.gradient!.data.map(Double.init), dice.gradient!.data.map(Double.init)), reduction)
        }
    }

    /// Predicting a neighbouring class costs less than predicting a distant one, and the same as
    /// under the 0/1 distance when the matrix says they are as far apart.
    func testConfusingNeighboursIsCheaper() throws {
        let labels = try Tensor(shape: [1, 1, 4], data: [0, 1, 1, 2])
        func logits(_ predicted: [Int]) throws -> Tensor {
            var data = [Float](repeating: -8, count: 12)
            for (s, c) in predicted.enumerated() { data[c * 4 + s] = 8 }
            return try Tensor(shape: [1, 3, 1, 4], data: data)
        }
        let loss = try Catalog.make("generalized-wasserstein-dice", ["dist_matrix": Self.near])
        let neighbour = try loss.evaluate(try logits([0, 1, 2, 2]), target: labels, gradient: false).value.data[0]
        let distant = try loss.evaluate(try logits([0, 0, 1, 2]), target: labels, gradient: false).value.data[0]
        let zeroOne = try Catalog.make("generalized-wasserstein-dice").evaluate(try logits([0, 1, 2, 2]), target: labels, gradient: false)
        XCTAssertLessThan(neighbour, distant)
        XCTAssertLessThan(neighbour, zeroOne.value.data[0])
    }

    func testWassersteinDiceRejectsBadMatricesAndTargets() throws {
        let (x, y) = Self.scores(seed: 63)
        XCTAssertThrowsError(try Catalog.make("generalized-wasserstein-dice", ["dist_matrix": [0, 0, 0, 0]]))
        XCTAssertThrowsError(try Catalog.make("generalized-wasserstein-dice", ["dist_matrix": [0, 1, 1, 0]]).evaluate(x, target: y, gradient: false))
        XCTAssertThrowsError(try Catalog.make("generalized-wasserstein-dice", ["dist_matrix": [0, -1, 1, 0]]))
        XCTAssertThrowsError(try Catalog.make("generalized-wasserstein-dice").evaluate(x, target: Tensor(shape: x.shape), gradient: false),
                             "a dense target")
        XCTAssertThrowsError(try Catalog.make("generalized-wasserstein-dice").evaluate(Tensor(shape: [2, 1, 4, 5]), target: y, gradient: false))
    }

    // MARK: - hausdorff-er

    func testErosionHausdorffMatchesTheReference() throws {
        let (x, y) = Self.scores(seed: 71, shape: [2, 3, 6, 7])
        let grid: [[String: ParameterValue]] = [
            [:], ["alpha": 1, "erosions": 3], ["include_background": true, "batch": true], ["erosions": 1],
            ["reduction": "sum"], ["reduction": "none"], ["activation": "sigmoid"],
        ]
        for parameters in grid {
            try assertMatchesReference("hausdorff-er", x, y, parameters)
        }
        try assertMatchesReference("hausdorff-er", x, Tensor(shape: y.shape), [:])
        // 3-D.
        let (x3, y3) = Self.scores(seed: 72, shape: [2, 2, 3, 4, 4])
        try assertMatchesReference("hausdorff-er", x3, y3, ["erosions": 3])
    }

    /// One object and eight falsely predicted pixels: as a thick 2 × 4 block they survive more
    /// erosions, and cost more, than as a thin 1 × 8 line (the erosion loss measures how thick an
    /// error region is, a lower bound of the Hausdorff distance); a perfect prediction costs nothing.
    func testErosionHausdorffChargesThickErrorsMore() throws {
        var target = Tensor(shape: [1, 1, 9, 9])
        for r in 2..<5 { for c in 2..<5 { target[[0, 0, r, c]] = 1 } }
        func prediction(_ blob: [(Int, Int)]) -> Tensor {
            var x = Tensor(shape: [1, 1, 9, 9], repeating: -6)
            for i in 0..<81 where target.data[i] == 1 { x.data[i] = 6 }
            for (r, c) in blob { x[[0, 0, r, c]] = 6 }
            return x
        }
        let line = (1..<9).map { (7, $0) }, block = [6, 7].flatMap { r in (5..<9).map { (r, $0) } }
        let loss = try Catalog.make("hausdorff-er", ["activation": "sigmoid", "erosions": 4])
        let perfect = try loss.evaluate(prediction([]), target: target, gradient: true)
        let thin = try loss.evaluate(prediction(line), target: target, gradient: false).value.data[0]
        let thick = try loss.evaluate(prediction(block), target: target, gradient: false).value.data[0]
        XCTAssertEqual(perfect.value.data[0], 0)
        XCTAssertTrue(perfect.gradient!.data.allSatisfy { abs($0) < 1e-6 })
        XCTAssertLessThan(thin, thick)
        try assertMatchesReference("hausdorff-er", prediction(block), target, ["activation": "sigmoid", "erosions": 4])
    }

    /// Every erosion adds a non-negative term: more erosions never lower the loss.
    func testMoreErosionsNeverLowerTheLoss() throws {
        let (x, y) = Self.scores(seed: 73, shape: [2, 3, 6, 7])
        var previous: Float = 0
        for k in 1...5 {
            let v = try Catalog.make("hausdorff-er", ["erosions": .number(Double(k))]).evaluate(x, target: y, gradient: false).value.data[0]
            XCTAssertGreaterThanOrEqual(v, previous)
            previous = v
        }
        XCTAssertThrowsError(try Catalog.make("hausdorff-er", ["erosions": 0]))
    }
}

