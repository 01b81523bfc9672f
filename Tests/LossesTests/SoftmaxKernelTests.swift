import Foundation
import XCTest
@testable import Losses

/// The softmax's C kernel (`CLossKernels`) in each implementation this CPU runs: its `exp` and
/// `log` against `Foundation` in `Double` over their domains, the softmax against its definition,
/// and the losses that use it alike in both. The golden and reference suites run the default
/// implementation; `LOSSES_KERNELS=portable swift test …` runs them on the other.
final class SoftmaxKernelTests: XCTestCase {
    typealias S = LossTestSupport

    private var saved = Softmax.implementation
    override func setUp() { saved = Softmax.implementation }
    override func tearDown() { Softmax.implementation = saved }

    private var implementations: [Softmax.Implementation] { Softmax.Implementation.allCases.filter(Softmax.supports) }

    /// The largest error of `ours` against `truth` in units in the last place of the float
    /// nearest the true value, and as a relative error.
    private func worstError(_ ours: [Float], _ truth: [Double]) -> (ulp: Double, relative: Double) {
        var ulp = 0.0, relative = 0.0
        for (y, t) in zip(ours, truth) {
            let error = abs(Double(y) - t)
            ulp = max(ulp, error / Double(Float(t).ulp))
            relative = max(relative, error / abs(t))
        }
        return (ulp, relative)
    }

    /// e^x for x ≤ 0: within 1.5 ulp (relative error < 1.2·10⁻⁷) wherever e^x is a normal float
    /// (x ≥ −87.33), on a grid of 2²⁰ points and on the 2¹⁶ floats next to 0 and to −87.33;
    /// within 2⁻¹²⁶ below; exact at 0, −∞ and the NaN.
    func testExpIsWithinOneAndAHalfUlp() {
        let grid = (0..<(1 << 20)).map { -87.33 * Float($0) / Float(1 << 20) }
        let nearZero = (1..<(1 << 16)).map { -Float(bitPattern: UInt32($0)) } + (1..<(1 << 16)).map { -Float(bitPattern: 0x3380_0000 + UInt32($0)) }
        let nearLow = (0..<(1 << 16)).map { Float(bitPattern: Float(-87.33).bitPattern - UInt32($0)) }
        let x = grid + nearZero + nearLow
        let subnormal = (0..<4096).map { -87.34 - 16 * Float($0) / 4096 }
        for implementation in implementations {
            Softmax.implementation = implementation
            let (ulp, relative) = worstError(Softmax.exp(x), x.map { Foundation.exp(Double($0)) })
            XCTAssertLessThanOrEqual(ulp, 1.5, "\(implementation): exp, max ulp (relative \(relative))")
            XCTAssertLessThan(relative, 1.2e-7, "\(implementation): exp")
            for (y, t) in zip(Softmax.exp(subnormal), subnormal.map { Foundation.exp(Double($0)) }) {
                XCTAssertLessThanOrEqual(abs(Double(y) - t), 0x1p-126, "\(implementation): subnormal e^x")
            }
            let special = Softmax.exp([0, -0.0, -.infinity, .nan, -200])
            XCTAssertEqual(Array(special[0..<3]), [1, 1, 0], "\(implementation)")
            XCTAssertTrue(special[3].isNaN, "\(implementation): NaN")
            XCTAssertEqual(special[4], 0, "\(implementation): far below the normal range")
        }
    }

    /// log x: within 1 ulp over the normal floats (a sample of every 4,096th bit pattern and
    /// the 2¹⁶ floats on each side of 1, where log x is near 0); 0 → −∞, +∞ → +∞, negative and
    /// NaN → NaN.
    func testLogIsWithinOneUlp() {
        let normal = stride(from: Float.leastNormalMagnitude.bitPattern, to: Float.infinity.bitPattern, by: 4096)
            .map { Float(bitPattern: $0) }
        let nearOne = (1..<(1 << 16)).flatMap { [Float(bitPattern: 0x3F80_0000 + UInt32($0)), Float(bitPattern: 0x3F80_0000 - UInt32($0))] }
        let x = normal + nearOne + [1, Float.greatestFiniteMagnitude]
        for implementation in implementations {
            Softmax.implementation = implementation
            let truth = x.map { Foundation.log(Double($0)) }
            let y = Softmax.log(x)
            // log 1 = 0 exactly, where the relative error has no scale.
            XCTAssertEqual(y[x.count - 2], 0, "\(implementation): log 1")
            let (ulp, relative) = worstError(y.enumerated().filter { x[$0.offset] != 1 }.map(\.element),
                                             truth.enumerated().filter { x[$0.offset] != 1 }.map(\.element))
            XCTAssertLessThanOrEqual(ulp, 1, "\(implementation): log, max ulp (relative \(relative))")
            let special = Softmax.log([0, -0.0, .infinity, -1, -.infinity, .nan])
            XCTAssertEqual(Array(special[0..<3]), [-.infinity, -.infinity, .infinity], "\(implementation)")
            XCTAssertTrue(special[3...].allSatisfy(\.isNaN), "\(implementation): negative or NaN")
        }
    }

    /// The default is AVX2 where the CPU has it (unless `LOSSES_KERNELS=portable`), and the
    /// switch takes effect.
    func testImplementationChoice() {
        let forced = ProcessInfo.processInfo.environment["LOSSES_KERNELS"] == "portable"
        XCTAssertEqual(saved, Softmax.supports(.avx2) && !forced ? .avx2 : .portable)
        XCTAssertTrue(Softmax.supports(.portable))
        for implementation in implementations {
            Softmax.implementation = implementation
            XCTAssertEqual(Softmax.implementation, implementation)
        }
    }

    /// p and log p against the definition in `Double`, with partial blocks (11 positions per
    /// sample) and logits up to ±60, in each implementation: p within the bound `Softmax` states,
    /// (C + 5)·6·10⁻⁸ relative, plus 6·10⁻⁸·|x_c − m| for the rounding of the `Float` exponent
    /// x_c − m (e^{x−m} carries its absolute error as a relative one), and 2⁻¹²⁶ where e^{x−m} is
    /// subnormal (flushed to 0).
    func testSoftmaxMatchesItsDefinition() throws {
        var g = S.Generator(seed: 401)
        let N = 2, C = 5, Sp = 11
        let x = S.random([N, C, Sp], &g, -60, 60)
        let layout = try ClassScores.layout(of: x)
        var p = [Double](repeating: 0, count: x.count), logP = p, bound = p
        for n in 0..<N {
            for s in 0..<Sp {
                let i = (0..<C).map { (n * C + $0) * Sp + s }
                let m = i.map { Double(x.data[$0]) }.max()!
                let logZ = Foundation.log(i.reduce(0.0) { $0 + Foundation.exp(Double(x.data[$1]) - m) })
                for k in i {
                    logP[k] = Double(x.data[k]) - m - logZ
                    p[k] = Foundation.exp(logP[k])
                    bound[k] = (Double(C + 5) + abs(Double(x.data[k]) - m)) * 6e-8 * p[k] + 0x1p-126
                }
            }
        }
        for implementation in implementations {
            Softmax.implementation = implementation
            let out = try ClassScores.activate(x, layout: layout, activation: .softmax)
            for k in p.indices where abs(Double(out.p[k]) - p[k]) > bound[k] {
                XCTFail("\(implementation): p[\(k)] = \(out.p[k]), expected \(p[k]) within \(bound[k])")
            }
            S.assertClose(out.logP, logP, rtol: 1e-6, atol: 1e-6, "\(implementation): log-softmax")
        }
    }

    /// The losses on the shared kernel give the same values and gradients (to rounding) in every
    /// implementation: a label map and a dense target, partial blocks, several parallel chunks.
    func testLossesAgreeAcrossImplementations() throws {
        guard implementations.count > 1 else { throw XCTSkip("this CPU runs only the portable kernel") }
        var g = S.Generator(seed: 402)
        let N = 2, C = 4, Sp = 3 * Parallel.grain / C + 5
        let x = S.random([N, C, Sp], &g), y = S.labels([N, Sp], classes: C, &g)
        let layout = try ClassScores.layout(of: x)
        let oneHot = try Tensor(shape: x.shape, data: ClassScores.oneHot(y.data.map { Int($0) }, layout: layout))
        for id in ["cross-entropy", "focal", "dice", "dice-ce", "tversky", "generalized-dice"] {
            let loss = try Catalog.make(id, [:])
            for target in [y, oneHot] {
                let results = try implementations.map { implementation in
                    Softmax.implementation = implementation
                    return try loss.evaluate(x, target: target, gradient: true)
                }
                let first = results[0]
                for other in results.dropFirst() {
                    S.assertClose(other.value.data, first.value.data.map(Double.init), rtol: 1e-6, atol: 1e-7, "\(id): value")
                    let scale = first.gradient!.data.map { abs(Double($0)) }.max()!
                    S.assertClose(other.gradient!.data, first.gradient!.data.map(Double.init), rtol: 1e-5,
                                  atol: 1e-6 * scale, "\(id): gradient")
                }
            }
        }
    }
}
