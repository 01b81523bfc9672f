import XCTest
import LossReference
@testable import Losses

/// Compound losses: each equals the weighted sum of its components (computed through the
/// catalog), reduces to a component at the extreme weights, matches the reference with
/// finite-difference gradients, stays finite at ±1000, and rejects reduction none.
final class CompoundLossTests: XCTestCase {
    typealias S = LossTestSupport

    private static let ids = ["dice-ce", "dice-focal", "dice-topk", "exp-log", "combo"]

    private func run(_ id: String, _ parameters: [String: ParameterValue] = [:], _ input: Tensor, _ target: Tensor?,
                     gradient: Bool = true) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: gradient)
    }

    /// Asserts `compound` = Σ λ_k · part_k for values and gradients.
    private func assertSum(_ compound: LossOutput, _ parts: [(Double, LossOutput)], _ what: String,
                           file: StaticString = #filePath, line: UInt = #line) {
        let value = parts.reduce(0.0) { $0 + $1.0 * Double($1.1.value.data[0]) }
        XCTAssertEqual(Double(compound.value.data[0]), value, accuracy: 1e-6 * max(1, abs(value)), what, file: file, line: line)
        var grad = [Double](repeating: 0, count: compound.gradient!.count)
        for (w, part) in parts { for i in grad.indices { grad[i] += w * Double(part.gradient!.data[i]) } }
        S.assertClose(compound.gradient!.data, grad, rtol: 1e-5, atol: 1e-8, "\(what): gradient", file: file, line: line)
    }

    func testDiceCEIsDicePlusCrossEntropy() throws {
        var g = S.Generator(seed: 500)
        let x = S.random([2, 3, 4, 5], &g), labels = S.labels([2, 4, 5], classes: 3, &g)
        let p: [String: ParameterValue] = ["lambda_dice": .number(0.3), "lambda_ce": .number(1.7), "label_smoothing": .number(0.1),
                                           "weight": .numbers([0.5, 1, 2]), "include_background": .bool(false), "reduction": .string("sum")]
        assertSum(try run("dice-ce", p, x, labels),
                  [(0.3, try run("dice", ["weight": .numbers([1, 2]), "include_background": .bool(false), "reduction": .string("sum")], x, labels)),
                   (1.7, try run("cross-entropy", ["weight": .numbers([0.5, 1, 2]), "label_smoothing": .number(0.1), "reduction": .string("sum")], x, labels))],
                  "dice-ce")
        // One channel: binary cross entropy on the logits with pos_weight = weight; Dice ignores a single class's weight.
        let x1 = S.random([2, 1, 6], &g), mask = S.tensor([2, 1, 6], (0..<12).map { _ in g.unit() < 0.5 ? 1 : 0 })
        assertSum(try run("dice-ce", ["activation": .string("sigmoid"), "weight": .numbers([2])], x1, mask),
                  [(1, try run("dice", ["activation": .string("sigmoid")], x1, mask)),
                   (1, try run("binary-cross-entropy", ["pos_weight": .numbers([2])], x1, mask))], "dice-ce, one channel")
    }

    func testDiceTopKIsDicePlusTopK() throws {
        var g = S.Generator(seed: 501)
        let x = S.random([2, 3, 6, 5], &g), labels = S.labels([2, 6, 5], classes: 3, &g)
        assertSum(try run("dice-topk", ["k": .number(20), "lambda_topk": .number(0.5)], x, labels),
                  [(1, try run("dice", ["include_background": .bool(false)], x, labels)),
                   (0.5, try run("topk", ["k": .number(20)], x, labels))], "dice-topk")
    }

    /// MONAI's focal term in DiceFocalLoss is the sigmoid focal of the logits (use_softmax is off).
    func testDiceFocalIsDicePlusSigmoidFocal() throws {
        var g = S.Generator(seed: 502)
        let x = S.random([2, 3, 4, 4], &g), labels = S.labels([2, 4, 4], classes: 3, &g)
        assertSum(try run("dice-focal", ["gamma": .number(1.5), "lambda_focal": .number(2)], x, labels),
                  [(1, try run("dice", [:], x, labels)),
                   (2, try run("focal", ["gamma": .number(1.5), "activation": .string("sigmoid")], x, labels))], "dice-focal")
    }

    func testComboAndExpLogReduceToTheirParts() throws {
        var g = S.Generator(seed: 503)
        let x = S.random([2, 3, 5], &g), labels = S.labels([2, 5], classes: 3, &g)
        // α = 0: the Dice loss; α = 1, β = ½, sigmoid: half the mean binary cross entropy.
        assertSum(try run("combo", ["alpha": .number(0)], x, labels), [(1, try run("dice", [:], x, labels))], "combo α = 0")
        var onehot = [Double](repeating: 0, count: 30)
        for n in 0..<2 { for s in 0..<5 { onehot[(n * 3 + Int(labels.data[n * 5 + s])) * 5 + s] = 1 } }
        let dense = S.tensor([2, 3, 5], onehot)
        assertSum(try run("combo", ["alpha": .number(1), "beta": .number(0.5), "activation": .string("sigmoid")], x, dense),
                  [(0.5, try run("binary-cross-entropy", [:], x, dense))], "combo α = 1")
        // exp-log with γ_cross = 1 and no Dice term: w_cross × cross entropy.
        assertSum(try run("exp-log", ["w_dice": .number(0), "w_cross": .number(0.7), "gamma_cross": .number(1)], x, labels),
                  [(0.7, try run("cross-entropy", [:], x, labels))], "exp-log, cross term")
    }

    func testValuesAndGradientsMatchReference() throws {
        var g = S.Generator(seed: 504)
        let x = S.random([2, 3, 4, 3], &g), labels = S.labels([2, 4, 3], classes: 3, &g)
        let variants: [(String, [String: ParameterValue])] = [
            ("dice-ce", [:]), ("dice-ce", ["label_smoothing": .number(0.2), "lambda_dice": .number(0.4)]),
            ("dice-focal", [:]), ("dice-focal", ["include_background": .bool(false), "gamma": .number(0.5)]),
            ("dice-topk", [:]), ("dice-topk", ["k": .number(30)]),
            ("exp-log", [:]), ("exp-log", ["gamma_dice": .number(1.5), "weight": .numbers([1, 2, 0.5]), "batch": .bool(true)]),
            ("combo", [:]), ("combo", ["alpha": .number(0.3), "beta": .number(0.8), "include_background": .bool(false)]),
        ]
        for (id, parameters) in variants {
            try S.assertMatchesReference(id, parameters, input: x, target: labels, reductions: ["mean", "sum"])
        }
        try S.assertMatchesReference("combo", ["activation": .string("sigmoid")], input: x, target: labels, reductions: ["mean"])
    }

    func testPerfectPredictionAndExtremes() throws {
        var g = S.Generator(seed: 505)
        var x = S.random([2, 3, 3, 3], &g)
        for i in stride(from: 0, to: x.count, by: 4) { x.data[i] = i % 8 == 0 ? 1000 : -1000 }
        let labels = S.labels([2, 3, 3], classes: 3, &g)
        for id in Self.ids { S.assertFinite(try run(id, [:], x, labels), id) }
        // Probabilities equal to the one-hot target: every term with a log is finite, combo and exp-log are 0.
        var perfect = [Double](repeating: 0, count: 54)
        for n in 0..<2 { for s in 0..<9 { perfect[(n * 3 + Int(labels.data[n * 9 + s])) * 9 + s] = 1 } }
        let p = S.tensor([2, 3, 3, 3], perfect)
        for id in ["combo", "exp-log", "dice-ce", "dice-topk"] {
            let out = try run(id, ["activation": .string("none")], p, labels)
            S.assertFinite(out, id)
            XCTAssertEqual(Double(out.value.data[0]), 0, accuracy: 1e-5, id)
        }
    }

    func testErrors() {
        let x = S.tensor([1, 3, 2], [0, 1, 2, 3, 4, 5]), labels = S.tensor([1, 2], [0, 2])
        for id in Self.ids {
            S.assertThrows(S.isInvalidParameter, "\(id): reduction none") { _ = try self.run(id, ["reduction": .string("none")], x, labels) }
            S.assertThrows(S.isShapeMismatch, "\(id): target shape") { _ = try self.run(id, [:], x, S.tensor([1, 3], [0, 1, 2])) }
            S.assertThrows(S.isInvalidInput, "\(id): label out of range") { _ = try self.run(id, [:], x, S.tensor([1, 2], [0, 3])) }
        }
        S.assertThrows(S.isInvalidParameter, "dice-ce: weight count") { _ = try self.run("dice-ce", ["weight": .numbers([1, 2])], x, labels) }
        S.assertThrows(S.isInvalidParameter, "dice-ce: λ < 0") { _ = try self.run("dice-ce", ["lambda_ce": .number(-1)], x, labels) }
        S.assertThrows(S.isInvalidInput, "dice-ce: one channel without sigmoid") {
            _ = try self.run("dice-ce", ["activation": .string("none")], S.tensor([1, 1, 2], [0.2, 0.9]), S.tensor([1, 2], [0, 1]))
        }
        S.assertThrows(S.isInvalidParameter, "combo: α > 1") { _ = try self.run("combo", ["alpha": .number(2)], x, labels) }
        S.assertThrows(S.isInvalidParameter, "exp-log: γ = 0") { _ = try self.run("exp-log", ["gamma_dice": .number(0)], x, labels) }
        S.assertThrows(S.isInvalidParameter, "exp-log: weight count") { _ = try self.run("exp-log", ["weight": .numbers([1, 2])], x, labels) }
    }
}
