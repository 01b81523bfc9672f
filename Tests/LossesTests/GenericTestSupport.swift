import Foundation
import XCTest
import LossReference
@testable import Losses

/// Helpers shared by the generic, distribution and regularisation loss tests.
///
/// Expected numbers never come from this file: values come from `LossReference` (plain
/// `Double`, no shared code) or from identities computed in the test, gradients from central
/// finite differences of the reference.
enum LossTestSupport {
    /// SplitMix64: deterministic inputs without `Foundation` randomness.
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in [0, 1).
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func tensor(_ shape: [Int], _ data: [Double]) -> Tensor {
        // swiftlint:disable:next force_try
        try! Tensor(shape: shape, data: data.map { Float($0) })
    }

    static func random(_ shape: [Int], _ g: inout Generator, _ lo: Double = -3, _ hi: Double = 3) -> Tensor {
        tensor(shape, (0..<shape.reduce(1, *)).map { _ in g.uniform(lo, hi) })
    }

    /// Class indices in 0..<C, shaped `shape`.
    static func labels(_ shape: [Int], classes: Int, _ g: inout Generator) -> Tensor {
        tensor(shape, (0..<shape.reduce(1, *)).map { _ in Double(g.int(classes)) })
    }

    /// Per-position probability vectors over axis 1 (a dense soft target).
    static func probabilities(_ shape: [Int], _ g: inout Generator) -> Tensor {
        let C = shape[1], S = shape.dropFirst(2).reduce(1, *), N = shape[0]
        var data = [Double](repeating: 0, count: shape.reduce(1, *))
        for n in 0..<N {
            for s in 0..<S {
                var total = 0.0
                for c in 0..<C { let v = g.uniform(0.05, 1); data[(n * C + c) * S + s] = v; total += v }
                for c in 0..<C { data[(n * C + c) * S + s] /= total }
            }
        }
        return tensor(shape, data)
    }

    static func ref(_ t: Tensor) -> RefArray {
        // swiftlint:disable:next force_try
        try! RefArray(shape: t.shape, data: t.data.map(Double.init))
    }

    static func refParameters(_ p: [String: ParameterValue]) -> [String: RefParameter] {
        p.mapValues { value -> RefParameter in
            switch value {
            case let .number(x): return .number(x)
            case let .bool(b): return .bool(b)
            case let .string(s): return .string(s)
            case let .numbers(xs): return .numbers(xs)
            }
        }
    }

    /// |a − b| ≤ atol + rtol·|b|, element by element.
    static func assertClose(_ actual: [Float], _ expected: [Double], rtol: Double, atol: Double,
                            _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, "\(message): element count", file: file, line: line)
        var worst = 0.0, worstIndex = -1
        for (i, (a, b)) in zip(actual, expected).enumerated() {
            let excess = abs(Double(a) - b) - (atol + rtol * abs(b))
            if !(excess <= 0) && (worstIndex < 0 || excess > worst || excess.isNaN) { worst = excess; worstIndex = i }
        }
        if worstIndex >= 0 {
            XCTFail("\(message): element \(worstIndex) is \(actual[worstIndex]), expected \(expected[worstIndex]) (rtol \(rtol), atol \(atol))",
                    file: file, line: line)
        }
    }

    /// The loss's value (every reduction) against `LossReference`, and its analytic gradient
    /// against central differences of the reference, on the given input.
    static func assertMatchesReference(_ id: String, _ parameters: [String: ParameterValue], input: Tensor, target: Tensor?,
                                       reductions: [String] = ["mean", "sum", "none"], rtol: Double = 2e-5,
                                       gradientTolerance: Double = 2e-4, step: Double = 1e-5,
                                       file: StaticString = #filePath, line: UInt = #line) throws {
        for reduction in reductions {
            var p = parameters
            p["reduction"] = .string(reduction)
            let loss = try Catalog.make(id, p)
            let out = try loss.evaluate(input, target: target, gradient: true)
            let rp = refParameters(p)
            let expected = try ReferenceLosses.value(id: id, input: ref(input), target: target.map(ref), parameters: rp)
            XCTAssertEqual(out.value.shape, expected.shape, "\(id) \(reduction): value shape", file: file, line: line)
            assertClose(out.value.data, expected.data, rtol: rtol, atol: 1e-6, "\(id) \(p): value", file: file, line: line)
            let fd = try ReferenceLosses.finiteDifferenceGradient(id: id, input: ref(input), target: target.map(ref),
                                                                  parameters: rp, step: step)
            guard let grad = out.gradient else { XCTFail("\(id): no gradient", file: file, line: line); continue }
            XCTAssertEqual(grad.shape, input.shape, "\(id): gradient shape", file: file, line: line)
            let scale = max(1e-3, fd.data.map(abs).max() ?? 0)
            assertClose(grad.data, fd.data, rtol: gradientTolerance, atol: gradientTolerance * scale,
                        "\(id) \(p): gradient vs finite differences", file: file, line: line)
        }
    }

    /// sum = Σ none, mean = sum / denominator, and the three gradients agree the same way.
    static func assertReductionsConsistent(_ id: String, _ parameters: [String: ParameterValue], input: Tensor, target: Tensor?,
                                           denominator: Double, file: StaticString = #filePath, line: UInt = #line) throws {
        func run(_ r: String) throws -> LossOutput {
            var p = parameters
            p["reduction"] = .string(r)
            return try Catalog.make(id, p).evaluate(input, target: target, gradient: true)
        }
        let mean = try run("mean"), sum = try run("sum"), none = try run("none")
        let noneSum = none.value.data.reduce(0.0) { $0 + Double($1) }
        let s = Double(sum.value.data[0])
        XCTAssertEqual(s, noneSum, accuracy: 1e-5 * max(1, abs(s)), "\(id): sum vs Σ none", file: file, line: line)
        XCTAssertEqual(Double(mean.value.data[0]), s / denominator, accuracy: 1e-5 * max(1, abs(s / denominator)),
                       "\(id): mean vs sum / \(denominator)", file: file, line: line)
        let gSum = sum.gradient!.data, gNone = none.gradient!.data, gMean = mean.gradient!.data
        assertClose(gNone, gSum.map(Double.init), rtol: 1e-6, atol: 1e-7, "\(id): none vs sum gradient", file: file, line: line)
        assertClose(gMean, gSum.map { Double($0) / denominator }, rtol: 1e-5, atol: 1e-7, "\(id): mean vs sum gradient / \(denominator)",
                    file: file, line: line)
    }

    /// Asserts that `body` throws exactly `expected`'s case (messages are not compared).
    static func assertThrows(_ expected: (LossError) -> Bool, _ what: String, file: StaticString = #filePath, line: UInt = #line,
                             _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("\(what): expected an error", file: file, line: line)
        } catch let error as LossError {
            XCTAssertTrue(expected(error), "\(what): wrong error \(error)", file: file, line: line)
        } catch {
            XCTFail("\(what): unexpected error \(error)", file: file, line: line)
        }
    }

    static func isShapeMismatch(_ e: LossError) -> Bool { if case .shapeMismatch = e { return true }; return false }
    static func isInvalidInput(_ e: LossError) -> Bool { if case .invalidInput = e { return true }; return false }
    static func isInvalidParameter(_ e: LossError) -> Bool { if case .invalidParameter = e { return true }; return false }

    /// Every element finite.
    static func assertFinite(_ out: LossOutput, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(out.value.data.allSatisfy(\.isFinite), "\(what): value \(out.value.data) not finite", file: file, line: line)
        if let g = out.gradient {
            XCTAssertTrue(g.data.allSatisfy(\.isFinite), "\(what): gradient not finite", file: file, line: line)
        }
    }

    // MARK: - Peer golden files

    struct GoldenFile: Decodable {
        let cases: [GoldenCase]
    }

    struct GoldenTensor: Decodable {
        let shape: [Int]
        let data: [Double]
        /// As `Losses` reads it: each number rounded to Float.
        func tensor() throws -> Tensor { try Tensor(shape: shape, data: data.map { Float($0) }) }
    }

    enum GoldenValue: Decodable {
        case scalar(Double)
        case tensor(GoldenTensor)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let x = try? c.decode(Double.self) { self = .scalar(x) } else { self = .tensor(try c.decode(GoldenTensor.self)) }
        }
        var data: [Double] {
            switch self {
            case let .scalar(x): return [x]
            case let .tensor(t): return t.data
            }
        }
        var shape: [Int] {
            switch self {
            case .scalar: return []
            case let .tensor(t): return t.shape
            }
        }
    }

    struct GoldenCase: Decodable {
        let name: String
        let id: String
        let params: [String: ParameterValue]
        let input: GoldenTensor
        let target: GoldenTensor?
        let value: GoldenValue
        let grad: GoldenTensor?
        let rtol: Double
        let atol: Double
        let grad_atol: Double?
    }

    /// The cases of every committed golden file whose id is in `ids`.
    static func goldenCases(ids: Set<String>) throws -> [GoldenCase] {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/golden") else { return [] }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        var cases: [GoldenCase] = []
        for file in files.sorted() where file.hasSuffix(".json") && file != "index.json" {
            let data = try Data(contentsOf: root.appendingPathComponent(file))
            guard let decoded = try? JSONDecoder().decode(GoldenFile.self, from: data) else { continue }
            cases += decoded.cases.filter { ids.contains($0.id) }
        }
        return cases
    }

    /// Runs every golden case for `ids` through the catalog; returns how many ran.
    @discardableResult
    static func assertGoldenCases(ids: Set<String>, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let cases = try goldenCases(ids: ids)
        for c in cases {
            try assertMatches(c, try Catalog.make(c.id, c.params), file: file, line: line)
        }
        return cases.count
    }

    /// `loss` on the case's input gives the peer's value, and its gradient when the case has one,
    /// within the case's tolerances.
    static func assertMatches(_ c: GoldenCase, _ loss: any Loss, file: StaticString = #filePath, line: UInt = #line) throws {
        let out = try loss.evaluate(c.input.tensor(), target: c.target?.tensor(), gradient: c.grad != nil)
        assertClose(out.value.data, c.value.data, rtol: c.rtol, atol: c.atol, "\(c.name): value", file: file, line: line)
        if let g = c.grad {
            assertClose(out.gradient?.data ?? [], g.data, rtol: c.rtol, atol: max(c.grad_atol ?? c.atol, 1e-7),
                        "\(c.name): gradient", file: file, line: line)
        }
    }
}
