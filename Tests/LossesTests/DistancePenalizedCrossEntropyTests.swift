import XCTest
import LossReference
@testable import Losses

/// Distance-penalised cross entropy: reference values and gradients, D ≡ 0 equals cross
/// entropy, the bounds 1 ≤ 1 + D ≤ 2, ignored labels, errors.
final class DistancePenalizedCrossEntropyTests: XCTestCase {
    typealias S = LossTestSupport

    private func run(_ id: String, _ parameters: [String: ParameterValue] = [:], _ input: Tensor, _ target: Tensor?,
                     gradient: Bool = true) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: gradient)
    }

    func testValuesAndGradientsMatchReference() throws {
        var g = S.Generator(seed: 400)
        let x = S.random([2, 2, 5, 6], &g)
        let binary = S.labels([2, 5, 6], classes: 2, &g)
        try S.assertMatchesReference("dpce", [:], input: x, target: binary)
        try S.assertMatchesReference("dpce", ["weight": .numbers([0.3, 2]), "label_smoothing": .number(0.1)], input: x, target: binary)
        let x3 = S.random([2, 3, 4, 5], &g)
        var labels = S.labels([2, 4, 5], classes: 3, &g)
        labels.data[3] = -100
        try S.assertMatchesReference("dpce", [:], input: x3, target: labels)
    }

    /// Every sample holds one class only: no boundary, D ≡ 0, exactly cross entropy.
    func testWithoutBoundaryItIsCrossEntropy() throws {
        var g = S.Generator(seed: 401)
        let x = S.random([2, 3, 4, 4], &g)
        let labels = S.tensor([2, 4, 4], [Double](repeating: 2, count: 16) + [Double](repeating: 0, count: 16))
        for parameters in [[:], ["weight": .numbers([1, 0.5, 3]), "label_smoothing": .number(0.2), "reduction": .string("sum")]]
            as [[String: ParameterValue]] {
            let dpce = try run("dpce", parameters, x, labels)
            let ce = try run("cross-entropy", parameters, x, labels)
            XCTAssertEqual(Double(dpce.value.data[0]), Double(ce.value.data[0]), accuracy: 1e-6)
            S.assertClose(dpce.gradient!.data, ce.gradient!.data.map(Double.init), rtol: 1e-6, atol: 1e-8, "gradient")
        }
    }

    /// 1 ≤ 1 + D ≤ 2 position by position, and 1 + D = 2 somewhere next to each boundary.
    func testPenaltyIsBetweenOneAndTwoTimesCrossEntropy() throws {
        var g = S.Generator(seed: 402)
        let x = S.random([1, 2, 6, 7], &g), labels = S.labels([1, 6, 7], classes: 2, &g)
        let none: [String: ParameterValue] = ["reduction": .string("none")]
        let dpce = try run("dpce", none, x, labels, gradient: false).value.data
        let ce = try run("cross-entropy", none, x, labels, gradient: false).value.data
        var doubled = 0
        for (a, b) in zip(dpce, ce) {
            XCTAssertGreaterThanOrEqual(Double(a), Double(b) * (1 - 1e-6))
            XCTAssertLessThanOrEqual(Double(a), 2 * Double(b) * (1 + 1e-6))
            if abs(Double(a) - 2 * Double(b)) <= 1e-6 * Double(b) { doubled += 1 }
        }
        XCTAssertGreaterThan(doubled, 0)
    }

    func testAllIgnoredAndExtremes() throws {
        var g = S.Generator(seed: 403)
        var x = S.random([1, 3, 3, 3], &g)
        let ignored = S.tensor([1, 3, 3], [Double](repeating: -100, count: 9))
        let out = try run("dpce", [:], x, ignored)
        XCTAssertEqual(out.value.data, [0])
        XCTAssertTrue(out.gradient!.data.allSatisfy { $0 == 0 })
        for i in stride(from: 0, to: x.count, by: 3) { x.data[i] = i % 2 == 0 ? 1000 : -1000 }
        S.assertFinite(try run("dpce", [:], x, S.labels([1, 3, 3], classes: 3, &g)), "±1000")
    }

    /// Large inputs compute the per-class maps concurrently: each sample alone gives the same values.
    func testConcurrentMapsMatchSerial() throws {
        var g = S.Generator(seed: 404)
        let per = 4 * 64 * 64
        let x = S.random([4, 4, 64, 64], &g)
        var labels = [Double](repeating: 0, count: 4 * 4096)
        for i in labels.indices { labels[i] = Double(((i / 64 % 64) / 16 + (i % 64) / 20 + i / 4096) % 4) }
        let whole = try run("dpce", ["reduction": .string("none")], x, S.tensor([4, 64, 64], labels))
        for n in 0..<4 {
            let alone = try run("dpce", ["reduction": .string("none")],
                                S.tensor([1, 4, 64, 64], x.data[(n * per)..<((n + 1) * per)].map(Double.init)),
                                S.tensor([1, 64, 64], Array(labels[(n * 4096)..<((n + 1) * 4096)])))
            XCTAssertEqual(Array(whole.value.data[(n * 4096)..<((n + 1) * 4096)]), alone.value.data)
        }
    }

    func testErrors() {
        let x = S.tensor([1, 2, 3], [0, 1, 2, 3, 4, 5])
        S.assertThrows(S.isShapeMismatch, "weight count") { _ = try self.run("dpce", ["weight": .numbers([1, 2, 3])], x, S.tensor([1, 3], [0, 1, 1])) }
        S.assertThrows(S.isInvalidInput, "label out of range") { _ = try self.run("dpce", [:], x, S.tensor([1, 3], [0, 2, 1])) }
        S.assertThrows(S.isInvalidParameter, "sigmoid") { _ = try self.run("dpce", ["activation": .string("sigmoid")], x, S.tensor([1, 3], [0, 1, 1])) }
        S.assertThrows(S.isInvalidInput, "spacing") { _ = try self.run("dpce", ["spacing": .numbers([1, 2])], x, S.tensor([1, 3], [0, 1, 1])) }
    }
}
