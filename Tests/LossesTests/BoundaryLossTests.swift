import XCTest
import LossReference
@testable import Losses

/// Boundary and Hausdorff-DT losses: reference values and gradients, spacing identities,
/// empty and full masks, reductions, errors.
final class BoundaryLossTests: XCTestCase {
    typealias S = LossTestSupport

    private func run(_ id: String, _ parameters: [String: ParameterValue] = [:], _ input: Tensor, _ target: Tensor?,
                     gradient: Bool = true) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: gradient)
    }

    func testValuesAndGradientsMatchReference() throws {
        var g = S.Generator(seed: 300)
        let x = S.random([2, 3, 5, 6], &g)
        var labels = S.labels([2, 5, 6], classes: 3, &g)
        for i in 30..<60 where labels.data[i] == 2 { labels.data[i] = 0 }   // class 2 absent from sample 1
        for (id, parameters) in [("boundary", [:]), ("boundary", ["include_background": .bool(false), "batch": .bool(true)]),
                                 ("hausdorff-dt", [:]), ("hausdorff-dt", ["alpha": .number(1), "include_background": .bool(true)]),
                                 ("hausdorff-dt", ["batch": .bool(true)])] as [(String, [String: ParameterValue])] {
            try S.assertMatchesReference(id, parameters, input: x, target: labels)
        }
        // Sigmoid, one channel, 3-D.
        let x3 = S.random([2, 1, 3, 4, 3], &g)
        let mask = S.tensor([2, 1, 3, 4, 3], (0..<72).map { _ in g.unit() < 0.4 ? 1 : 0 })
        for id in ["boundary", "hausdorff-dt"] {
            try S.assertMatchesReference(id, ["activation": .string("sigmoid")], input: x3, target: mask, reductions: ["mean", "none"])
        }
    }

    /// A uniform spacing λ scales every distance by λ, so Hausdorff-DT scales by λ^α.
    func testHausdorffSpacingScalesByPowerAlpha() throws {
        var g = S.Generator(seed: 301)
        let x = S.random([2, 2, 6, 5], &g), labels = S.labels([2, 6, 5], classes: 2, &g)
        let alpha = 1.5, lambda = 0.7
        let unit = try run("hausdorff-dt", ["alpha": .number(alpha)], x, labels)
        let scaled = try run("hausdorff-dt", ["alpha": .number(alpha), "spacing": .numbers([lambda])], x, labels)
        let same = try run("hausdorff-dt", ["alpha": .number(alpha), "spacing": .numbers([lambda, lambda])], x, labels)
        let factor = pow(lambda, alpha)
        XCTAssertEqual(Double(scaled.value.data[0]), factor * Double(unit.value.data[0]), accuracy: 1e-6)
        S.assertClose(scaled.gradient!.data, unit.gradient!.data.map { factor * Double($0) }, rtol: 1e-5, atol: 1e-8, "gradient")
        XCTAssertEqual(scaled.value, same.value)
    }

    /// With a uniform spacing λ, φ_λ = λ·edt outside and −(λ·edt − 1) inside, so
    /// Σφ_λ p = λ·Σφ₁p + (1 − λ)·Σ_{inside} p: checked through the loss itself.
    func testBoundarySpacingKeepsTheOffsetOfOne() throws {
        var g = S.Generator(seed: 302)
        let labels = S.labels([1, 5, 6], classes: 2, &g)
        let p = S.probabilities([1, 2, 5, 6], &g)
        let base: [String: ParameterValue] = ["activation": .string("none"), "include_background": .bool(false)]
        let lambda = 2.5
        let unit = Double(try run("boundary", base, p, labels, gradient: false).value.data[0])
        let scaled = Double(try run("boundary", base.merging(["spacing": .numbers([lambda])]) { $1 }, p, labels, gradient: false).value.data[0])
        var inside = 0.0
        for s in 0..<30 where labels.data[s] == 1 { inside += Double(p.data[30 + s]) }
        XCTAssertEqual(scaled, lambda * unit + (1 - lambda) * inside / 30, accuracy: 1e-6)
    }

    func testEmptyAndFullMasks() throws {
        var g = S.Generator(seed: 303)
        let x = S.random([1, 2, 4, 4], &g)
        // Every position background: class 1 absent (φ = 0, d_g = 0), class 0 full (φ = 0).
        let empty = S.tensor([1, 4, 4], [Double](repeating: 0, count: 16))
        for parameters in [["include_background": .bool(true)], [:]] as [[String: ParameterValue]] {
            let b = try run("boundary", parameters, x, empty)
            XCTAssertEqual(b.value.data, [0])
            XCTAssertTrue(b.gradient!.data.allSatisfy { $0 == 0 })
        }
        // Hausdorff-DT, empty target predicted empty: both maps 0, loss 0.
        let confident = S.tensor([1, 2, 4, 4], [Double](repeating: 5, count: 16) + [Double](repeating: -5, count: 16))
        let h = try run("hausdorff-dt", [:], confident, empty)
        XCTAssertEqual(h.value.data, [0])
        // Empty target, non-empty prediction: only d_p acts, the loss is positive.
        let guess = S.tensor([1, 2, 4, 4], (0..<32).map { $0 == 5 ? 5 : ($0 == 21 ? 8 : 0) })
        XCTAssertGreaterThan(try run("hausdorff-dt", [:], guess, empty, gradient: false).value.data[0], 0)
        // Perfect hard prediction: (p − g)² = 0, so the loss and its gradient vanish.
        let labels = S.labels([1, 4, 4], classes: 2, &g)
        var perfect = [Double](repeating: 0, count: 32)
        for s in 0..<16 { perfect[Int(labels.data[s]) * 16 + s] = 1 }
        let p = try run("hausdorff-dt", ["activation": .string("none")], S.tensor([1, 2, 4, 4], perfect), labels)
        XCTAssertEqual(p.value.data, [0])
        XCTAssertTrue(p.gradient!.data.allSatisfy { $0 == 0 })
    }

    func testExtremeLogitsAndReductions() throws {
        var g = S.Generator(seed: 304)
        var x = S.random([2, 3, 4, 3], &g)
        for i in stride(from: 0, to: x.count, by: 5) { x.data[i] = i % 10 == 0 ? 1000 : -1000 }
        let labels = S.labels([2, 4, 3], classes: 3, &g)
        for id in ["boundary", "hausdorff-dt"] {
            S.assertFinite(try run(id, [:], x, labels), id)
            let kept = id == "boundary" ? 3 : 2
            try S.assertReductionsConsistent(id, [:], input: x, target: labels, denominator: Double(2 * kept))
            XCTAssertEqual(try run(id, ["reduction": .string("none")], x, labels).value.shape, [2, kept], id)
            XCTAssertEqual(try run(id, ["reduction": .string("none"), "batch": .bool(true)], x, labels).value.shape, [kept], id)
        }
    }

    /// Large inputs run the slices concurrently: each sample alone (the serial path) gives the same
    /// per-(sample, class) values and gradient.
    func testConcurrentSlicesMatchSerial() throws {
        var g = S.Generator(seed: 305)
        let shape = [4, 4, 64, 64], per = 4 * 64 * 64
        let x = S.random(shape, &g)
        var labels = [Double](repeating: 0, count: 4 * 64 * 64)
        for i in labels.indices { labels[i] = Double(((i / 64 % 64) / 16 + (i % 64) / 20 + i / 4096) % 4) }
        let target = S.tensor([4, 64, 64], labels)
        for id in ["boundary", "hausdorff-dt"] {
            let whole = try run(id, ["reduction": .string("none")], x, target)
            let kept = whole.value.shape[1]
            for n in 0..<4 {
                let xn = S.tensor([1, 4, 64, 64], x.data[(n * per)..<((n + 1) * per)].map(Double.init))
                let tn = S.tensor([1, 64, 64], Array(labels[(n * 4096)..<((n + 1) * 4096)]))
                let alone = try run(id, ["reduction": .string("none")], xn, tn)
                XCTAssertEqual(Array(whole.value.data[(n * kept)..<((n + 1) * kept)]), alone.value.data, id)
                XCTAssertEqual(Array(whole.gradient!.data[(n * per)..<((n + 1) * per)]), alone.gradient!.data, id)
            }
        }
    }

    func testErrors() {
        let x = S.tensor([1, 2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7])
        let labels = S.tensor([1, 2, 2], [0, 1, 1, 0])
        for id in ["boundary", "hausdorff-dt"] {
            S.assertThrows(S.isInvalidInput, "\(id): spacing count") { _ = try self.run(id, ["spacing": .numbers([1, 1, 1])], x, labels) }
            S.assertThrows(S.isInvalidInput, "\(id): zero spacing") { _ = try self.run(id, ["spacing": .numbers([0, 1])], x, labels) }
            S.assertThrows(S.isShapeMismatch, "\(id): target shape") { _ = try self.run(id, [:], x, S.tensor([1, 4], [0, 1, 1, 0])) }
            S.assertThrows(S.isInvalidInput, "\(id): softmax over one channel") {
                _ = try self.run(id, [:], S.tensor([1, 1, 2, 2], [0, 1, 2, 3]), labels)
            }
        }
        S.assertThrows(S.isInvalidParameter, "hausdorff-dt: α < 0") { _ = try self.run("hausdorff-dt", ["alpha": .number(-1)], x, labels) }
    }
}
