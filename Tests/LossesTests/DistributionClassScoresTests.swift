import Foundation
import XCTest
@testable import Losses

/// The shared class-score helpers (`ClassScores`, `ClassProbabilities.backward`, `Reduce`),
/// checked against plain `Double` formulas and finite differences written here.
final class DistributionClassScoresTests: XCTestCase {
    typealias S = LossTestSupport

    /// softmax over axis 1 in Double, straight from the definition (moderate logits only).
    private func softmax(_ x: [Double], _ N: Int, _ C: Int, _ Sp: Int) -> [Double] {
        var p = x
        for n in 0..<N {
            for s in 0..<Sp {
                let z = (0..<C).reduce(0.0) { $0 + exp(x[(n * C + $1) * Sp + s]) }
                for c in 0..<C { p[(n * C + c) * Sp + s] = exp(x[(n * C + c) * Sp + s]) / z }
            }
        }
        return p
    }

    func testSoftmaxAndSigmoidMatchDefinitions() throws {
        var g = S.Generator(seed: 200)
        let x = S.random([2, 4, 3], &g)
        let layout = try ClassScores.layout(of: x)
        let xs = x.data.map(Double.init)
        let soft = try ClassScores.activate(x, layout: layout, activation: .softmax, complement: true)
        let expected = softmax(xs, 2, 4, 3)
        S.assertClose(soft.p, expected, rtol: 1e-6, atol: 1e-7, "softmax")
        S.assertClose(soft.logP, expected.map { log($0) }, rtol: 1e-6, atol: 1e-6, "log-softmax")
        S.assertClose(soft.logQ!, expected.map { log(1 - $0) }, rtol: 1e-5, atol: 1e-6, "log(1 − softmax)")
        let sig = try ClassScores.activate(x, layout: layout, activation: .sigmoid, complement: true)
        S.assertClose(sig.p, xs.map { 1 / (1 + exp(-$0)) }, rtol: 1e-6, atol: 1e-7, "sigmoid")
        S.assertClose(sig.logP, xs.map { log(1 / (1 + exp(-$0))) }, rtol: 1e-6, atol: 1e-6, "log-sigmoid")
        S.assertClose(sig.logQ!, xs.map { log(1 - 1 / (1 + exp(-$0))) }, rtol: 1e-5, atol: 1e-6, "log(1 − sigmoid)")
    }

    func testActivationsAtExtremeLogits() throws {
        let x = S.tensor([1, 3, 2], [1000, -1000, -1000, 1000, 0, 0])
        let layout = try ClassScores.layout(of: x)
        for activation in [Activation.softmax, .sigmoid] {
            let out = try ClassScores.activate(x, layout: layout, activation: activation, complement: true)
            XCTAssertTrue(out.p.allSatisfy(\.isFinite), "\(activation) p")
            XCTAssertTrue(out.logP.allSatisfy(\.isFinite), "\(activation) log p")
        }
        // log-sigmoid is exact in the tails: log σ(−1000) = −1000, log σ(1000) = −0.
        XCTAssertEqual(ClassScores.logSigmoid(-1000), -1000)
        XCTAssertEqual(ClassScores.logSigmoid(1000), 0)
        XCTAssertEqual(ClassScores.softplus(1000), 1000)
        // log1mexp agrees with log(1 − e^a) on both branches.
        for a in [-1e-8, -0.1, -0.69, -0.7, -5, -40] {
            XCTAssertEqual(ClassScores.log1mexp(a), log(-expm1(a)), accuracy: 1e-12 * max(1, abs(log(-expm1(a)))), "a = \(a)")
        }
    }

    /// backward(g) = ∇_x Σ_i g_i p_i(x), by central differences of a Double re-evaluation.
    func testBackwardIsTheJacobianVectorProduct() throws {
        var g = S.Generator(seed: 201)
        let x = S.random([2, 3, 4], &g)
        let layout = try ClassScores.layout(of: x)
        let upstream = (0..<x.count).map { _ in g.uniform(-1, 1) }
        let xs = x.data.map(Double.init)
        let cases: [(Activation, ([Double]) -> [Double])] = [
            (.softmax, { self.softmax($0, 2, 3, 4) }),
            (.sigmoid, { $0.map { 1 / (1 + exp(-$0)) } }),
        ]
        for (activation, f) in cases {
            let probs = try ClassScores.activate(x, layout: layout, activation: activation)
            let analytic = probs.backward(upstream)
            var fd = [Double](repeating: 0, count: xs.count)
            let h = 1e-6
            for i in xs.indices {
                var up = xs, down = xs
                up[i] += h
                down[i] -= h
                let fu = zip(f(up), upstream).reduce(0.0) { $0 + $1.0 * $1.1 }
                let fdn = zip(f(down), upstream).reduce(0.0) { $0 + $1.0 * $1.1 }
                fd[i] = (fu - fdn) / (2 * h)
            }
            S.assertClose(analytic, fd, rtol: 1e-4, atol: 1e-6, "\(activation) backward")
        }
        // none: the identity.
        let p = S.probabilities([2, 3, 4], &g)
        let none = try ClassScores.activate(p, layout: layout, activation: .none)
        S.assertClose(none.backward(upstream), upstream, rtol: 1e-6, atol: 0, "none backward")
    }

    func testTargetResolution() throws {
        let x = S.tensor([2, 3, 2], [Double](repeating: 0, count: 12))
        let layout = try ClassScores.layout(of: x)
        XCTAssertEqual(try ClassScores.target(S.tensor([2, 2], [0, 2, 1, -100]), for: layout, ignoreIndex: -100),
                       .labels([0, 2, 1, ClassScores.ignored]))
        XCTAssertEqual(try ClassScores.target(S.tensor([2, 1, 2], [0, 2, 1, 1]), for: layout), .labels([0, 2, 1, 1]))
        let dense = S.tensor([2, 3, 2], (0..<12).map { Double($0) / 12 })
        XCTAssertEqual(try ClassScores.target(dense, for: layout), .dense(dense.data))
        S.assertThrows(S.isInvalidInput, "ignore_index not given") {
            _ = try ClassScores.target(S.tensor([2, 2], [0, 2, 1, -100]), for: layout)
        }
        S.assertThrows(S.isInvalidInput, "NaN label") { _ = try ClassScores.target(S.tensor([2, 2], [0, .nan, 1, 1]), for: layout) }
        S.assertThrows(S.isInvalidInput, "NaN dense") {
            var d = dense
            d.data[3] = .nan
            _ = try ClassScores.target(d, for: layout)
        }
        S.assertThrows(S.isShapeMismatch, "no target") { _ = try ClassScores.target(nil, for: layout) }
        S.assertThrows(S.isShapeMismatch, "labels not allowed") {
            _ = try ClassScores.target(S.tensor([2, 2], [0, 1, 1, 1]), for: layout, allowLabels: false)
        }
        S.assertThrows(S.isShapeMismatch, "rank 1") { _ = try ClassScores.layout(of: S.tensor([3], [0, 0, 0])) }
        S.assertThrows(S.isInvalidInput, "empty") { _ = try ClassScores.layout(of: Tensor(shape: [0, 3], repeating: 0)) }
        // One-hot of labels, ignored positions all zero.
        var expected = [Float](repeating: 0, count: 12)
        for (n, s, c) in [(0, 0, 1), (1, 0, 0), (1, 1, 2)] { expected[layout.index(n, c, s)] = 1 }
        XCTAssertEqual(ClassScores.oneHot([1, ClassScores.ignored, 0, 2], layout: layout), expected)
    }

    func testReduceAndParallelSums() {
        var g = S.Generator(seed: 202)
        // Large enough to be split across cores.
        let values = (0..<(3 * Parallel.grain + 17)).map { _ in Float(g.uniform(-1, 1)) }
        let serial = values.reduce(0.0) { $0 + Double($1) }
        XCTAssertEqual(Reduce.sum(values), serial, accuracy: 1e-9)
        XCTAssertEqual(Reduce.gradientScale(.mean, count: 4), 0.25)
        XCTAssertEqual(Reduce.gradientScale(.mean, count: 0), 0)
        XCTAssertEqual(Reduce.gradientScale(.sum, count: 4), 1)
        XCTAssertEqual(Reduce.value(sum: 6, count: 0, elements: [], shape: [], reduction: .mean, emptyMean: 0).data, [0])
        XCTAssertTrue(Reduce.value(sum: 0, count: 0, elements: [], shape: [], reduction: .mean).data[0].isNaN)
    }

    /// A loss over a tensor large enough to run in parallel equals the same loss chunk by chunk.
    func testParallelEvaluationMatchesSmallPieces() throws {
        var g = S.Generator(seed: 203)
        let N = 4, C = 3, Sp = Parallel.grain / 2
        let x = S.random([N, C, Sp], &g), y = S.labels([N, Sp], classes: C, &g)
        let whole = try Catalog.make("cross-entropy", ["reduction": .string("sum")]).evaluate(x, target: y, gradient: true)
        var total = 0.0
        for n in 0..<N {
            let xn = try Tensor(shape: [1, C, Sp], data: Array(x.data[(n * C * Sp)..<((n + 1) * C * Sp)]))
            let yn = try Tensor(shape: [1, Sp], data: Array(y.data[(n * Sp)..<((n + 1) * Sp)]))
            let part = try Catalog.make("cross-entropy", ["reduction": .string("sum")]).evaluate(xn, target: yn, gradient: true)
            total += Double(part.value.data[0])
            XCTAssertEqual(Array(whole.gradient!.data[(n * C * Sp)..<((n + 1) * C * Sp)]), part.gradient!.data)
        }
        XCTAssertEqual(Double(whole.value.data[0]), total, accuracy: 1e-6 * total)
    }
}
