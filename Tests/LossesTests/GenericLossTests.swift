import XCTest
import LossReference
@testable import Losses

/// The generic losses (regression, margin, KL, BCE, perceptual): reference values, gradients by
/// finite differences, reductions, errors and extreme inputs.
final class GenericLossTests: XCTestCase {
    typealias S = LossTestSupport

    /// Inputs kept away from every kink (|x − y| not near 0, β, δ; margins not near 0 or 1), so
    /// central differences are meaningful.
    private func regressionPair(_ shape: [Int], seed: UInt64, avoid kinks: [Double]) -> (Tensor, Tensor) {
        var g = S.Generator(seed: seed)
        var x: [Double] = [], y: [Double] = []
        for _ in 0..<shape.reduce(1, *) {
            let t = g.uniform(-2, 2)
            var d = 0.0
            repeat { d = g.uniform(-3, 3) } while kinks.contains(where: { abs(abs(d) - $0) < 0.05 })
            x.append(t + d)
            y.append(t)
        }
        return (S.tensor(shape, x), S.tensor(shape, y))
    }

    private func marginPair(_ shape: [Int], seed: UInt64) -> (Tensor, Tensor) {
        var g = S.Generator(seed: seed)
        var f: [Double] = [], y: [Double] = []
        for _ in 0..<shape.reduce(1, *) {
            var v = 0.0
            repeat { v = g.uniform(-3, 3) } while abs(v) < 0.05 || abs(abs(v) - 1) < 0.05
            f.append(v)
            y.append(g.unit() < 0.5 ? -1 : 1)
        }
        return (S.tensor(shape, f), S.tensor(shape, y))
    }

    func testRegressionLossesMatchReference() throws {
        let shape = [3, 4, 5]
        let cases: [(String, [String: ParameterValue], [Double])] = [
            ("l1", [:], [0]),
            ("l2", [:], []),
            ("smooth-l1", [:], [0, 1]),
            ("smooth-l1", ["beta": .number(0.4)], [0, 0.4]),
            ("smooth-l1", ["beta": .number(0)], [0]),
            ("huber", [:], [1]),
            ("huber", ["delta": .number(2.2)], [2.2]),
            ("log-cosh", [:], []),
        ]
        for (k, (id, params, kinks)) in cases.enumerated() {
            let (x, y) = regressionPair(shape, seed: UInt64(10 + k), avoid: kinks)
            try S.assertMatchesReference(id, params, input: x, target: y)
        }
    }

    func testMarginLossesMatchReference() throws {
        for (k, id) in ["exponential", "hinge", "squared-hinge", "soft-margin"].enumerated() {
            let (f, y) = marginPair([4, 6], seed: UInt64(20 + k))
            try S.assertMatchesReference(id, [:], input: f, target: y)
        }
        // zero-one: values only (its gradient is 0 wherever it exists).
        let (f, y) = marginPair([4, 6], seed: 30)
        try S.assertMatchesReference("zero-one", [:], input: f, target: y)
        let grad = try Catalog.make("zero-one").evaluate(f, target: y, gradient: true).gradient!
        XCTAssertTrue(grad.data.allSatisfy { $0 == 0 })
    }

    func testZeroOneCountsTiesAndNaNAsErrors() throws {
        let f = S.tensor([4], [0, 0, .nan, 2])
        let y = S.tensor([4], [1, -1, 1, 1])
        let out = try Catalog.make("zero-one", ["reduction": .string("none")]).evaluate(f, target: y, gradient: false)
        XCTAssertEqual(out.value.data, [1, 1, 1, 0])
    }

    func testKLDivergenceMatchesReference() throws {
        var g = S.Generator(seed: 40)
        let q = S.probabilities([3, 5], &g), p = S.probabilities([3, 5], &g)
        let logQ = S.tensor([3, 5], q.data.map { log(Double($0)) })
        try S.assertMatchesReference("kl-divergence", [:], input: logQ, target: p, reductions: ["mean", "sum", "none", "batchmean"])
        let logP = S.tensor([3, 5], p.data.map { log(Double($0)) })
        try S.assertMatchesReference("kl-divergence", ["log_target": .bool(true)], input: logQ, target: logP,
                                     reductions: ["mean", "batchmean"])
    }

    func testKLDivergenceBatchmeanIsSumOverBatch() throws {
        var g = S.Generator(seed: 41)
        let logQ = S.tensor([4, 3], S.probabilities([4, 3], &g).data.map { log(Double($0)) })
        let p = S.probabilities([4, 3], &g)
        let sum = try Catalog.make("kl-divergence", ["reduction": .string("sum")]).evaluate(logQ, target: p, gradient: true)
        let bm = try Catalog.make("kl-divergence", ["reduction": .string("batchmean")]).evaluate(logQ, target: p, gradient: true)
        XCTAssertEqual(Double(bm.value.data[0]), Double(sum.value.data[0]) / 4, accuracy: 1e-6)
        S.assertClose(bm.gradient!.data, sum.gradient!.data.map { Double($0) / 4 }, rtol: 1e-6, atol: 0, "batchmean gradient")
    }

    func testKLDivergenceZeroTargetIsZeroEvenAtMinusInfinity() throws {
        let x = S.tensor([2], [-.infinity, -1])
        let p = S.tensor([2], [0, 1])
        let out = try Catalog.make("kl-divergence", ["reduction": .string("none")]).evaluate(x, target: p, gradient: true)
        XCTAssertEqual(out.value.data[0], 0)
        XCTAssertEqual(Double(out.value.data[1]), 1, accuracy: 1e-7) // 1·(log 1 − (−1))
        XCTAssertEqual(out.gradient!.data, [0, -1])
    }

    func testBinaryCrossEntropyMatchesReference() throws {
        var g = S.Generator(seed: 50)
        let x = S.random([4, 3, 2], &g)
        let soft = S.tensor([4, 3, 2], (0..<24).map { _ in g.unit() })
        try S.assertMatchesReference("binary-cross-entropy", [:], input: x, target: soft)
        try S.assertMatchesReference("binary-cross-entropy",
                                     ["weight": .numbers([0.5, 1, 2]), "pos_weight": .numbers([3, 1, 0.25])],
                                     input: x, target: soft)
        try S.assertMatchesReference("binary-cross-entropy", ["pos_weight": .numbers([2.5])], input: x, target: soft)
        // Probabilities in, as torch.nn.BCELoss.
        let p = S.tensor([4, 3, 2], (0..<24).map { _ in g.uniform(0.05, 0.95) })
        try S.assertMatchesReference("binary-cross-entropy", ["activation": .string("none"), "weight": .numbers([0.5, 1, 2])],
                                     input: p, target: soft)
    }

    func testBinaryCrossEntropyExtremes() throws {
        // Logits ±1000: exact values |x| or 0, finite bounded gradients.
        let x = S.tensor([4], [1000, -1000, 1000, -1000])
        let y = S.tensor([4], [1, 0, 0, 1])
        let out = try Catalog.make("binary-cross-entropy", ["reduction": .string("none")]).evaluate(x, target: y, gradient: true)
        S.assertFinite(out, "bce ±1000")
        XCTAssertEqual(out.value.data, [0, 0, 1000, 1000])
        XCTAssertEqual(out.gradient!.data, [0, 0, 1, -1])
        // Probabilities exactly 0 and 1: the −100 clamp of torch.nn.BCELoss.
        let p = S.tensor([4], [0, 0, 1, 0])
        let probs = try Catalog.make("binary-cross-entropy", ["reduction": .string("none"), "activation": .string("none")])
            .evaluate(p, target: y, gradient: true)
        S.assertFinite(probs, "bce p ∈ {0, 1}")
        XCTAssertEqual(probs.value.data.map(Double.init), [-ClassScores.logClamp, 0, -ClassScores.logClamp, -ClassScores.logClamp])
    }

    func testPerceptualMatchesReference() throws {
        var g = S.Generator(seed: 60)
        let x = S.random([2, 2, 4, 5], &g), y = S.random([2, 2, 4, 5], &g)
        try S.assertMatchesReference("perceptual", [:], input: x, target: y)
        try S.assertMatchesReference("perceptual", ["layer_weights": .numbers([0, 0.5, 2, 1])], input: x, target: y)
        // One-pixel and one-row images still work.
        let a = S.random([1, 1, 1, 3], &g), b = S.random([1, 1, 1, 3], &g)
        try S.assertMatchesReference("perceptual", [:], input: a, target: b)
    }

    func testPerceptualIdentityLayerAloneIsMSE() throws {
        var g = S.Generator(seed: 61)
        let x = S.random([2, 3, 4, 4], &g), y = S.random([2, 3, 4, 4], &g)
        let perceptual = try Catalog.make("perceptual", ["layer_weights": .numbers([1, 0, 0, 0])]).evaluate(x, target: y, gradient: true)
        let mse = try Catalog.make("l2").evaluate(x, target: y, gradient: true)
        XCTAssertEqual(Double(perceptual.value.data[0]), Double(mse.value.data[0]), accuracy: 1e-6)
        S.assertClose(perceptual.gradient!.data, mse.gradient!.data.map(Double.init), rtol: 1e-5, atol: 1e-8, "identity layer gradient")
    }

    func testReductionsAreConsistent() throws {
        let (x, y) = regressionPair([3, 7], seed: 70, avoid: [])
        for id in ["l1", "l2", "smooth-l1", "huber", "log-cosh"] {
            try S.assertReductionsConsistent(id, [:], input: x, target: y, denominator: Double(x.count))
        }
        let (f, s) = marginPair([3, 7], seed: 71)
        for id in ["zero-one", "exponential", "hinge", "squared-hinge", "soft-margin"] {
            try S.assertReductionsConsistent(id, [:], input: f, target: s, denominator: Double(f.count))
        }
        var g = S.Generator(seed: 72)
        let soft = S.tensor([3, 7], (0..<21).map { _ in g.unit() })
        try S.assertReductionsConsistent("binary-cross-entropy", ["pos_weight": .numbers([2])], input: f, target: soft,
                                         denominator: Double(f.count))
        let logQ = S.tensor([3, 7], S.probabilities([3, 7], &g).data.map { log(Double($0)) })
        try S.assertReductionsConsistent("kl-divergence", [:], input: logQ, target: S.probabilities([3, 7], &g),
                                         denominator: Double(logQ.count))
        let a = S.random([3, 2, 3, 3], &g), b = S.random([3, 2, 3, 3], &g)
        try S.assertReductionsConsistent("perceptual", [:], input: a, target: b, denominator: 3)
    }

    func testStableAtHugeErrors() throws {
        let x = S.tensor([2], [1000, -1000]), y = S.tensor([2], [0, 0])
        for id in ["l1", "l2", "smooth-l1", "huber", "log-cosh"] {
            S.assertFinite(try Catalog.make(id).evaluate(x, target: y, gradient: true), id)
        }
        // log cosh(±1000) = 1000 − log 2 (no overflow through cosh).
        let lc = try Catalog.make("log-cosh", ["reduction": .string("none")]).evaluate(x, target: y, gradient: true)
        XCTAssertEqual(Double(lc.value.data[0]), 1000 - log(2.0), accuracy: 1e-3)
        XCTAssertEqual(lc.gradient!.data, [1, -1])
        let sm = try Catalog.make("soft-margin", ["reduction": .string("none")])
            .evaluate(S.tensor([2], [1000, -1000]), target: S.tensor([2], [1, 1]), gradient: true)
        XCTAssertEqual(sm.value.data, [0, 1000])
        S.assertFinite(sm, "soft-margin")
    }

    func testShapeAndParameterErrors() {
        let x = S.tensor([2, 3], [1, 2, 3, 4, 5, 6])
        for id in ["l1", "l2", "huber", "hinge", "kl-divergence", "binary-cross-entropy"] {
            S.assertThrows(S.isShapeMismatch, "\(id) wrong shape") {
                _ = try Catalog.make(id).evaluate(x, target: S.tensor([3, 2], [0, 0, 0, 0, 0, 0]), gradient: false)
            }
            S.assertThrows(S.isShapeMismatch, "\(id) no target") { _ = try Catalog.make(id).evaluate(x, target: nil, gradient: false) }
        }
        for id in ["hinge", "squared-hinge", "exponential", "zero-one"] {
            S.assertThrows(S.isInvalidInput, "\(id) 0/1 labels") {
                _ = try Catalog.make(id).evaluate(x, target: S.tensor([2, 3], [0, 1, 1, 0, 1, 1]), gradient: false)
            }
        }
        S.assertThrows(S.isInvalidParameter, "huber delta 0") { _ = try Catalog.make("huber", ["delta": .number(0)]) }
        S.assertThrows(S.isInvalidParameter, "smooth-l1 beta < 0") { _ = try Catalog.make("smooth-l1", ["beta": .number(-1)]) }
        S.assertThrows(S.isInvalidParameter, "kl reduction") { _ = try Catalog.make("kl-divergence", ["reduction": .string("batch")]) }
        S.assertThrows(S.isInvalidParameter, "perceptual 3 weights") { _ = try Catalog.make("perceptual", ["layer_weights": .numbers([1, 1, 1])]) }
        S.assertThrows(S.isShapeMismatch, "perceptual rank 3") {
            _ = try Catalog.make("perceptual").evaluate(S.tensor([1, 2, 3], [0, 0, 0, 0, 0, 0]), target: S.tensor([1, 2, 3], [0, 0, 0, 0, 0, 0]), gradient: false)
        }
        S.assertThrows(S.isInvalidInput, "kl negative target") {
            _ = try Catalog.make("kl-divergence").evaluate(x, target: S.tensor([2, 3], [-0.1, 0, 0, 0, 0, 0]), gradient: false)
        }
        S.assertThrows(S.isInvalidInput, "bce target > 1") {
            _ = try Catalog.make("binary-cross-entropy").evaluate(x, target: S.tensor([2, 3], [2, 0, 0, 0, 0, 0]), gradient: false)
        }
        S.assertThrows(S.isInvalidInput, "bce probabilities > 1") {
            _ = try Catalog.make("binary-cross-entropy", ["activation": .string("none")])
                .evaluate(x, target: S.tensor([2, 3], [1, 0, 0, 0, 0, 0]), gradient: false)
        }
        S.assertThrows(S.isShapeMismatch, "bce pos_weight length") {
            _ = try Catalog.make("binary-cross-entropy", ["pos_weight": .numbers([1, 2])])
                .evaluate(x, target: S.tensor([2, 3], [1, 0, 0, 0, 0, 0]), gradient: false)
        }
    }

    /// NaN inputs reach the value instead of being hidden (zero-one counts them as errors).
    func testNaNPropagates() throws {
        let x = S.tensor([2], [.nan, 0.5]), y = S.tensor([2], [1, -1])
        for id in ["l1", "l2", "smooth-l1", "huber", "log-cosh", "exponential", "hinge", "squared-hinge", "soft-margin"] {
            XCTAssertTrue(try Catalog.make(id).evaluate(x, target: y, gradient: true).value.data[0].isNaN, id)
        }
        let t = S.tensor([2], [1, 0])
        XCTAssertTrue(try Catalog.make("binary-cross-entropy").evaluate(x, target: t, gradient: true).value.data[0].isNaN)
    }

    func testPeerGoldenCases() throws {
        let ids: Set<String> = ["zero-one", "l1", "l2", "smooth-l1", "huber", "log-cosh", "exponential", "hinge", "squared-hinge",
                                "soft-margin", "kl-divergence", "binary-cross-entropy", "perceptual"]
        let count = try S.assertGoldenCases(ids: ids)
        XCTAssertGreaterThan(count, 0, "no golden cases found for the generic losses")
    }
}
