import XCTest
import LossReference
@testable import Losses

/// Cross entropy, weighted cross entropy, TopK, threshold TopK and focal: reference values,
/// finite-difference gradients, PyTorch's weighted mean, ignored labels, extremes, errors.
final class DistributionLossTests: XCTestCase {
    typealias S = LossTestSupport

    // MARK: - Cross entropy

    func testCrossEntropyClassIndicesMatchReference() throws {
        var g = S.Generator(seed: 100)
        let x = S.random([2, 3, 4, 5], &g)
        var labels = S.labels([2, 4, 5], classes: 3, &g)
        for i in stride(from: 0, to: labels.count, by: 7) { labels.data[i] = 255 }
        try S.assertMatchesReference("cross-entropy", [:], input: x, target: S.labels([2, 4, 5], classes: 3, &g))
        try S.assertMatchesReference("cross-entropy", ["weight": .numbers([0.2, 1, 3]), "ignore_index": .number(255)],
                                     input: x, target: labels)
        try S.assertMatchesReference("cross-entropy", ["weight": .numbers([0.2, 1, 3]), "ignore_index": .number(255),
                                                       "label_smoothing": .number(0.1)], input: x, target: labels)
        // [N, C] input, [N] target.
        let x2 = S.random([6, 4], &g)
        try S.assertMatchesReference("cross-entropy", ["label_smoothing": .number(0.3)], input: x2,
                                     target: S.labels([6], classes: 4, &g))
    }

    func testCrossEntropyProbabilityTargetsMatchReference() throws {
        var g = S.Generator(seed: 101)
        let x = S.random([3, 4, 2, 3], &g)
        let t = S.probabilities([3, 4, 2, 3], &g)
        try S.assertMatchesReference("cross-entropy", ["weight": .numbers([1, 0.5, 2, 1.5])], input: x, target: t)
        try S.assertMatchesReference("cross-entropy", ["weight": .numbers([1, 0.5, 2, 1.5]), "label_smoothing": .number(0.05)],
                                     input: x, target: t)
    }

    func testCrossEntropyOnProbabilities() throws {
        var g = S.Generator(seed: 102)
        let p = S.probabilities([4, 3, 2], &g)
        try S.assertMatchesReference("cross-entropy", ["activation": .string("none")], input: p, target: S.labels([4, 2], classes: 3, &g))
    }

    /// mean = sum / Σ_{i not ignored} w_{y_i}, the weight sum computed here from the labels.
    func testCrossEntropyWeightedMeanDenominator() throws {
        var g = S.Generator(seed: 103)
        let x = S.random([2, 3, 6], &g)
        var labels = S.labels([2, 6], classes: 3, &g)
        labels.data[1] = -100
        labels.data[7] = -100
        let w = [0.2, 1.0, 3.0]
        let denominator = labels.data.filter { $0 >= 0 }.reduce(0.0) { $0 + w[Int($1)] }
        try S.assertReductionsConsistent("cross-entropy", ["weight": .numbers(w), "label_smoothing": .number(0.2)],
                                         input: x, target: labels, denominator: denominator)
        // Probability targets divide by the number of positions.
        try S.assertReductionsConsistent("cross-entropy", ["weight": .numbers(w)], input: x,
                                         target: S.probabilities([2, 3, 6], &g), denominator: 12)
    }

    func testCrossEntropyAllIgnored() throws {
        var g = S.Generator(seed: 104)
        let x = S.random([2, 3, 4], &g)
        let ignored = S.tensor([2, 4], [Double](repeating: -100, count: 8))
        for reduction in ["mean", "sum"] {
            let out = try Catalog.make("cross-entropy", ["reduction": .string(reduction), "label_smoothing": .number(0.1)])
                .evaluate(x, target: ignored, gradient: true)
            XCTAssertEqual(out.value.data, [0], reduction)
            XCTAssertTrue(out.gradient!.data.allSatisfy { $0 == 0 }, reduction)
        }
        let none = try Catalog.make("cross-entropy", ["reduction": .string("none")]).evaluate(x, target: ignored, gradient: false)
        XCTAssertEqual(none.value.shape, [2, 4])
        XCTAssertTrue(none.value.data.allSatisfy { $0 == 0 })
    }

    func testCrossEntropyExtremeLogits() throws {
        let x = S.tensor([2, 3], [1000, -1000, 0, -1000, 1000, 0])
        let y = S.tensor([2], [0, 0])
        let out = try Catalog.make("cross-entropy", ["reduction": .string("none")]).evaluate(x, target: y, gradient: true)
        S.assertFinite(out, "ce ±1000")
        // ℓ = logsumexp(x) − x_y: 1000 − 1000 = 0, and 1000 − (−1000) = 2000.
        XCTAssertEqual(out.value.data, [0, 2000])
        // p − onehot: row 2 is (0, 1, 0) − (1, 0, 0).
        S.assertClose(out.gradient!.data, [0, 0, 0, -1, 1, 0], rtol: 0, atol: 1e-6, "ce ±1000 gradient")
        let smooth = try Catalog.make("cross-entropy", ["label_smoothing": .number(0.2)]).evaluate(x, target: y, gradient: true)
        S.assertFinite(smooth, "ce ±1000 smoothed")
    }

    func testCrossEntropyProbabilitiesExactlyZeroAndOne() throws {
        let p = S.tensor([2, 2], [1, 0, 0, 1])
        let y = S.tensor([2], [0, 0])
        let out = try Catalog.make("cross-entropy", ["activation": .string("none"), "reduction": .string("none")])
            .evaluate(p, target: y, gradient: true)
        S.assertFinite(out, "ce p ∈ {0, 1}")
        XCTAssertEqual(out.value.data.map(Double.init), [0, -ClassScores.logClamp])
    }

    func testLabelLayoutsAgree() throws {
        var g = S.Generator(seed: 105)
        let x = S.random([2, 3, 5], &g)
        let labels = S.labels([2, 5], classes: 3, &g)
        let a = try Catalog.make("cross-entropy").evaluate(x, target: labels, gradient: true)
        let b = try Catalog.make("cross-entropy").evaluate(x, target: try labels.reshaped([2, 1, 5]), gradient: true)
        XCTAssertEqual(a, b)
        // One-hot dense equals class indices.
        let onehot = S.tensor([2, 3, 5], ClassScores.oneHot(labels.data.map { Int($0) },
                                                            layout: try ClassScores.layout(of: x)).map(Double.init))
        let c = try Catalog.make("cross-entropy").evaluate(x, target: onehot, gradient: true)
        XCTAssertEqual(Double(a.value.data[0]), Double(c.value.data[0]), accuracy: 1e-6)
    }

    func testCrossEntropyErrors() {
        let x = S.tensor([2, 3], [0, 1, 2, 3, 4, 5])
        S.assertThrows(S.isInvalidInput, "label out of range") {
            _ = try Catalog.make("cross-entropy").evaluate(x, target: S.tensor([2], [0, 3]), gradient: false)
        }
        S.assertThrows(S.isInvalidInput, "fractional label") {
            _ = try Catalog.make("cross-entropy").evaluate(x, target: S.tensor([2], [0, 1.5]), gradient: false)
        }
        S.assertThrows(S.isShapeMismatch, "target shape") {
            _ = try Catalog.make("cross-entropy").evaluate(x, target: S.tensor([3], [0, 1, 1]), gradient: false)
        }
        S.assertThrows(S.isShapeMismatch, "rank-1 input") {
            _ = try Catalog.make("cross-entropy").evaluate(S.tensor([3], [0, 1, 2]), target: S.tensor([1], [0]), gradient: false)
        }
        S.assertThrows(S.isShapeMismatch, "weight length") {
            _ = try Catalog.make("cross-entropy", ["weight": .numbers([1, 2])]).evaluate(x, target: S.tensor([2], [0, 1]), gradient: false)
        }
        S.assertThrows(S.isInvalidParameter, "label_smoothing > 1") { _ = try Catalog.make("cross-entropy", ["label_smoothing": .number(1.5)]) }
        S.assertThrows(S.isInvalidParameter, "ignore_index not whole") { _ = try Catalog.make("cross-entropy", ["ignore_index": .number(0.5)]) }
        S.assertThrows(S.isInvalidParameter, "activation sigmoid") { _ = try Catalog.make("cross-entropy", ["activation": .string("sigmoid")]) }
        S.assertThrows(S.isInvalidInput, "probabilities out of range") {
            _ = try Catalog.make("cross-entropy", ["activation": .string("none")]).evaluate(x, target: S.tensor([2], [0, 1]), gradient: false)
        }
    }

    // MARK: - Weighted cross entropy

    func testWeightedCrossEntropyWithWeightIsCrossEntropy() throws {
        var g = S.Generator(seed: 110)
        let x = S.random([2, 3, 4, 5], &g), y = S.labels([2, 4, 5], classes: 3, &g)
        let w: ParameterValue = .numbers([0.2, 1, 3])
        for r in ["mean", "sum", "none"] {
            let a = try Catalog.make("weighted-cross-entropy", ["weight": w, "reduction": .string(r)]).evaluate(x, target: y, gradient: true)
            let b = try Catalog.make("cross-entropy", ["weight": w, "reduction": .string(r)]).evaluate(x, target: y, gradient: true)
            XCTAssertEqual(a, b, r)
        }
    }

    /// The default weights are M / (C·M_c), computed here from the labels.
    func testWeightedCrossEntropyBalancedDefault() throws {
        var g = S.Generator(seed: 111)
        let x = S.random([2, 3, 8], &g)
        var y = S.labels([2, 8], classes: 3, &g)
        y.data[0] = -100
        let counts = (0..<3).map { c in Double(y.data.filter { Int($0) == c }.count) }
        let m = counts.reduce(0, +)
        let w = counts.map { $0 > 0 ? m / (3 * $0) : 0 }
        let a = try Catalog.make("weighted-cross-entropy").evaluate(x, target: y, gradient: true)
        let b = try Catalog.make("cross-entropy", ["weight": .numbers(w)]).evaluate(x, target: y, gradient: true)
        XCTAssertEqual(Double(a.value.data[0]), Double(b.value.data[0]), accuracy: 1e-6)
        S.assertClose(a.gradient!.data, b.gradient!.data.map(Double.init), rtol: 1e-6, atol: 1e-9, "balanced gradient")
        try S.assertMatchesReference("weighted-cross-entropy", ["weight": .numbers(w)], input: x, target: y)
    }

    // MARK: - TopK

    func testTopKMatchesReference() throws {
        var g = S.Generator(seed: 120)
        let x = S.random([2, 3, 5, 4], &g), y = S.labels([2, 5, 4], classes: 3, &g)
        try S.assertMatchesReference("topk", ["k": .number(30)], input: x, target: y, reductions: ["mean", "sum"])
        try S.assertMatchesReference("topk", ["k": .number(10), "weight": .numbers([1, 2, 0.5])], input: x, target: y,
                                     reductions: ["mean", "sum"])
        // Ignored positions are neither counted in M nor selected; dense targets work too.
        var ignored = y
        for i in stride(from: 0, to: ignored.count, by: 3) { ignored.data[i] = -100 }
        try S.assertMatchesReference("topk", ["k": .number(20)], input: x, target: ignored)
        try S.assertMatchesReference("topk", ["k": .number(20)], input: x, target: S.probabilities([2, 3, 5, 4], &g))
        try S.assertMatchesReference("topk-threshold", ["threshold": .number(0.5)], input: x, target: ignored)
    }

    func testTopKIdentities() throws {
        var g = S.Generator(seed: 121)
        let x = S.random([2, 3, 10], &g), y = S.labels([2, 10], classes: 3, &g)
        // k = 100 keeps every voxel: plain cross entropy.
        let all = try Catalog.make("topk", ["k": .number(100)]).evaluate(x, target: y, gradient: true)
        let ce = try Catalog.make("cross-entropy").evaluate(x, target: y, gradient: true)
        XCTAssertEqual(Double(all.value.data[0]), Double(ce.value.data[0]), accuracy: 1e-6)
        S.assertClose(all.gradient!.data, ce.gradient!.data.map(Double.init), rtol: 1e-5, atol: 1e-8, "k = 100 gradient")
        // ⌊20·1/100⌋ = 0 voxels: we keep the single hardest one, the largest per-position CE.
        let one = try Catalog.make("topk", ["k": .number(1)]).evaluate(x, target: y, gradient: false)
        let perPosition = try Catalog.make("cross-entropy", ["reduction": .string("none")]).evaluate(x, target: y, gradient: false)
        XCTAssertEqual(one.value.data[0], perPosition.value.data.max()!)
        // none keeps the selected positions' losses and zeros elsewhere: Σ none = sum.
        let k = 25.0, kept = Int((20 * k / 100).rounded(.down))
        let none = try Catalog.make("topk", ["k": .number(k), "reduction": .string("none")]).evaluate(x, target: y, gradient: false)
        XCTAssertEqual(none.value.data.filter { $0 != 0 }.count, kept)
        let sorted = perPosition.value.data.sorted(by: >)
        XCTAssertEqual(none.value.data.sorted(by: >).prefix(kept).map { $0 }, Array(sorted.prefix(kept)))
        try S.assertReductionsConsistent("topk", ["k": .number(k)], input: x, target: y, denominator: Double(kept))
    }

    func testTopKAllIgnored() throws {
        var g = S.Generator(seed: 122)
        let x = S.random([1, 3, 4], &g)
        let out = try Catalog.make("topk").evaluate(x, target: S.tensor([1, 4], [-100, -100, -100, -100]), gradient: true)
        XCTAssertEqual(out.value.data, [0])
        XCTAssertTrue(out.gradient!.data.allSatisfy { $0 == 0 })
        S.assertThrows(S.isInvalidParameter, "k = 0") { _ = try Catalog.make("topk", ["k": .number(0)]) }
        S.assertThrows(S.isInvalidParameter, "k > 100") { _ = try Catalog.make("topk", ["k": .number(101)]) }
    }

    // MARK: - Threshold TopK

    func testTopKThresholdMatchesReference() throws {
        var g = S.Generator(seed: 130)
        let x = S.random([2, 3, 5, 4], &g), y = S.labels([2, 5, 4], classes: 3, &g)
        try S.assertMatchesReference("topk-threshold", [:], input: x, target: y, reductions: ["mean", "sum"])
        try S.assertMatchesReference("topk-threshold", ["threshold": .number(0.4)], input: x, target: y, reductions: ["mean", "sum"])
    }

    func testTopKThresholdEdges() throws {
        // Confident everywhere: nothing below the threshold gives 0, not NaN.
        let x = S.tensor([1, 2, 3], [50, -50, 50, -50, 50, -50])
        let y = S.tensor([1, 3], [0, 1, 0])
        let out = try Catalog.make("topk-threshold", ["threshold": .number(0.5)]).evaluate(x, target: y, gradient: true)
        XCTAssertEqual(out.value.data, [0])
        XCTAssertTrue(out.gradient!.data.allSatisfy { $0 == 0 })
        // threshold 1 keeps every voxel whose p_y < 1: here all, so it is the cross entropy.
        var g = S.Generator(seed: 131)
        let x2 = S.random([2, 3, 4], &g), y2 = S.labels([2, 4], classes: 3, &g)
        let all = try Catalog.make("topk-threshold", ["threshold": .number(1)]).evaluate(x2, target: y2, gradient: false)
        let ce = try Catalog.make("cross-entropy").evaluate(x2, target: y2, gradient: false)
        XCTAssertEqual(Double(all.value.data[0]), Double(ce.value.data[0]), accuracy: 1e-6)
        S.assertThrows(S.isShapeMismatch, "dense target") {
            _ = try Catalog.make("topk-threshold").evaluate(x2, target: S.probabilities([2, 3, 4], &g), gradient: false)
        }
    }

    // MARK: - Focal

    func testFocalSoftmaxMatchesReference() throws {
        var g = S.Generator(seed: 140)
        let x = S.random([2, 3, 4, 3], &g), y = S.labels([2, 4, 3], classes: 3, &g)
        try S.assertMatchesReference("focal", [:], input: x, target: y)
        try S.assertMatchesReference("focal", ["gamma": .number(0.5), "alpha": .numbers([0.25])], input: x, target: y)
        try S.assertMatchesReference("focal", ["gamma": .number(3), "alpha": .numbers([0.2, 0.5, 0.3])], input: x, target: y)
        try S.assertMatchesReference("focal", ["gamma": .number(1.5)], input: x, target: S.probabilities([2, 3, 4, 3], &g))
        let p = S.probabilities([2, 3, 4], &g)
        try S.assertMatchesReference("focal", ["activation": .string("none")], input: p, target: S.labels([2, 4], classes: 3, &g))
    }

    func testFocalSigmoidMatchesReference() throws {
        var g = S.Generator(seed: 141)
        let x = S.random([2, 3, 4, 4], &g)
        let hard = S.tensor([2, 3, 4, 4], (0..<96).map { _ in g.unit() < 0.3 ? 1 : 0 })
        let soft = S.tensor([2, 3, 4, 4], (0..<96).map { _ in g.unit() })
        try S.assertMatchesReference("focal", ["activation": .string("sigmoid")], input: x, target: hard)
        try S.assertMatchesReference("focal", ["activation": .string("sigmoid"), "alpha": .numbers([0.25])], input: x, target: hard)
        try S.assertMatchesReference("focal", ["activation": .string("sigmoid"), "gamma": .number(0.5), "alpha": .numbers([0.6])],
                                     input: x, target: soft)
        // Class indices become one-hot channels.
        let labels = S.labels([2, 4, 4], classes: 3, &g)
        let a = try Catalog.make("focal", ["activation": .string("sigmoid")]).evaluate(x, target: labels, gradient: true)
        let onehot = S.tensor([2, 3, 4, 4], ClassScores.oneHot(labels.data.map { Int($0) },
                                                               layout: try ClassScores.layout(of: x)).map(Double.init))
        let b = try Catalog.make("focal", ["activation": .string("sigmoid")]).evaluate(x, target: onehot, gradient: true)
        XCTAssertEqual(a, b)
    }

    /// γ = 0 without α is cross entropy (softmax) and binary cross entropy (sigmoid).
    func testFocalWithGammaZeroIsCrossEntropy() throws {
        var g = S.Generator(seed: 142)
        let x = S.random([3, 4, 5], &g), y = S.labels([3, 5], classes: 4, &g)
        let focal = try Catalog.make("focal", ["gamma": .number(0)]).evaluate(x, target: y, gradient: true)
        let ce = try Catalog.make("cross-entropy").evaluate(x, target: y, gradient: true)
        XCTAssertEqual(Double(focal.value.data[0]), Double(ce.value.data[0]), accuracy: 1e-6)
        S.assertClose(focal.gradient!.data, ce.gradient!.data.map(Double.init), rtol: 1e-5, atol: 1e-8, "γ = 0 softmax gradient")
        let t = S.tensor([3, 4, 5], (0..<60).map { _ in g.unit() })
        let sig = try Catalog.make("focal", ["gamma": .number(0), "activation": .string("sigmoid")]).evaluate(x, target: t, gradient: true)
        let bce = try Catalog.make("binary-cross-entropy").evaluate(x, target: t, gradient: true)
        XCTAssertEqual(Double(sig.value.data[0]), Double(bce.value.data[0]), accuracy: 1e-6)
        S.assertClose(sig.gradient!.data, bce.gradient!.data.map(Double.init), rtol: 1e-5, atol: 1e-8, "γ = 0 sigmoid gradient")
    }

    /// A −∞ logit takes its limit: on a position's labelled class the loss is +∞ and the gradient
    /// finite (γ = 0: cross entropy's p − t exactly as `cross-entropy` gives it); on another class
    /// p = 0, the same as a logit of −10⁴ (a gradient of exactly 0 there).
    func testFocalMinusInfinityLogitsTakeTheirLimits() throws {
        // [N = 1, C = 3, S = 2]: position 0 holds (−∞, 0, 1), position 1 (2, −∞, 0); both labelled 0.
        let x = S.tensor([1, 3, 2], [-.infinity, 2, 0, -.infinity, 1, 0])
        let finite = S.tensor([1, 3, 2], [-.infinity, 2, 0, -1e4, 1, 0])
        let y = S.tensor([1, 2], [0, 0])
        let none: [String: ParameterValue] = ["reduction": .string("none")]
        let crossEntropy = try Catalog.make("cross-entropy", none).evaluate(x, target: y, gradient: true)
        for gamma in [0.0, 0.5, 1, 2, 3.4] {
            let focal = try Catalog.make("focal", none.merging(["gamma": .number(gamma)]) { $1 })
            let out = try focal.evaluate(x, target: y, gradient: true)
            XCTAssertEqual(out.value.data[0], .infinity, "γ = \(gamma)")
            XCTAssertTrue(out.value.data[1].isFinite, "γ = \(gamma)")
            XCTAssertTrue(out.gradient!.data.allSatisfy(\.isFinite), "γ = \(gamma): \(out.gradient!.data)")
            XCTAssertEqual(out.gradient!.data[3], 0, "γ = \(gamma): the −∞ logit of an unlabelled class")
            let reference = try focal.evaluate(finite, target: y, gradient: true)
            XCTAssertEqual(out.value.data[1], reference.value.data[1], "γ = \(gamma)")
            for index in [1, 3, 5] { XCTAssertEqual(out.gradient!.data[index], reference.gradient!.data[index], "γ = \(gamma), element \(index)") }
            if gamma == 0 {
                XCTAssertEqual(crossEntropy.value.data, out.value.data)
                for (a, b) in zip(out.gradient!.data, crossEntropy.gradient!.data) { XCTAssertEqual(a, b, accuracy: 1e-6) }
            }
        }
    }

    /// A thousand classes: 1 − p_c is taken as such where p_c ≤ ½ and as the other classes summed
    /// where p_c is larger, so every position keeps the reference's relative tolerance (summed over
    /// 999 classes where p_c is small, the error grew to 3·10⁻⁵).
    func testFocalWithManyClassesMatchesReference() throws {
        let classes = 1000, positions = 11
        var g = S.Generator(seed: 142)
        // Equal logits (p = 1/1000 each); one class at 0 and the rest at −5 (p₀ ≈ 0.13). (Where one
        // class is far ahead, p₀ → 1, the softmax kernel's z, 999 small terms added to 1 in `Float`,
        // carries a relative error of about 10⁻⁵·C into log z: cross entropy's value shares it.)
        for (name, logit) in [("equal", { (_: Int, _: Int) in 0.0 }), ("one ahead", { (c: Int, _: Int) in c == 0 ? 0 : -5 })] {
            var data = [Double](repeating: 0, count: classes * positions)
            for c in 0..<classes { for s in 0..<positions { data[c * positions + s] = logit(c, s) } }
            let x = S.tensor([1, classes, positions], data)
            let y = S.tensor([1, positions], (0..<positions).map { _ in g.unit() < 0.5 ? 0 : 7 })
            for gamma in [0.5, 2, 3] {
                let parameters: [String: ParameterValue] = ["gamma": .number(gamma), "reduction": .string("none")]
                let ours = try Catalog.make("focal", parameters).evaluate(x, target: y, gradient: false).value.data
                let expected = try ReferenceLosses.value(id: "focal", input: RefArray(x), target: RefArray(y),
                                                         parameters: referenceParameters("focal", parameters)).data
                for (a, b) in zip(ours, expected) where abs(Double(a) - b) > 2e-5 * abs(b) + 1e-12 {
                    XCTFail("\(name), γ = \(gamma): \(a) against the reference's \(b)")
                }
            }
        }
    }

    func testFocalExtremes() throws {
        let x = S.tensor([2, 2], [1000, -1000, -1000, 1000])
        let y = S.tensor([2], [0, 0])
        for gamma in [0.0, 0.5, 1, 2] {
            for activation in ["softmax", "sigmoid"] {
                let out = try Catalog.make("focal", ["gamma": .number(gamma), "activation": .string(activation), "reduction": .string("none")])
                    .evaluate(x, target: y, gradient: true)
                S.assertFinite(out, "focal γ = \(gamma) \(activation)")
            }
        }
        // Softmax: the right class at +1000 costs 0, the wrong one 2000·(1 − 0)^γ = 2000.
        let out = try Catalog.make("focal", ["reduction": .string("none")]).evaluate(x, target: y, gradient: true)
        XCTAssertEqual(out.value.data, [0, 2000])
        // Probabilities exactly 0 and 1.
        let p = S.tensor([2, 2], [1, 0, 0, 1])
        for gamma in [0.0, 0.5, 2] {
            let probs = try Catalog.make("focal", ["gamma": .number(gamma), "activation": .string("none")]).evaluate(p, target: y, gradient: true)
            S.assertFinite(probs, "focal p ∈ {0, 1}, γ = \(gamma)")
        }
    }

    func testFocalReductions() throws {
        var g = S.Generator(seed: 143)
        let x = S.random([2, 3, 4], &g), y = S.labels([2, 4], classes: 3, &g)
        try S.assertReductionsConsistent("focal", [:], input: x, target: y, denominator: 8)
        let t = S.tensor([2, 3, 4], (0..<24).map { _ in g.unit() < 0.5 ? 1 : 0 })
        try S.assertReductionsConsistent("focal", ["activation": .string("sigmoid")], input: x, target: t, denominator: 24)
        S.assertThrows(S.isInvalidParameter, "single alpha > 1") { _ = try Catalog.make("focal", ["alpha": .numbers([1.5])]) }
        S.assertThrows(S.isInvalidParameter, "gamma < 0") { _ = try Catalog.make("focal", ["gamma": .number(-1)]) }
        S.assertThrows(S.isShapeMismatch, "alpha length") {
            _ = try Catalog.make("focal", ["alpha": .numbers([0.1, 0.2])]).evaluate(x, target: y, gradient: false)
        }
    }

    /// A NaN logit reaches the value instead of being hidden.
    func testNaNPropagates() throws {
        let x = S.tensor([2, 3], [.nan, 0, 1, 0, 1, 2])
        let y = S.tensor([2], [1, 2])
        for (id, params) in [("cross-entropy", [String: ParameterValue]()), ("weighted-cross-entropy", [:]), ("topk", ["k": .number(50)]),
                             ("focal", [:]), ("focal", ["activation": .string("sigmoid")])] {
            let out = try Catalog.make(id, params).evaluate(x, target: y, gradient: true)
            XCTAssertTrue(out.value.data[0].isNaN, "\(id) \(params)")
        }
    }

    func testPeerGoldenCases() throws {
        let count = try S.assertGoldenCases(ids: ["cross-entropy", "weighted-cross-entropy", "topk", "topk-threshold", "focal"])
        XCTAssertGreaterThan(count, 0, "no golden cases found for the distribution losses")
    }
}
