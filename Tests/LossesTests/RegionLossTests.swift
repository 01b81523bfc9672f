import XCTest
import LossReference
@testable import Losses

/// Region losses: values and gradients against `LossReference` and central differences,
/// identities between the losses (computed, not typed), perfect predictions, empty classes,
/// extreme logits, reductions and errors.
final class RegionLossTests: XCTestCase {
    typealias S = LossTestSupport

    private static let ids = ["sensitivity-specificity", "dice", "iou", "lovasz-softmax", "tversky", "generalized-dice",
                              "focal-tversky", "asymmetric", "penalty-generalized-dice"]

    private func run(_ id: String, _ parameters: [String: ParameterValue] = [:], _ input: Tensor, _ target: Tensor?,
                     gradient: Bool = true) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: gradient)
    }

    /// A one-hot probability tensor `[N, C, S]` (activation none) from labels: a perfect prediction.
    private func oneHot(_ labels: Tensor, classes: Int) -> Tensor {
        let N = labels.shape[0], P = labels.count / N
        var data = [Double](repeating: 0, count: N * classes * P)
        for n in 0..<N { for s in 0..<P { data[(n * classes + Int(labels.data[n * P + s])) * P + s] = 1 } }
        return S.tensor([N, classes] + Array(labels.shape.dropFirst()), data)
    }

    // MARK: - Against the reference

    func testValuesAndGradientsMatchReference() throws {
        var g = S.Generator(seed: 200)
        let x = S.random([2, 3, 4, 5], &g)
        var labels = S.labels([2, 4, 5], classes: 3, &g)
        for i in 0..<20 where labels.data[20 + i] == 2 { labels.data[20 + i] = 1 }   // class 2 absent from sample 1
        let variants: [(String, [String: ParameterValue])] = [
            ("sensitivity-specificity", [:]), ("sensitivity-specificity", ["r": .number(0.3), "batch": .bool(true)]),
            ("dice", [:]), ("dice", ["include_background": .bool(false), "squared_pred": .bool(true)]),
            ("dice", ["jaccard": .bool(true), "batch": .bool(true), "weight": .numbers([0.5, 1, 2])]),
            ("dice", ["smooth_nr": .number(0), "smooth_dr": .number(1)]),
            ("iou", [:]), ("iou", ["include_background": .bool(false), "batch": .bool(true)]),
            ("lovasz-softmax", [:]), ("lovasz-softmax", ["per_image": .bool(true), "classes": .string("all")]),
            ("tversky", ["alpha": .number(0.3), "beta": .number(0.7)]),
            ("generalized-dice", [:]), ("generalized-dice", ["w_type": .string("simple"), "batch": .bool(true)]),
            ("generalized-dice", ["w_type": .string("uniform"), "include_background": .bool(false)]),
            ("focal-tversky", [:]), ("focal-tversky", ["gamma": .number(0.8), "include_background": .bool(false)]),
            ("asymmetric", [:]), ("asymmetric", ["beta": .number(0.5), "batch": .bool(true)]),
            ("penalty-generalized-dice", [:]), ("penalty-generalized-dice", ["k": .number(0), "w_type": .string("simple")]),
        ]
        for (id, parameters) in variants {
            try S.assertMatchesReference(id, parameters, input: x, target: labels)
        }
        // Sigmoid on a dense multi-label target, and probabilities given directly.
        let dense = S.tensor([2, 3, 4, 5], (0..<120).map { _ in g.unit() < 0.4 ? 1 : 0 })
        for id in Self.ids where id != "lovasz-softmax" {
            try S.assertMatchesReference(id, ["activation": .string("sigmoid")], input: x, target: dense, reductions: ["mean"])
        }
        let probabilities = S.probabilities([2, 3, 4, 5], &g)
        for id in Self.ids {
            try S.assertMatchesReference(id, ["activation": .string("none")], input: probabilities, target: labels, reductions: ["mean"])
        }
    }

    func testThreeDimensionalAndOneChannelInputs() throws {
        var g = S.Generator(seed: 201)
        let x = S.random([1, 2, 3, 3, 4], &g)
        let labels = S.labels([1, 3, 3, 4], classes: 2, &g)
        for id in ["dice", "tversky", "generalized-dice", "lovasz-softmax"] {
            try S.assertMatchesReference(id, [:], input: x, target: labels, reductions: ["mean"])
        }
        // One channel with sigmoid: a [N, spatial…] target is the binary map itself.
        let x1 = S.random([2, 1, 6], &g)
        let mask = S.tensor([2, 6], (0..<12).map { _ in g.unit() < 0.5 ? 1 : 0 })
        let a = try run("dice", ["activation": .string("sigmoid")], x1, mask)
        let b = try run("dice", ["activation": .string("sigmoid")], x1, try mask.reshaped([2, 1, 6]))
        XCTAssertEqual(a.value, b.value)
        XCTAssertEqual(a.gradient, b.gradient)
    }

    /// Large enough for the concurrent per-class path of Lovász-Softmax and the parallel sums.
    func testLargeInputsMatchReference() throws {
        var g = S.Generator(seed: 213)
        let x = S.random([2, 2, 128, 128], &g), labels = S.labels([2, 128, 128], classes: 2, &g)
        for (id, parameters) in [("lovasz-softmax", [:]), ("lovasz-softmax", ["per_image": .bool(true)]), ("dice", ["batch": .bool(true)])]
            as [(String, [String: ParameterValue])] {
            let ours = try run(id, parameters, x, labels, gradient: false)
            let reference = try ReferenceLosses.value(id: id, input: S.ref(x), target: S.ref(labels), parameters: S.refParameters(parameters))
            S.assertClose(ours.value.data, reference.data, rtol: 1e-5, atol: 1e-7, id)
        }
        // The concurrent gradient equals the serial one: two halves of the batch evaluated alone
        // (per image, a mean over images) give the same per-element gradient up to the factor 1/2.
        let whole = try run("lovasz-softmax", ["per_image": .bool(true)], x, labels)
        let half = 2 * 128 * 128
        for n in 0..<2 {
            let xn = S.tensor([1, 2, 128, 128], x.data[(n * half)..<((n + 1) * half)].map(Double.init))
            let ln = S.tensor([1, 128, 128], labels.data[(n * 128 * 128)..<((n + 1) * 128 * 128)].map(Double.init))
            let alone = try run("lovasz-softmax", ["per_image": .bool(true)], xn, ln)
            S.assertClose(Array(whole.gradient!.data[(n * half)..<((n + 1) * half)]), alone.gradient!.data.map { Double($0) / 2 },
                          rtol: 1e-5, atol: 1e-9, "image \(n)")
        }
    }

    // MARK: - Identities

    /// Hard masks, no smoothing: IoU = Dice / (2 − Dice), entry by entry.
    func testIoUEqualsDiceOverTwoMinusDiceForHardMasks() throws {
        var g = S.Generator(seed: 202)
        let labels = S.labels([3, 7, 6], classes: 4, &g)
        let predicted = oneHot(S.labels([3, 7, 6], classes: 4, &g), classes: 4)
        let noSmoothing: [String: ParameterValue] = ["smooth_nr": .number(0), "smooth_dr": .number(0),
                                                     "activation": .string("none"), "reduction": .string("none")]
        let dice = try run("dice", noSmoothing, predicted, labels, gradient: false).value.data.map { 1 - Double($0) }
        let iou = try run("iou", noSmoothing, predicted, labels, gradient: false).value.data.map { 1 - Double($0) }
        XCTAssertEqual(dice.count, 12)
        for (d, j) in zip(dice, iou) { XCTAssertEqual(j, d / (2 - d), accuracy: 1e-6) }
    }

    /// MONAI's jaccard Dice is IoU with half the smoothing: iou(s) = dice(jaccard, 2s).
    func testIoUIsJaccardDiceWithDoubledSmoothing() throws {
        var g = S.Generator(seed: 203)
        let x = S.random([2, 3, 5], &g), labels = S.labels([2, 5], classes: 3, &g)
        let iou = try run("iou", ["smooth_nr": .number(0.3), "smooth_dr": .number(0.2)], x, labels)
        let jaccard = try run("dice", ["jaccard": .bool(true), "smooth_nr": .number(0.6), "smooth_dr": .number(0.4)], x, labels)
        XCTAssertEqual(Double(iou.value.data[0]), Double(jaccard.value.data[0]), accuracy: 1e-6)
        S.assertClose(iou.gradient!.data, jaccard.gradient!.data.map(Double.init), rtol: 1e-5, atol: 1e-7, "iou vs jaccard gradient")
    }

    /// Tversky with α = β = ½ and smoothing s is Dice with smoothing 2s; the asymmetric loss
    /// without smoothing is Tversky with
    /// α = 1/(1 + β²), β = β²/(1 + β²).
    func testTverskyAndAsymmetricReduceToKnownLosses() throws {
        var g = S.Generator(seed: 204)
        let x = S.random([2, 3, 4, 2], &g), labels = S.labels([2, 4, 2], classes: 3, &g)
        let tversky = try run("tversky", ["alpha": .number(0.5), "beta": .number(0.5), "reduction": .string("none"),
                                          "smooth_nr": .number(0.01), "smooth_dr": .number(0.03)], x, labels)
        let dice = try run("dice", ["reduction": .string("none"), "smooth_nr": .number(0.02), "smooth_dr": .number(0.06)], x, labels)
        S.assertClose(tversky.value.data, dice.value.data.map(Double.init), rtol: 1e-6, atol: 1e-7, "tversky(½, ½) vs dice")
        S.assertClose(tversky.gradient!.data, dice.gradient!.data.map(Double.init), rtol: 1e-5, atol: 1e-7, "gradients")

        let beta = 1.7, b2 = beta * beta
        let zero: [String: ParameterValue] = ["smooth_nr": .number(0), "smooth_dr": .number(0)]
        let asymmetric = try run("asymmetric", zero.merging(["beta": .number(beta)]) { $1 }, x, labels)
        let equivalent = try run("tversky", zero.merging(["alpha": .number(1 / (1 + b2)), "beta": .number(b2 / (1 + b2))]) { $1 }, x, labels)
        XCTAssertEqual(Double(asymmetric.value.data[0]), Double(equivalent.value.data[0]), accuracy: 1e-6)
        S.assertClose(asymmetric.gradient!.data, equivalent.gradient!.data.map(Double.init), rtol: 1e-5, atol: 1e-7, "asymmetric vs tversky")
    }

    /// Focal Tversky = Tversky^(1/γ) entry by entry; with one entry the gradient follows the chain rule.
    func testFocalTverskyIsTverskyToThePowerOneOverGamma() throws {
        var g = S.Generator(seed: 205)
        let x = S.random([3, 3, 8], &g), labels = S.labels([3, 8], classes: 3, &g)
        let common: [String: ParameterValue] = ["alpha": .number(0.3), "beta": .number(0.7), "reduction": .string("none")]
        let tversky = try run("tversky", common, x, labels, gradient: false).value.data
        for gamma in [1.0, 4.0 / 3.0, 2.5] {
            let focal = try run("focal-tversky", common.merging(["gamma": .number(gamma)]) { $1 }, x, labels, gradient: false).value.data
            S.assertClose(focal, tversky.map { pow(Double($0), 1 / gamma) }, rtol: 1e-5, atol: 1e-7, "γ = \(gamma)")
        }
        // One entry: N = 1, two classes, background excluded.
        let x1 = S.random([1, 2, 9], &g), l1 = S.labels([1, 9], classes: 2, &g)
        let one: [String: ParameterValue] = ["alpha": .number(0.3), "beta": .number(0.7), "include_background": .bool(false)]
        let t = try run("tversky", one, x1, l1)
        let gamma = 4.0 / 3.0
        let f = try run("focal-tversky", one.merging(["gamma": .number(gamma)]) { $1 }, x1, l1)
        let tv = Double(t.value.data[0])
        let slope = (1 / gamma) * pow(tv, 1 / gamma - 1)
        S.assertClose(f.gradient!.data, t.gradient!.data.map { slope * Double($0) }, rtol: 1e-5, atol: 1e-8, "chain rule")
    }

    /// k = 0 is the generalised Dice loss; with one sample the gradient scales by (1 + k)/(1 + k(1 − L))².
    func testPenaltyGeneralizedDiceReducesToGeneralizedDice() throws {
        var g = S.Generator(seed: 206)
        let x = S.random([1, 3, 10], &g), labels = S.labels([1, 10], classes: 3, &g)
        let gd = try run("generalized-dice", [:], x, labels)
        let same = try run("penalty-generalized-dice", ["k": .number(0)], x, labels)
        XCTAssertEqual(gd.value, same.value)
        let k = 2.5
        let penalty = try run("penalty-generalized-dice", ["k": .number(k)], x, labels)
        let L = Double(gd.value.data[0])
        XCTAssertEqual(Double(penalty.value.data[0]), L / (1 + k * (1 - L)), accuracy: 1e-6)
        let slope = (1 + k) / pow(1 + k * (1 - L), 2)
        S.assertClose(penalty.gradient!.data, gd.gradient!.data.map { slope * Double($0) }, rtol: 1e-5, atol: 1e-8, "chain rule")
    }

    /// Hard masks, no smoothing: r·(1 − sensitivity) + (1 − r)·(1 − specificity), from counts.
    func testSensitivitySpecificityOnHardMasks() throws {
        var g = S.Generator(seed: 207)
        let labels = S.labels([1, 30], classes: 2, &g)
        let guess = S.labels([1, 30], classes: 2, &g)
        let r = 0.2
        let out = try run("sensitivity-specificity", ["r": .number(r), "smooth_dr": .number(0), "activation": .string("none"),
                                                      "include_background": .bool(false)], oneHot(guess, classes: 2), labels, gradient: false)
        let truth = labels.data.map { $0 == 1 }, said = guess.data.map { $0 == 1 }
        let tp = Double(zip(truth, said).filter { $0 && $1 }.count), fn = Double(zip(truth, said).filter { $0 && !$1 }.count)
        let tn = Double(zip(truth, said).filter { !$0 && !$1 }.count), fp = Double(zip(truth, said).filter { !$0 && $1 }.count)
        let expected = r * (1 - tp / (tp + fn)) + (1 - r) * (1 - tn / (tn + fp))
        XCTAssertEqual(Double(out.value.data[0]), expected, accuracy: 1e-6)
    }

    /// Ignoring positions (MONAI 1.6 `ignore_index`) is the same as cropping them away, and they
    /// get no gradient.
    func testDiceIgnoreIndexEqualsCropping() throws {
        var g = S.Generator(seed: 211)
        let x = S.random([2, 3, 6], &g)
        var labels = S.labels([2, 6], classes: 3, &g)
        labels.data[5] = 255
        labels.data[11] = 255
        var cropped = [Double](), croppedLabels = [Double]()
        for n in 0..<2 {
            for c in 0..<3 { for s in 0..<5 { cropped.append(Double(x.data[(n * 3 + c) * 6 + s])) } }
            for s in 0..<5 { croppedLabels.append(Double(labels.data[n * 6 + s])) }
        }
        for parameters in [["ignore_index": .number(255)], ["ignore_index": .number(255), "batch": .bool(true), "squared_pred": .bool(true)]]
            as [[String: ParameterValue]] {
            let ignored = try run("dice", parameters, x, labels)
            var plain = parameters
            plain["ignore_index"] = nil
            let reference = try run("dice", plain, S.tensor([2, 3, 5], cropped), S.tensor([2, 5], croppedLabels))
            XCTAssertEqual(Double(ignored.value.data[0]), Double(reference.value.data[0]), accuracy: 1e-6)
            for n in 0..<2 {
                for c in 0..<3 {
                    XCTAssertEqual(ignored.gradient!.data[(n * 3 + c) * 6 + 5], 0)
                    for s in 0..<5 {
                        XCTAssertEqual(Double(ignored.gradient!.data[(n * 3 + c) * 6 + s]),
                                       Double(reference.gradient!.data[(n * 3 + c) * 5 + s]), accuracy: 1e-7)
                    }
                }
            }
        }
        // Without ignore_index the label 255 is out of range.
        S.assertThrows(S.isInvalidInput, "label 255") { _ = try self.run("dice", [:], x, labels) }
    }

    /// soft_label (MONAI): identical to the default form for hard labels; for a soft target
    /// predicted exactly it scores 0, which the default form does not.
    func testSoftLabelForm() throws {
        var g = S.Generator(seed: 212)
        let x = S.random([2, 3, 7], &g), labels = S.labels([2, 7], classes: 3, &g)
        let soft = S.probabilities([2, 3, 7], &g)
        for id in ["dice", "tversky", "generalized-dice"] {
            let hard = try run(id, ["soft_label": .bool(true)], x, labels)
            let plain = try run(id, [:], x, labels)
            XCTAssertEqual(Double(hard.value.data[0]), Double(plain.value.data[0]), accuracy: 1e-6, id)
            S.assertClose(hard.gradient!.data, plain.gradient!.data.map(Double.init), rtol: 1e-5, atol: 1e-8, "\(id) hard labels")
            let exact = try run(id, ["soft_label": .bool(true), "activation": .string("none")], soft, soft, gradient: false)
            XCTAssertEqual(Double(exact.value.data[0]), 0, accuracy: 1e-6, id)
            let original = try run(id, ["activation": .string("none")], soft, soft, gradient: false)
            XCTAssertGreaterThan(original.value.data[0], 0.01, id)
        }
    }

    // MARK: - Perfect predictions, empty classes, extremes

    func testPerfectPredictionScoresZero() throws {
        var g = S.Generator(seed: 208)
        let labels = S.labels([2, 5, 4], classes: 3, &g)
        let perfect = oneHot(labels, classes: 3)
        for id in Self.ids {
            let out = try run(id, ["activation": .string("none")], perfect, labels)
            XCTAssertEqual(Double(out.value.data[0]), 0, accuracy: 1e-6, id)
            S.assertFinite(out, id)
        }
    }

    func testEmptyClassConventions() throws {
        // Class 2 absent from the target.
        let labels = S.tensor([1, 4], [0, 1, 1, 0])
        let absentPredictedAbsent = S.tensor([1, 3, 4], [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0])
        let none: [String: ParameterValue] = ["activation": .string("none"), "reduction": .string("none")]
        for id in ["dice", "iou", "tversky", "asymmetric", "focal-tversky"] {
            let out = try run(id, none, absentPredictedAbsent, labels, gradient: false)
            XCTAssertEqual(out.value.shape, [1, 3], id)
            XCTAssertEqual(Double(out.value.data[2]), 0, accuracy: 1e-6, "\(id): absent and predicted absent")
        }
        // Predicted present where absent: ≈ 1 (1 − s_nr/(P + s_dr)).
        let predictedPresent = S.tensor([1, 3, 4], [0.5, 0, 0, 0.5, 0, 1, 1, 0, 0.5, 0, 0, 0.5])
        let dice = try run("dice", none, predictedPresent, labels, gradient: false)
        XCTAssertEqual(Double(dice.value.data[2]), 1 - 1e-5 / (1 + 1e-5), accuracy: 1e-6)
        // Generalised Dice with every class absent (a one-channel empty target): weights 0, loss 1 − s_nr/s_dr.
        let empty = try run("generalized-dice", ["activation": .string("sigmoid"), "smooth_nr": .number(1e-5), "smooth_dr": .number(2e-5)],
                            S.tensor([1, 1, 3], [0.3, -2, 1]), S.tensor([1, 3], [0, 0, 0]))
        XCTAssertEqual(Double(empty.value.data[0]), 1 - 1e-5 / 2e-5, accuracy: 1e-6)
        XCTAssertTrue(empty.gradient!.data.allSatisfy { $0 == 0 })
        // Sensitivity–specificity: an empty foreground contributes nothing to the first term.
        let ss = try run("sensitivity-specificity", ["r": .number(1), "activation": .string("none"), "reduction": .string("none")],
                         absentPredictedAbsent, labels, gradient: false)
        XCTAssertEqual(ss.value.data[2], 0)
        // Lovász: every position ignored gives 0 and a zero gradient.
        let ignored = S.tensor([1, 4], [-100, -100, -100, -100])
        let lovasz = try run("lovasz-softmax", [:], S.tensor([1, 3, 4], (0..<12).map { Double($0) / 5 }), ignored)
        XCTAssertEqual(lovasz.value.data, [0])
        XCTAssertTrue(lovasz.gradient!.data.allSatisfy { $0 == 0 })
    }

    func testExtremeLogitsGiveFiniteValuesAndGradients() throws {
        var g = S.Generator(seed: 209)
        var x = S.random([2, 3, 3, 3], &g)
        for i in stride(from: 0, to: x.count, by: 4) { x.data[i] = i % 8 == 0 ? 1000 : -1000 }
        let labels = S.labels([2, 3, 3], classes: 3, &g)
        for id in Self.ids {
            S.assertFinite(try run(id, [:], x, labels), id)
            S.assertFinite(try run(id, ["activation": .string("sigmoid")], x, oneHot(labels, classes: 3)), "\(id) sigmoid")
        }
    }

    // MARK: - Reductions and errors

    func testReductionsAndShapes() throws {
        var g = S.Generator(seed: 210)
        let x = S.random([3, 4, 5], &g), labels = S.labels([3, 5], classes: 4, &g)
        for id in ["dice", "iou", "tversky", "focal-tversky", "asymmetric", "sensitivity-specificity"] {
            try S.assertReductionsConsistent(id, [:], input: x, target: labels, denominator: 12)
            try S.assertReductionsConsistent(id, ["include_background": .bool(false)], input: x, target: labels, denominator: 9)
            XCTAssertEqual(try run(id, ["reduction": .string("none")], x, labels).value.shape, [3, 4], id)
            XCTAssertEqual(try run(id, ["reduction": .string("none"), "batch": .bool(true), "include_background": .bool(false)],
                                   x, labels).value.shape, [3], id)
        }
        for id in ["generalized-dice", "penalty-generalized-dice"] {
            try S.assertReductionsConsistent(id, [:], input: x, target: labels, denominator: 3)
            XCTAssertEqual(try run(id, ["reduction": .string("none")], x, labels).value.shape, [3], id)
        }
        try S.assertReductionsConsistent("lovasz-softmax", ["per_image": .bool(true)], input: x, target: labels, denominator: 3)
        XCTAssertEqual(try run("lovasz-softmax", ["reduction": .string("none")], x, labels).value.shape, [1])
    }

    func testErrors() throws {
        let x = S.tensor([1, 3, 4], (0..<12).map { Double($0) / 7 })
        let labels = S.tensor([1, 4], [0, 1, 2, 1])
        for id in Self.ids {
            S.assertThrows(S.isShapeMismatch, "\(id): target shape") { _ = try self.run(id, [:], x, S.tensor([1, 5], [0, 0, 0, 0, 0])) }
            S.assertThrows(S.isShapeMismatch, "\(id): missing target") { _ = try self.run(id, [:], x, nil) }
            S.assertThrows(S.isShapeMismatch, "\(id): rank 1") { _ = try self.run(id, [:], S.tensor([3], [0, 1, 2]), S.tensor([1], [0])) }
            S.assertThrows(S.isInvalidInput, "\(id): label out of range") { _ = try self.run(id, [:], x, S.tensor([1, 4], [0, 1, 3, 1])) }
            S.assertThrows(S.isInvalidInput, "\(id): softmax over one channel") {
                _ = try self.run(id, [:], S.tensor([1, 1, 4], [0, 1, 2, 3]), S.tensor([1, 4], [0, 1, 1, 0]))
            }
            S.assertThrows(S.isInvalidInput, "\(id): probabilities outside [0, 1]") { _ = try self.run(id, ["activation": .string("none")], x, labels) }
            S.assertThrows(S.isInvalidParameter, "\(id): unknown activation") { _ = try self.run(id, ["activation": .string("tanh")], x, labels) }
        }
        S.assertThrows(S.isInvalidParameter, "dice: weight count") { _ = try self.run("dice", ["weight": .numbers([1, 2])], x, labels) }
        S.assertThrows(S.isInvalidParameter, "dice: negative weight") { _ = try self.run("dice", ["weight": .numbers([1, -2, 1])], x, labels) }
        S.assertThrows(S.isInvalidParameter, "tversky: α + β = 0") { _ = try self.run("tversky", ["alpha": .number(0), "beta": .number(0)], x, labels) }
        S.assertThrows(S.isInvalidParameter, "focal-tversky: γ = 0") { _ = try self.run("focal-tversky", ["gamma": .number(0)], x, labels) }
        S.assertThrows(S.isInvalidParameter, "sensitivity-specificity: r > 1") { _ = try self.run("sensitivity-specificity", ["r": .number(1.5)], x, labels) }
        S.assertThrows(S.isInvalidParameter, "generalized-dice: w_type") { _ = try self.run("generalized-dice", ["w_type": .string("cube")], x, labels) }
        S.assertThrows(S.isInvalidParameter, "penalty-generalized-dice: k < 0") { _ = try self.run("penalty-generalized-dice", ["k": .number(-1)], x, labels) }
        S.assertThrows(S.isInvalidParameter, "lovasz-softmax: classes") { _ = try self.run("lovasz-softmax", ["classes": .string("some")], x, labels) }
    }
}
