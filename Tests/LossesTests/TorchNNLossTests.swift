import Foundation
import LossReference
import Losses
import XCTest

/// Edge cases of the `torch.nn` losses of issue 17 that the generic reference grid does not
/// reach: CTC's PyTorch gradient, empty targets and impossible alignments, everything ignored,
/// zero margins at a tie, triplet swap, the clamped Gaussian variance, and inputs that must throw.
/// Their peer values are in `pytorch-nn.json` (PeerGoldenTests).
final class TorchNNLossTests: XCTestCase {
    func evaluate(_ id: String, _ input: Tensor, _ target: Tensor?, _ parameters: [String: ParameterValue] = [:]) throws -> LossOutput {
        try Catalog.make(id, parameters).evaluate(input, target: target, gradient: true)
    }

    func t(_ shape: [Int], _ data: [Float]) throws -> Tensor { try Tensor(shape: shape, data: data) }

    // MARK: - CTC

    /// PyTorch's gradient exp(x) − γ is ∂/∂z of ℓ(log_softmax(z)) at z = x when x is normalised:
    /// central differences of the reference through log_softmax must give it.
    func testCTCGradientIsPyTorchsThroughLogSoftmax() throws {
        var rng = SeededGenerator(seed: 17)
        let (T, N, C) = (6, 2, 5)
        let x = TorchNNCases.logProbabilities(T, N, C, &rng)
        let y = try t([2, 3], [1, 2, 2, 3, 1, 4])
        for parameters: [String: ParameterValue] in [
            [:], ["reduction": .string("sum")], ["input_lengths": .numbers([5, 6]), "target_lengths": .numbers([2, 3])],
            ["blank": .number(4), "reduction": .string("none")],
        ] {
            let ours = try XCTUnwrap(try evaluate("ctc", x, y, parameters).gradient)
            let reference = try referenceParameters("ctc", parameters)
            func value(_ z: [Double]) throws -> Double {
                var lp = z
                for row in 0..<(T * N) {
                    let slice = z[(row * C)..<((row + 1) * C)]
                    let m = slice.max()!, lse = m + log(slice.map { exp($0 - m) }.reduce(0, +))
                    for c in 0..<C { lp[row * C + c] = z[row * C + c] - lse }
                }
                return try ReferenceLosses.value(id: "ctc", input: RefArray(shape: [T, N, C], data: lp), target: RefArray(y),
                                                 parameters: reference).data.reduce(0, +)
            }
            let z = x.data.map(Double.init)
            var fd = [Double](repeating: 0, count: z.count)
            for i in z.indices {
                var up = z, down = z
                up[i] += 1e-5
                down[i] -= 1e-5
                fd[i] = (try value(up) - value(down)) / 2e-5
            }
            XCTAssertNil(Tolerance.gradientMismatch(ours.data.map(Double.init), fd), "\(parameters)")
        }
    }

    func testCTCEmptyTargetIsAllBlank() throws {
        var rng = SeededGenerator(seed: 3)
        let x = TorchNNCases.logProbabilities(4, 1, 3, &rng)
        let out = try evaluate("ctc", x, try t([1, 2], [1, 2]), ["target_lengths": .numbers([0])])
        let expected = -(0..<4).map { Double(x.data[$0 * 3]) }.reduce(0, +)
        XCTAssertEqual(Double(out.value.data[0]), expected, accuracy: 1e-5 * abs(expected))
    }

    /// 1 1 needs T ≥ 3 (a blank between the repeats): with T = 2 there is no alignment.
    func testCTCImpossibleAlignment() throws {
        let x = try t([2, 1, 3], [-1.1, -0.9, -1.3, -0.7, -1.5, -1.2])
        let y = try t([1, 2], [1, 1])
        let infinite = try evaluate("ctc", x, y)
        XCTAssertEqual(infinite.value.data[0], .infinity)
        XCTAssertTrue(try XCTUnwrap(infinite.gradient).data.allSatisfy(\.isNaN), "PyTorch's gradient is NaN there")
        let zeroed = try evaluate("ctc", x, y, ["zero_infinity": .bool(true)])
        XCTAssertEqual(zeroed.value.data, [0])
        XCTAssertEqual(try XCTUnwrap(zeroed.gradient).data, [Float](repeating: 0, count: 6))
        let reference = try ReferenceLosses.value(id: "ctc", input: RefArray(x), target: RefArray(y),
                                                  parameters: referenceParameters("ctc", [:]))
        XCTAssertEqual(reference.data, [.infinity])
    }

    func testCTCBadInputsThrow() throws {
        let x = try t([2, 1, 3], [-1.1, -0.9, -1.3, -0.7, -1.5, -1.2])
        XCTAssertThrowsError(try evaluate("ctc", x, try t([1, 2], [1, 3])), "label ≥ C")
        XCTAssertThrowsError(try evaluate("ctc", x, try t([1, 2], [1, 2]), ["blank": .number(3)]), "blank ≥ C")
        XCTAssertThrowsError(try evaluate("ctc", x, try t([1, 2], [1, 2]), ["input_lengths": .numbers([3])]), "length > T")
        XCTAssertThrowsError(try evaluate("ctc", x, try t([2], [1, 2])), "concatenated without target_lengths")
        XCTAssertThrowsError(try evaluate("ctc", x, try t([2], [1, 2]), ["target_lengths": .numbers([1])]), "lengths do not sum")
    }

    // MARK: - NLL

    func testNLLEveryLabelIgnoredIsZero() throws {
        let x = try t([2, 3], [-1, -2, -0.5, -0.3, -1.7, -2])
        let ignored = try t([2], [-100, -100])
        let mean = try evaluate("nll", x, ignored)
        XCTAssertEqual(mean.value.data, [0], "0 instead of PyTorch's NaN")
        XCTAssertEqual(try XCTUnwrap(mean.gradient).data, [Float](repeating: 0, count: 6))
        XCTAssertEqual(try evaluate("nll", x, ignored, ["reduction": .string("sum")]).value.data, [0])
        XCTAssertThrowsError(try evaluate("nll", x, try t([2, 3], [0, 1, 0, 0, 0, 1])), "no probability targets")
        XCTAssertThrowsError(try evaluate("nll", x, try t([2], [0, 3])), "label ≥ C")
        XCTAssertThrowsError(try evaluate("nll", x, try t([2], [0, 1]), ["weight": .numbers([1, 2])]), "weight length")
    }

    // MARK: - Margins

    /// At a tie with margin 0 the hinge argument is exactly 0: value 0 and, as PyTorch's clamp_min, gradient 0.
    func testZeroMarginAtATie() throws {
        let ranking = try evaluate("margin-ranking", try t([2, 2], [1, 2, 1, 2]), try t([2], [1, -1]))
        XCTAssertEqual(ranking.value.data, [0])
        XCTAssertEqual(try XCTUnwrap(ranking.gradient).data, [0, 0, 0, 0])
        let hinge = try evaluate("hinge-embedding", try t([2], [0, 0.5]), try t([2], [-1, -1]), ["margin": .number(0)])
        XCTAssertEqual(hinge.value.data, [0])
        XCTAssertEqual(try XCTUnwrap(hinge.gradient).data, [0, 0])
        let cosine = try evaluate("cosine-embedding", try t([2, 2], [1, 0, 0, 1]), Tensor(scalar: -1))
        XCTAssertEqual(cosine.value.data, [0])
        XCTAssertEqual(try XCTUnwrap(cosine.gradient).data, [0, 0, 0, 0])
    }

    /// Swap takes the smaller negative distance; a tie splits the gradient in half (torch.minimum).
    func testTripletSwap() throws {
        let parameters: [String: ParameterValue] = ["swap": .bool(true), "eps": .number(0)]
        // a = (0, 0), p = (0, 2), n = (1, 1): d(a, n) = d(p, n) = √2.
        let tie = try evaluate("triplet-margin", try t([3, 2], [0, 0, 0, 2, 1, 1]), nil, parameters)
        XCTAssertEqual(Double(tie.value.data[0]), 3 - 2.squareRoot(), accuracy: 1e-6)
        let g = try XCTUnwrap(tie.gradient).data.map(Double.init)
        let h = 0.5 / 2.squareRoot()
        for (ours, expected) in zip(g, [h, -1 + h, h, 1 - h, -2 * h, 0]) { XCTAssertEqual(ours, expected, accuracy: 1e-6) }
        // p closer to n than a is: swap lowers d(a, n) = 3 to d(p, n) = 1 and raises the loss.
        let input = try t([3, 2], [0, 0, 2, 0, 3, 0])
        let plain = try evaluate("triplet-margin", input, nil, ["eps": .number(0)])
        let swapped = try evaluate("triplet-margin", input, nil, parameters)
        XCTAssertEqual(plain.value.data, [0])
        XCTAssertEqual(Double(swapped.value.data[0]), 2, accuracy: 1e-6)
        XCTAssertThrowsError(try Catalog.make("triplet-margin", ["margin": .number(0)]), "PyTorch requires margin > 0")
        XCTAssertThrowsError(try evaluate("triplet-margin", input, try t([1], [1])), "no target")
    }

    func testMultiLabelTargetConvention() throws {
        // Positives {3, 0}; everything after −1 is ignored.
        let x = try t([4], [0.5, 0.2, -0.3, 0.9])
        let a = try evaluate("multilabel-margin", x, try t([4], [3, 0, -1, 1]))
        let b = try evaluate("multilabel-margin", x, try t([4], [0, 3, -1, 2]))
        XCTAssertEqual(a.value.data[0], b.value.data[0], accuracy: 1e-6)
        // j ∈ {0, 3}, i ∈ {1, 2}: (1 − 0.5 + 0.2) + (1 − 0.5 − 0.3) + (1 − 0.9 + 0.2) + (1 − 0.9 − 0.3), over C = 4.
        XCTAssertEqual(Double(a.value.data[0]), (0.7 + 0.2 + 0.3 + 0) / 4, accuracy: 1e-6)
        XCTAssertThrowsError(try evaluate("multilabel-margin", x, try t([4], [4, -1, 0, 0])), "index ≥ C")
        XCTAssertThrowsError(try evaluate("multi-margin", try t([2, 3], [0, 1, 2, 3, 4, 5]), try t([2], [0, 3])), "index ≥ C")
    }

    // MARK: - Gaussian NLL

    /// Below eps the value uses eps; the gradient is PyTorch's, evaluated at eps and not zeroed.
    func testGaussianVarianceBelowEps() throws {
        let out = try evaluate("gaussian-nll", try t([2], [1.5, 0]), try t([1], [0.5]), ["eps": .number(0.01)])
        XCTAssertEqual(Double(out.value.data[0]), 0.5 * (log(0.01) + 1 / 0.01), accuracy: 1e-4)
        let g = try XCTUnwrap(out.gradient).data.map(Double.init)
        XCTAssertEqual(g[0], 1 / 0.01, accuracy: 1e-3)
        XCTAssertEqual(g[1], 0.5 * (1 / 0.01 - 1 / 1e-4), accuracy: 1e-1)
        XCTAssertThrowsError(try evaluate("gaussian-nll", try t([2], [1.5, -1]), try t([1], [0.5])), "negative variance")
        XCTAssertThrowsError(try evaluate("gaussian-nll", try t([3, 5], [Float](repeating: 1, count: 15)), try t([3, 3], [Float](repeating: 0, count: 9))),
                             "last axis neither 2D nor D + 1")
    }

    /// One variance per row equals that variance repeated per element; its gradient is the row's sum.
    func testGaussianSharedVarianceIsBroadcast() throws {
        let target = try t([2, 2], [0.1, -0.4, 0.3, 0.2])
        let shared = try evaluate("gaussian-nll", try t([2, 3], [1, 2, 0.5, -1, 0, 2]), target)
        let repeated = try evaluate("gaussian-nll", try t([2, 4], [1, 2, 0.5, 0.5, -1, 0, 2, 2]), target)
        XCTAssertEqual(shared.value.data[0], repeated.value.data[0], accuracy: 1e-6)
        let gs = try XCTUnwrap(shared.gradient).data, gr = try XCTUnwrap(repeated.gradient).data
        XCTAssertEqual(gs[2], gr[2] + gr[3], accuracy: 1e-6)
        XCTAssertEqual(gs[5], gr[6] + gr[7], accuracy: 1e-6)
    }

    // MARK: - Catalog

    func testDescriptorsAreComplete() throws {
        // The prose (names, notes, both languages) lives in content/<lang>/reference/, checked by SiteTests.
        for id in TorchNNCases.ids.sorted() {
            let d = try Catalog.descriptor(for: id)
            XCTAssertTrue(d.peers.contains { $0.library == "pytorch" && $0.call.hasPrefix("torch.nn.") }, id)
            XCTAssertFalse(d.citation.text.isEmpty, id)
            XCTAssertTrue(d.parameters.contains { $0.name == "reduction" }, id)
            for f in d.formulas { XCTAssertEqual(f.filter { $0 == "{" }.count, f.filter { $0 == "}" }.count, "\(id): \(f)") }
        }
    }
}
