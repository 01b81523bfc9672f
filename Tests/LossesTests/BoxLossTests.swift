import Foundation
import LossReference
import Losses
import XCTest

/// The special cases of torchvision's box losses that the random reference grid does not reach:
/// identical boxes (every edge a tie: autograd's half shares), disjoint, enclosed and zero-area
/// boxes, CIoU's detached α, the empty batch, non-finite coordinates and wrong shapes. Their peer
/// values are in `torchvision-boxes.json` (PeerGoldenTests).
final class BoxLossTests: XCTestCase {
    static let ids = ["box-iou", "giou", "diou", "ciou"]

    func t(_ shape: [Int], _ data: [Float]) throws -> Tensor { try Tensor(shape: shape, data: data) }

    func evaluate(_ id: String, _ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:]) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: true)
    }

    func reference(_ id: String, _ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:]) throws -> [Double] {
        try ReferenceLosses.value(id: id, input: RefArray(input), target: RefArray(target),
                                  parameters: referenceParameters(id, parameters)).data
    }

    /// Central differences of the reference, without the kink detector: at a tie they are the
    /// mean of the two one-sided derivatives, which is what autograd's half shares give.
    func centralDifferences(_ id: String, _ input: Tensor, _ target: Tensor, _ parameters: [String: ParameterValue] = [:]) throws -> [Double] {
        try ReferenceLosses.finiteDifferenceGradient(id: id, input: RefArray(input), target: RefArray(target),
                                                     parameters: referenceParameters(id, parameters)).data
    }

    // MARK: - Identical, disjoint, enclosed

    /// Identical boxes: every edge ties, the loss is 0 up to ε, and the gradient is the mean of
    /// the one-sided derivatives (torch.maximum/minimum's half shares), not either side's.
    func testIdenticalBoxesGiveZeroAndHalfShares() throws {
        let boxes = try t([2, 4], [1, 2, 4, 6, 0.5, 0.25, 3, 1.75])
        for id in Self.ids {
            let out = try evaluate(id, boxes, boxes)
            for v in out.value.data { XCTAssertLessThan(abs(v), 1e-6, id) }
            XCTAssertNil(Tolerance.valueMismatch(out.value.data.map(Double.init), try reference(id, boxes, boxes)), id)
            // Gradients are ε-sized here: compare relative to themselves (ε = 0.1 makes them O(0.01)).
            // CIoU keeps ε = 1e-7 inside, so its gradient stays ε-sized: checked against DIoU's below.
            guard id != "ciou" else { continue }
            let big: [String: ParameterValue] = ["eps": .number(0.1)]
            let ours = try XCTUnwrap(try evaluate(id, boxes, boxes, big).gradient).data.map(Double.init)
            let fd = try centralDifferences(id, boxes, boxes, big)
            XCTAssertNil(Tolerance.gradientMismatch(ours, fd), "\(id): \(ours) vs \(fd)")
            XCTAssertTrue(ours.contains { $0 != 0 }, "\(id): the test must see a gradient")
        }
        // Same aspect ratio: v = 0 and ∂v = 0, so CIoU's gradient is DIoU's (ε = 1e-7).
        let ciou = try XCTUnwrap(try evaluate("ciou", boxes, boxes, ["eps": .number(0.1)]).gradient).data.map(Double.init)
        let diou = try XCTUnwrap(try evaluate("diou", boxes, boxes).gradient).data.map(Double.init)
        XCTAssertEqual(ciou, diou)
    }

    /// The half share is what makes the identical-box gradient right: a full share on the tied
    /// intersection edge gives a different gradient (so the test above can fail).
    func testTheTieRuleIsVisible() throws {
        let boxes = try t([4], [1, 2, 4, 6])
        let ours = try XCTUnwrap(try evaluate("box-iou", boxes, boxes, ["eps": .number(0.1)]).gradient).data.map(Double.init)
        var nudged = boxes
        nudged.data[0] += 1e-3 // x1 wins max(x1, x1ᵍ): the intersection edge moves with it
        let oneSided = try XCTUnwrap(try evaluate("box-iou", nudged, boxes, ["eps": .number(0.1)]).gradient).data.map(Double.init)
        XCTAssertNotNil(Tolerance.gradientMismatch(ours, oneSided))
    }

    func testDisjointBoxes() throws {
        let p = try t([3, 4], [0, 0, 1, 1, 0, 0, 2, 1, 0, 0, 1, 1])
        let g = try t([3, 4], [3, 0, 4, 1, 4, 3, 5, 5, 1, 0, 2, 1]) // the last shares an edge only
        let iou = try evaluate("box-iou", p, g)
        XCTAssertEqual(iou.value.data, [1, 1, 1])
        XCTAssertEqual(try XCTUnwrap(iou.gradient).data, [Float](repeating: 0, count: 12), "no overlap, no IoU gradient")
        for id in ["giou", "diou", "ciou"] {
            let out = try evaluate(id, p, g)
            XCTAssertNil(Tolerance.valueMismatch(out.value.data.map(Double.init), try reference(id, p, g)), id)
            for i in 0..<2 {
                XCTAssertGreaterThan(out.value.data[i], 1, "\(id): the penalty counts the gap")
                XCTAssertTrue((0..<4).contains { try! XCTUnwrap(out.gradient).data[4 * i + $0] != 0 }, "\(id): disjoint boxes still move")
            }
        }
        // Farther apart costs more (GIoU and DIoU grow with the gap).
        let near = try t([4], [0, 0, 1, 1]), target = try t([4], [2, 0, 3, 1]), farther = try t([4], [-3, 0, -2, 1])
        for id in ["giou", "diou"] {
            XCTAssertLessThan(try evaluate(id, near, target).value.data[0], try evaluate(id, farther, target).value.data[0], id)
        }
    }

    /// A box inside the other: C = U, so GIoU is the IoU loss; concentric boxes: ρ = 0, so DIoU is too.
    func testEnclosedBoxes() throws {
        let inner = try t([4], [1, 1, 2, 3]), outer = try t([4], [0, 0, 4, 4])
        let iou = try evaluate("box-iou", inner, outer).value.data[0]
        XCTAssertEqual(Double(iou), 1 - 2.0 / (16 + 1e-7), accuracy: 1e-6)
        XCTAssertEqual(try evaluate("giou", inner, outer).value.data[0], iou, accuracy: 1e-6)
        XCTAssertGreaterThan(try evaluate("diou", inner, outer).value.data[0], iou + 1e-3, "off-centre: ρ > 0")
        let concentric = try t([4], [1, 1, 3, 3])
        XCTAssertEqual(try evaluate("diou", concentric, outer).value.data[0], try evaluate("box-iou", concentric, outer).value.data[0],
                       accuracy: 1e-6)
        // Same aspect ratio: v = 0, so CIoU is DIoU.
        XCTAssertEqual(try evaluate("ciou", concentric, outer).value.data[0], try evaluate("diou", concentric, outer).value.data[0],
                       accuracy: 1e-6)
        for id in Self.ids {
            let out = try evaluate(id, inner, outer)
            XCTAssertNil(Tolerance.valueMismatch(out.value.data.map(Double.init), try reference(id, inner, outer)), id)
        }
    }

    // MARK: - Zero-area boxes

    func testZeroAreaBoxesAreFinite() throws {
        let p = try t([4, 4], [1, 1, 1, 3, 1, 1, 3, 1, 1, 1, 1, 1, 0, 0, 2, 0])
        let g = try t([4, 4], [0, 0, 2, 2, 0, 0, 2, 2, 1, 1, 1, 1, 0, 0, 2, 0])
        for id in Self.ids {
            let out = try evaluate(id, p, g)
            XCTAssertTrue(out.value.data.allSatisfy(\.isFinite), "\(id): \(out.value.data)")
            XCTAssertTrue(try XCTUnwrap(out.gradient).data.allSatisfy(\.isFinite), "\(id): \(out.gradient!.data)")
            XCTAssertNil(Tolerance.valueMismatch(out.value.data.map(Double.init), try reference(id, p, g)), id)
        }
        // Two coincident zero-area boxes: I = U = 0, IoU = 0/ε = 0.
        XCTAssertEqual(try evaluate("box-iou", p, g).value.data[2], 1)
        XCTAssertTrue(try evaluate("box-iou", p, g, ["eps": .number(0)]).value.data[2].isNaN, "0/0 with ε = 0, as torchvision")
    }

    /// At height 0 torchvision's CIoU gradient is NaN (∂ arctan(w/h) at h = 0); ours is the
    /// limit as h → 0⁺, which the gradient at a tiny height approaches. Compared on the α v part
    /// (CIoU − DIoU): the IoU part itself jumps at h = 0 (the overlap must be strictly positive).
    func testCIoUZeroHeightGradientIsTheLimit() throws {
        let target = try t([4], [0, 0, 2, 3])
        func aspectPart(_ box: [Float]) throws -> [Double] {
            let ciou = try XCTUnwrap(try evaluate("ciou", try t([4], box), target).gradient).data
            let diou = try XCTUnwrap(try evaluate("diou", try t([4], box), target).gradient).data
            return zip(ciou, diou).map { Double($0) - Double($1) }
        }
        let flat = try aspectPart([0.5, 1, 2.5, 1]), thin = try aspectPart([0.5, 1, 2.5, 1.0001])
        XCTAssertTrue(flat.allSatisfy(\.isFinite))
        XCTAssertTrue(flat.contains { abs($0) > 1e-3 }, "the aspect term must pull: \(flat)")
        XCTAssertNil(Tolerance.gradientMismatch(flat, thin, rtol: 1e-3, atol: 1e-3), "\(flat) vs \(thin)")
    }

    // MARK: - CIoU's detached α

    /// ∂/∂p of DIoU + α·v with α frozen at its value: the reference's DIoU (ε = 1e-7, as inside
    /// torchvision's CIoU) differenced, plus α times the differences of v written out here.
    func testCIoUGradientHoldsAlphaConstant() throws {
        var rng = SeededGenerator(seed: 172)
        let (p, g) = BoxCases.boxes(6, spread: 1.5, &rng)
        for eps in [1e-7, 0.3] {
            let parameters: [String: ParameterValue] = ["eps": .number(eps), "reduction": .string("sum")]
            let ours = try XCTUnwrap(try evaluate("ciou", p, g, parameters).gradient).data.map(Double.init)
            let diou = try centralDifferences("diou", p, g, ["reduction": .string("sum")])
            let iouLoss = try reference("box-iou", p, g)
            var expected = diou
            for i in 0..<6 {
                let box = (0..<4).map { Double(p.data[4 * i + $0]) }, truth = (0..<4).map { Double(g.data[4 * i + $0]) }
                func v(_ b: [Double]) -> Double {
                    4 / (Double.pi * Double.pi) * pow(atan((truth[2] - truth[0]) / (truth[3] - truth[1])) - atan((b[2] - b[0]) / (b[3] - b[1])), 2)
                }
                let alpha = v(box) / (iouLoss[i] + v(box) + eps)
                for k in 0..<4 {
                    var up = box, down = box
                    up[k] += 1e-6
                    down[k] -= 1e-6
                    expected[4 * i + k] += alpha * (v(up) - v(down)) / 2e-6
                }
            }
            XCTAssertNil(Tolerance.gradientMismatch(ours, expected), "eps \(eps)")
            // The textbook derivative (α differentiated too) is a different number: the test can tell.
            let textbook = try centralDifferences("ciou", p, g, parameters)
            XCTAssertNotNil(Tolerance.gradientMismatch(ours, textbook), "eps \(eps)")
        }
    }

    // MARK: - Reductions, empty input, bad input

    func testReductionsAndEmptyBatch() throws {
        var rng = SeededGenerator(seed: 9)
        let (p, g) = BoxCases.boxes(5, spread: 1.5, &rng)
        let empty = Tensor(shape: [0, 4])
        for id in Self.ids {
            let none = try evaluate(id, p, g)
            XCTAssertEqual(none.value.shape, [5], "\(id): torchvision's default reduction is none")
            let sum = none.value.data.map(Double.init).reduce(0, +)
            XCTAssertEqual(Double(try evaluate(id, p, g, ["reduction": .string("sum")]).value.data[0]), sum, accuracy: 1e-5 * sum)
            XCTAssertEqual(Double(try evaluate(id, p, g, ["reduction": .string("mean")]).value.data[0]), sum / 5, accuracy: 1e-5 * sum)
            let mean = try evaluate(id, empty, empty, ["reduction": .string("mean")])
            XCTAssertEqual(mean.value.data, [0], "\(id): torchvision's mean of no boxes is 0")
            XCTAssertEqual(try evaluate(id, empty, empty).value.shape, [0])
        }
    }

    func testNonFiniteCoordinatesGiveNaNAndBadShapesThrow() throws {
        let p = try t([2, 4], [0, 0, 1, 1, .nan, 0, 1, 1]), g = try t([2, 4], [0, 0, 2, 2, 0, 0, 2, 2])
        for id in Self.ids {
            let out = try evaluate(id, p, g)
            XCTAssertTrue(out.value.data[0].isFinite, id)
            XCTAssertTrue(out.value.data[1].isNaN, id)
            XCTAssertTrue(try XCTUnwrap(out.gradient).data[4...].allSatisfy(\.isNaN), id)
            XCTAssertTrue(try reference(id, p, g)[1].isNaN, id)
            XCTAssertThrowsError(try evaluate(id, try t([2, 3], [0, 0, 1, 0, 0, 1]), try t([2, 3], [0, 0, 1, 0, 0, 1])), "\(id): [N, 3]")
            XCTAssertThrowsError(try evaluate(id, g, try t([4], [0, 0, 1, 1])), "\(id): target of another shape")
        }
    }

    func testDescriptors() throws {
        for id in Self.ids {
            let d = try Catalog.descriptor(for: id)
            XCTAssertEqual(d.category, .detection)
            XCTAssertEqual(d.parameters.map(\.name), ["eps", "reduction"])
            XCTAssertEqual(d.parameters.first { $0.name == "reduction" }?.defaultValue, .string("none"))
            XCTAssertEqual(d.parameters.first { $0.name == "eps" }?.defaultValue, .number(1e-7))
            XCTAssertFalse(d.peers.isEmpty)
        }
    }
}
