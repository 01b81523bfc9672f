@testable import FormulaCheck
import Foundation
import LossFormulas
@testable import Losses
import XCTest

/// `w \star x` and `B * f` (`Correlation`): a kernel slid over a grid, valid (onto Ω′, smaller)
/// or zero-padded, as a correlation or a convolution; and the image losses bound with it.
final class CorrelationFormulaTests: XCTestCase {
    /// Seeded values on a 5 × 6 grid.
    private static func image(seed: UInt64) -> [Double] {
        var random = SplitMix(seed: seed)
        return (0..<30).map { _ in Double(Float(random.uniform())) }
    }

    private static func evaluator(_ formula: String, operator source: String, kernel: [Double], image: [Double]) throws -> Evaluator {
        let system = try FormulaSystem(formulas: [formula], axes: ["j", "t"])
        var evaluator = try Evaluator(system: system, values: [
            "x": .array(try BoundArray(axes: ["j"], shape: [5, 6], values: image)),
            "K": .array(try BoundArray(axes: ["t"], shape: [3, 3], values: kernel)),
        ])
        evaluator.correlations = [#"\star"#: try Correlation(symbol: #"\star"#, parsing: source)]
        try evaluator.registerOutputGrids()
        return evaluator
    }

    /// Zero-padded, the Sobel filters give what the perceptual loss's own `correlate` gives;
    /// as a convolution the kernel is flipped (Sobel x flipped is −Sobel x).
    func testZeroPaddedCorrelationAndConvolution() throws {
        let x = Self.image(seed: 7)
        for (name, kernel) in PerceptualLoss.filters where name != "identity" {
            var library = [Double](repeating: 0, count: 30)
            PerceptualLoss.correlate(x, kernel, 5, 6, into: &library)
            var flipped = [Double](repeating: 0, count: 30)
            PerceptualLoss.correlate(x, kernel.reversed(), 5, 6, into: &flipped)
            let correlation = try Self.evaluator(#"y = K \star x"#, operator: "zero-padded correlation over j", kernel: kernel, image: x)
            let convolution = try Self.evaluator(#"y = K \star x"#, operator: "zero-padded convolution over j", kernel: kernel, image: x)
            for j in 1...30 {
                XCTAssertEqual(try correlation.evaluate(definition: "y", scope: ["j": Double(j)]), library[j - 1], accuracy: 1e-12, "\(name) j = \(j)")
                XCTAssertEqual(try convolution.evaluate(definition: "y", scope: ["j": Double(j)]), flipped[j - 1], accuracy: 1e-12, "\(name) j = \(j)")
            }
        }
    }

    /// Valid, the output grid is 3 × 4 on its own index i (|Ω′| = 12), and each position is
    /// the window's weighted sum of the 3 × 3 block below and right of it: SSIM's `smooth`.
    func testValidCorrelationHasItsOwnGrid() throws {
        let x = Self.image(seed: 8)
        let kernel = Self.image(seed: 9).prefix(9).map { $0 }
        let evaluator = try Self.evaluator(#"y = K \star x, \quad s = \sum_i y"#, operator: "valid correlation over j into i",
                                           kernel: kernel, image: x)
        XCTAssertEqual(evaluator.extents["i"], 12)
        XCTAssertEqual(evaluator.grids["i"], [3, 4])
        let ssim = try SSIMLoss(try Catalog.validate(["win_size": .number(3)], against: SSIMLoss.descriptor))
        // SSIM's own smoothing is separable: compare with a separable kernel, the outer product of its window.
        let separable = try Self.evaluator(#"y = K \star x"#, operator: "valid correlation over j into i",
                                           kernel: ssim.window.flatMap { a in ssim.window.map { a * $0 } }, image: x)
        let smoothed = ssim.smooth(x, [5, 6])
        XCTAssertEqual(smoothed.count, 12)
        for i in 1...12 {
            XCTAssertEqual(try separable.evaluate(definition: "y", scope: ["i": Double(i)]), smoothed[i - 1], accuracy: 1e-12, "i = \(i)")
        }
        var total = 0.0
        for i in 0..<12 {
            let (r, c) = (i / 4, i % 4)
            for a in 0..<3 { for b in 0..<3 { total += kernel[a * 3 + b] * x[(r + a) * 6 + c + b] } }
        }
        XCTAssertEqual(try evaluator.evaluate(definition: "s"), total, accuracy: 1e-12)
    }

    /// A full convolution is the valid correlation's transpose (SSIM's w^⊤): Σ_i g_i (K ⋆ x)_i =
    /// Σ_j x_j (K * g)_j, on a 5 × 6 image, Ω′ 3 × 4 and a kernel with no symmetry; a full
    /// correlation (the kernel not flipped) is not.
    func testFullConvolutionIsTheValidCorrelationsTranspose() throws {
        let x = Self.image(seed: 11), g = Self.image(seed: 12).prefix(12).map { $0 }
        let kernel = Self.image(seed: 13).prefix(9).map { $0 }
        func pairing(_ transpose: String) throws -> (Double, Double) {
            let system = try FormulaSystem(formulas: [#"y = K \star x, \quad z = K * g, \quad a = \sum_i g\, y, \quad b = \sum_j x\, z"#],
                                           axes: ["i", "j", "t"])
            var evaluator = try Evaluator(system: system, values: [
                "x": .array(try BoundArray(axes: ["j"], shape: [5, 6], values: x)),
                "g": .array(try BoundArray(axes: ["i"], shape: [3, 4], values: g)),
                "K": .array(try BoundArray(axes: ["t"], shape: [3, 3], values: kernel)),
            ])
            evaluator.correlations = [#"\star"#: try Correlation(symbol: #"\star"#, parsing: "valid correlation over j into i"),
                                      "*": try Correlation(symbol: "*", parsing: transpose)]
            try evaluator.registerOutputGrids()
            XCTAssertEqual(evaluator.grids["j"], [5, 6])
            return (try evaluator.evaluate(definition: "a"), try evaluator.evaluate(definition: "b"))
        }
        let (a, b) = try pairing("full convolution over i into j")
        XCTAssertEqual(a, b, accuracy: 1e-12)
        let (c, d) = try pairing("full correlation over i into j")
        XCTAssertGreaterThan(abs(c - d), 1e-3)
        XCTAssertThrowsError(try Correlation(symbol: "*", parsing: "full convolution over i")) {
            XCTAssertTrue("\($0)".contains("has a larger grid"), "\($0)")
        }
    }

    /// Read outside its grid's index, unbound, or with a kernel that does not fit: one-line errors.
    func testCorrelationErrors() throws {
        let x = Self.image(seed: 10)
        let kernel = [Double](repeating: 1, count: 9)
        let valid = try Self.evaluator(#"y = K \star x"#, operator: "valid correlation over j into i", kernel: kernel, image: x)
        XCTAssertThrowsError(try valid.evaluate(definition: "y")) { XCTAssertTrue("\($0)".contains("use it where i is bound"), "\($0)") }
        let unbound = try Evaluator(system: try FormulaSystem(formulas: [#"y = K * x"#], axes: ["j", "t"]), values: [:])
        XCTAssertThrowsError(try unbound.evaluate(definition: "y")) { XCTAssertTrue("\($0)".contains("'*' has no meaning here"), "\($0)") }
        XCTAssertThrowsError(try Correlation(symbol: "*", parsing: "valid correlation over j")) {
            XCTAssertTrue("\($0)".contains("has a smaller grid"), "\($0)")
        }
        XCTAssertThrowsError(try Self.evaluator(#"y = K \star x"#, operator: "valid correlation over j into i",
                                                kernel: [Double](repeating: 1, count: 9), image: Array(x.prefix(30)))
            .evaluate(definition: "y", scope: ["i": 13])) { XCTAssertTrue("\($0)".contains("outside the output grid"), "\($0)") }
    }

    /// `\sigma^2 = a - b` read as `\sigma^2` is a − b as written, also when rounding leaves it
    /// below 0 (a variance of a constant image), where √ then ² would give NaN.
    func testSquaredDefinitionReadsItsRightSide() throws {
        let (a, b) = (0.3, 0.1 + 0.2)
        XCTAssertLessThan(a - b, 0)
        let system = try FormulaSystem(formulas: [#"\sigma^2 = a - b, \quad v = \sigma^2 + 1, \quad s = \sigma"#])
        let evaluator = try Evaluator(system: system, values: ["a": .scalar(a), "b": .scalar(b)])
        XCTAssertEqual(try evaluator.evaluate(definition: "v"), a - b + 1)
        XCTAssertTrue(try evaluator.evaluate(definition: "s").isNaN)
    }

    func testImageFormulasAgree() throws {
        let bindings = CatalogBindings.all.filter { ["ssim", "perceptual"].contains($0.loss) }
        XCTAssertEqual(Set(bindings.map(\.loss)), ["ssim", "perceptual"])
        for binding in bindings {
            for outcome in try CatalogFormulas.check(binding) {
                XCTAssertNil(outcome.report.disagreement, "\(binding.loss) \(outcome.settings): \(outcome.report.disagreement.map { "\($0)" } ?? "")")
                XCTAssertGreaterThanOrEqual(outcome.report.checked, 4)
            }
        }
    }

    /// regression-losses.md's SSIM block, the same in zh and en; a missing factor 2 fails.
    func testSSIMNoteFormula() throws {
        let block = try NoteFormulaTests.bilingualBlock(in: "regression-losses.md", containing: "L_{SSIM}")
        let report = try NoteFormulaTests.check(block)
        XCTAssertNil(report.disagreement, report.disagreement.map(String.init(describing:)) ?? "")
        XCTAssertGreaterThan(report.checked, 0)
        for (from, to) in [(#"(2\mu_x\mu_y + c_1)"#, #"(\mu_x\mu_y + c_1)"#), (#"\sigma_y^2 + c_2)}"#, #"\sigma_y^2)}"#)] {
            XCTAssertTrue(block.contains(from))
            XCTAssertFalse(try NoteFormulaTests.check(block.replacingOccurrences(of: from, with: to)).passed, "\(from) → \(to)")
        }
    }
}
