import Foundation
import LossReference
import Losses
import XCTest

/// MONAI's soft clDice (`cldice`) against the Float64 reference and finite differences, and its
/// special cases: 2-D and 3-D, empty targets, the tie rules of the soft skeleton (checked along
/// directions that keep every tie), what it adds over Dice on a thin structure, and the inputs it
/// rejects. Peer values: `monai-topology.json` (PeerGoldenTests).
final class ClDiceLossTests: XCTestCase {
    let id = "cldice"

    func evaluate(_ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:],
                  id: String = "cldice") throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: true)
    }

    func reference(_ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:]) throws -> [Double] {
        try ReferenceLosses.value(id: id, input: RefArray(input), target: RefArray(target),
                                  parameters: referenceParameters(id, parameters)).data
    }

    static func random(_ shape: [Int], seed: UInt64, _ make: (inout SeededGenerator) -> Float) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        var t = Tensor(shape: shape)
        for i in 0..<t.count { t.data[i] = make(&rng) }
        return t
    }

    /// Logits [N, C, spatial…] and class labels [N, spatial…].
    static func scores(_ shape: [Int], seed: UInt64) -> (Tensor, Tensor) {
        let logits = random(shape, seed: seed) { $0.normal(2) }
        let labels = random([shape[0]] + Array(shape.dropFirst(2)), seed: seed + 1) { Float($0.integer(shape[1])) }
        return (logits, labels)
    }

    // MARK: - Against the reference and finite differences

    func testValuesMatchTheReference() throws {
        let settings: [[String: ParameterValue]] = [
            [:], ["include_background": false], ["iter_": 0], ["iter_": 5], ["smooth_nr": 0.5, "smooth_dr": 2, "smooth": 0.01],
        ]
        for shape in [[2, 3, 7, 6], [2, 2, 3, 4, 5]] {
            let (x, y) = Self.scores(shape, seed: UInt64(shape.count))
            for parameters in settings {
                for reduction in ["mean", "sum", "none"] {
                    var p = parameters
                    p["reduction"] = .string(reduction)
                    let ours = try evaluate(x, y, p).value
                    XCTAssertEqual(ours.shape, reduction == "none" ? [shape[0]] : [])
                    XCTAssertNil(Tolerance.valueMismatch(ours.data.map(Double.init), try reference(x, y, p)), "\(shape) \(p)")
                }
            }
        }
    }

    func testGradientMatchesFiniteDifferences() throws {
        // Softmax logits (2-D, 3-D), sigmoid with one channel, probabilities given directly.
        var cases: [(Tensor, Tensor, [String: ParameterValue])] = []
        let (x2, y2) = Self.scores([2, 3, 6, 5], seed: 11)
        cases.append((x2, y2, ["reduction": "sum"]))
        cases.append((x2, y2, ["include_background": false, "iter_": 1]))
        let (x3, y3) = Self.scores([1, 2, 3, 4, 4], seed: 12)
        cases.append((x3, y3, [:]))
        let xb = Self.random([2, 1, 6, 6], seed: 13) { $0.normal(2) }
        let yb = Self.random([2, 1, 6, 6], seed: 14) { Float($0.integer(2)) }
        cases.append((xb, yb, ["activation": "sigmoid", "reduction": "none"]))
        let pb = Self.random([1, 1, 7, 7], seed: 15) { $0.uniform(0.05...0.95) }
        cases.append((pb, Self.random([1, 1, 7, 7], seed: 16) { Float($0.integer(2)) }, ["activation": "none", "iter_": 4]))
        for (x, y, p) in cases {
            let ours = try XCTUnwrap(try evaluate(x, y, p).gradient).data.map(Double.init)
            let fd = try finiteDifferences(id, input: RefArray(x), target: RefArray(y), parameters: referenceParameters(id, p))
            XCTAssertFalse(fd.kink.allSatisfy { $0 }, "\(p): every element at a kink")
            XCTAssertNil(Tolerance.gradientMismatch(ours, fd.gradient, skip: fd.kink), "\(x.shape) \(p)")
            XCTAssertTrue(ours.contains { abs($0) > 1e-4 }, "\(p): the test must see a gradient")
        }
    }

    /// Probabilities on a coarse grid tie everywhere: which tied element a window's gradient goes
    /// to is autograd's choice (checked against MONAI in the golden cases), but moving every pixel of
    /// one level together keeps every tie, so along that direction the loss is smooth and its
    /// derivative is ⟨gradient, direction⟩ whatever the choice.
    func testTiesAlongTieKeepingDirections() throws {
        for shape in [[1, 1, 8, 8], [1, 1, 4, 5, 5]] {
            let levels: [Float] = [0.1, 0.3, 0.5, 0.7, 0.9]
            let x = Self.random(shape, seed: 21) { levels[$0.integer(levels.count)] }
            let y = Self.random(shape, seed: 22) { Float($0.integer(2)) }
            let p: [String: ParameterValue] = ["activation": "none"]
            let grad = try XCTUnwrap(try evaluate(x, y, p).gradient).data.map(Double.init)
            let parameters = try referenceParameters(id, p)
            var checked = 0
            for level in levels {
                let direction = x.data.map { $0 == level ? 1.0 : 0.0 }
                guard direction.contains(1) else { continue }
                let h = 1e-6
                var up = RefArray(x), down = RefArray(x)
                for i in direction.indices where direction[i] == 1 {
                    up.data[i] += h
                    down.data[i] -= h
                }
                let fd = (try ReferenceLosses.value(id: id, input: up, target: RefArray(y), parameters: parameters).data.reduce(0, +)
                        - ReferenceLosses.value(id: id, input: down, target: RefArray(y), parameters: parameters).data.reduce(0, +)) / (2 * h)
                let ours = zip(grad, direction).map { $0 * $1 }.reduce(0, +)
                XCTAssertEqual(ours, fd, accuracy: 1e-4 * max(1, abs(fd)), "\(shape) level \(level)")
                checked += 1
            }
            XCTAssertGreaterThan(checked, 2)
        }
    }

    /// The directional check above can fail: a gradient that gives a tied window's share to every
    /// tied element (rather than to one) changes ⟨gradient, direction⟩.
    func testTheDirectionalCheckCanFail() throws {
        let x = Self.random([1, 1, 8, 8], seed: 21) { [0.1, 0.3, 0.5, 0.7, 0.9][$0.integer(5)] }
        let y = Self.random([1, 1, 8, 8], seed: 22) { Float($0.integer(2)) }
        let grad = try XCTUnwrap(try evaluate(x, y, ["activation": "none"]).gradient).data.map(Double.init)
        var wrong = grad
        wrong[wrong.indices.first { wrong[$0] != 0 }!] *= 2
        let direction = x.data.map { $0 == x.data[wrong.indices.first { grad[$0] != 0 }!] ? 1.0 : 0.0 }
        let dot = { (g: [Double]) in zip(g, direction).map { $0 * $1 }.reduce(0, +) }
        XCTAssertNotEqual(dot(grad), dot(wrong), accuracy: 1e-6)
    }

    // MARK: - Special cases

    /// An empty target has an empty skeleton: T_sens = s_nr/s_dr, the loss follows T_prec alone; with
    /// no smoothing it is 0/0 = NaN, as MONAI.
    func testEmptyTarget() throws {
        let x = Self.random([2, 1, 6, 6], seed: 31) { $0.normal(2) }
        let empty = Tensor(shape: [2, 1, 6, 6])
        let p: [String: ParameterValue] = ["activation": "sigmoid", "reduction": "none"]
        let out = try evaluate(x, empty, p)
        XCTAssertNil(Tolerance.valueMismatch(out.value.data.map(Double.init), try reference(x, empty, p)))
        XCTAssertTrue(out.value.data.allSatisfy { $0.isFinite && $0 > 0 })
        XCTAssertTrue(try XCTUnwrap(out.gradient).data.allSatisfy(\.isFinite))
        var bare = p
        bare["smooth_nr"] = 0
        bare["smooth_dr"] = 0
        XCTAssertTrue(try evaluate(x, empty, bare).value.data.allSatisfy(\.isNaN))
        // An empty target predicted empty (probabilities 0) scores 1 − 2·1·1/(2 + smooth) ≈ 0.
        let zeros = Tensor(shape: [2, 1, 6, 6])
        let perfect = try evaluate(zeros, empty, ["activation": "none"]).value.data[0]
        XCTAssertEqual(Double(perfect), try reference(zeros, empty, ["activation": "none"])[0], accuracy: 1e-7)
        XCTAssertLessThan(perfect, 1e-4)
    }

    /// A perfect hard prediction of a target scores (almost) 0; the worst scores (almost) 1.
    func testPerfectAndWrongPredictions() throws {
        let y = Self.random([1, 1, 9, 9], seed: 41) { Float($0.integer(2)) }
        let perfect = try evaluate(y, y, ["activation": "none"]).value.data[0]
        XCTAssertLessThan(perfect, 0.05)
        var inverted = y
        inverted.data = y.data.map { 1 - $0 }
        XCTAssertGreaterThan(try evaluate(inverted, y, ["activation": "none"]).value.data[0], 0.5)
    }

    /// What clDice adds over Dice: a thick vessel and a one-pixel-wide one, the thin one broken in
    /// the middle. Dice loses two pixels of many; clDice loses the part of the skeleton the gap cuts,
    /// and the thin vessel's skeleton is as long as the thick one's.
    func testABrokenThinVesselCostsClDiceMoreThanDice() throws {
        func vessels(gap: Bool) throws -> Tensor {
            var t = Tensor(shape: [1, 1, 10, 15])
            for w in 1..<14 {
                for h in 1...5 { t[[0, 0, h, w]] = 1 }
                if !(gap && (w == 7 || w == 8)) { t[[0, 0, 8, w]] = 1 }
            }
            return t
        }
        let target = try vessels(gap: false), broken = try vessels(gap: true)
        let p: [String: ParameterValue] = ["activation": "none", "smooth_nr": 1, "smooth_dr": 1]
        func cost(_ id: String) throws -> Float {
            try evaluate(broken, target, p, id: id).value.data[0] - evaluate(target, target, p, id: id).value.data[0]
        }
        let dice = try cost("dice"), cldice = try cost("cldice")
        XCTAssertGreaterThan(dice, 0)
        XCTAssertGreaterThan(cldice, 2 * dice)
    }

    func testNaNPropagates() throws {
        var x = Self.random([1, 1, 5, 5], seed: 51) { $0.normal(1) }
        x.data[12] = .nan
        let y = Self.random([1, 1, 5, 5], seed: 52) { Float($0.integer(2)) }
        XCTAssertTrue(try evaluate(x, y, ["activation": "sigmoid"]).value.data[0].isNaN)
    }

    /// The soft skeleton is 2-D or 3-D (MONAI's pooling); softmax over one channel is identically 1.
    func testRejectedInputs() throws {
        let loss = try Catalog.make(id, ["activation": "sigmoid"])
        XCTAssertThrowsError(try loss.evaluate(Tensor(shape: [1, 1, 8]), target: Tensor(shape: [1, 1, 8]), gradient: false))
        XCTAssertThrowsError(try loss.evaluate(Tensor(shape: [1, 1, 2, 2, 2, 2]), target: Tensor(shape: [1, 1, 2, 2, 2, 2]),
                                               gradient: false))
        XCTAssertThrowsError(try Catalog.make(id, [:]).evaluate(Tensor(shape: [1, 1, 4, 4]), target: Tensor(shape: [1, 4, 4]),
                                                                 gradient: false))
        XCTAssertThrowsError(try Catalog.make(id, ["smooth": 0]))
        XCTAssertThrowsError(try Catalog.make(id, ["iter_": -1]))
        XCTAssertThrowsError(try Catalog.make(id, ["iter_": 1.5]))
    }

    func testTypedInitialiserIsTheCatalogLoss() throws {
        let (x, y) = Self.scores([2, 3, 5, 5], seed: 61)
        let typed = try ClDiceLoss(iter: 2, smoothNr: 0.5, smoothDr: 2, smooth: 1e-3, includeBackground: false,
                                   activation: .softmax, reduction: .none)
        let catalog = try Catalog.make(id, ["iter_": 2, "smooth_nr": 0.5, "smooth_dr": 2, "smooth": 1e-3,
                                            "include_background": false, "reduction": "none"])
        XCTAssertEqual(try typed.evaluate(x, target: y, gradient: true), try catalog.evaluate(x, target: y, gradient: true))
    }
}
