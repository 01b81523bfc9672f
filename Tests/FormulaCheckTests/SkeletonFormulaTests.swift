@testable import FormulaCheck
import Foundation
import LossFormulas
import Losses
import XCTest

/// `\operatorname{skel}`, the soft skeleton as a field function (the library's `SoftSkeleton`,
/// registered by `CatalogLoss.fieldFunctions(on:)`), a field function over stacked images, a name
/// read at an index (`T_{prec,n}`), and the clDice losses' formulas bound with them.
final class SkeletonFormulaTests: XCTestCase {
    /// MONAI's `soft_skel`, written here from its definition and apart from the library's:
    /// erosion the minimum of the 3-pixel lines along each axis, dilation the 3×3 box maximum,
    /// windows clipped at the border.
    private static func independentSkeleton(_ x: [Double], rows: Int, columns: Int, iterations: Int) -> [Double] {
        func at(_ image: [Double], _ r: Int, _ c: Int) -> Double? {
            r >= 0 && r < rows && c >= 0 && c < columns ? image[r * columns + c] : nil
        }
        func erode(_ image: [Double]) -> [Double] {
            (0..<(rows * columns)).map { k in
                let (r, c) = (k / columns, k % columns)
                let vertical = [-1, 0, 1].compactMap { at(image, r + $0, c) }.min()!
                let horizontal = [-1, 0, 1].compactMap { at(image, r, c + $0) }.min()!
                return min(vertical, horizontal)
            }
        }
        func dilate(_ image: [Double]) -> [Double] {
            (0..<(rows * columns)).map { k in
                let (r, c) = (k / columns, k % columns)
                return [-1, 0, 1].flatMap { a in [-1, 0, 1].compactMap { b in at(image, r + a, c + b) } }.max()!
            }
        }
        func residue(_ image: [Double]) -> [Double] {
            zip(image, dilate(erode(image))).map { max($0 - $1, 0) }
        }
        var image = x
        var skeleton = residue(image)
        for _ in 0..<iterations {
            image = erode(image)
            skeleton = zip(skeleton, residue(image)).map { s, d in s + max(d - s * d, 0) }
        }
        return skeleton
    }

    /// Seeded values in [0, 1], some of them exactly 0 or 1 (ties in the poolings).
    private static func image(_ count: Int, seed: UInt64) -> [Double] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { _ in
            let u = random.uniform()
            return u < 0.2 ? 0 : (u > 0.8 ? 1 : Double(Float(random.uniform())))
        }
    }

    /// The skeleton function cldice's formulas get (iter_ = 3 by default), for an image of `shape`.
    private static func skel(_ shape: [Int], settings: [String: String] = [:]) throws -> FieldFunction {
        let probe = Probe(label: "grid", arrays: ["probability": .init(shape: [1, 1] + shape, values: Array(repeating: 0, count: shape.reduce(1, *)))])
        return try XCTUnwrap(try CatalogLoss(id: "cldice", settings: settings).fieldFunctions(on: probe)[FieldFunction.skel])
    }

    func testSkelIsTheLibrarySkeletonAndMONAIs() throws {
        for (iterations, seed) in [(3, UInt64(1)), (1, 2), (0, 3)] {
            let x = Self.image(30, seed: seed)
            let system = try FormulaSystem(formulas: [#"y_i = \operatorname{skel}(x)"#], axes: ["i"])
            var evaluator = try Evaluator(system: system, values: ["x": .array(try BoundArray(axes: ["i"], extents: [30], values: x))])
            evaluator.fieldFunctions = [FieldFunction.skel: try Self.skel([5, 6], settings: ["iter_": "\(iterations)"])]
            let library = try SoftSkeleton(shape: [5, 6], iterations: iterations)(x)
            let independent = Self.independentSkeleton(x, rows: 5, columns: 6, iterations: iterations)
            XCTAssertTrue(library.contains { $0 > 0 }, "an all-zero skeleton would prove little")
            for i in 1...30 {
                let value = try evaluator.evaluate(definition: "y", scope: ["i": Double(i)])
                XCTAssertEqual(value, library[i - 1], accuracy: 1e-12, "iter_ \(iterations), i = \(i)")
                XCTAssertEqual(value, independent[i - 1], accuracy: 1e-12, "iter_ \(iterations), i = \(i)")
            }
        }
    }

    /// An index over two images stacked (clDice's classes flattened with the positions) takes
    /// each image's own skeleton, not one of the 10 × 6 stack.
    func testSkelOverStackedImagesMapsEachImage() throws {
        let x = Self.image(60, seed: 4)
        let system = try FormulaSystem(formulas: [#"y_i = \operatorname{skel}(x)"#], axes: ["i"])
        var evaluator = try Evaluator(system: system, values: ["x": .array(try BoundArray(axes: ["i"], extents: [60], values: x))])
        evaluator.fieldFunctions = [FieldFunction.skel: try Self.skel([5, 6])]
        let expected = Self.independentSkeleton(Array(x[..<30]), rows: 5, columns: 6, iterations: 3)
            + Self.independentSkeleton(Array(x[30...]), rows: 5, columns: 6, iterations: 3)
        XCTAssertNotEqual(expected, Self.independentSkeleton(x, rows: 10, columns: 6, iterations: 3))
        for i in 1...60 {
            XCTAssertEqual(try evaluator.evaluate(definition: "y", scope: ["i": Double(i)]), expected[i - 1], accuracy: 1e-12, "i = \(i)")
        }
        // 7 positions are no stack of 30-position images.
        var short = try Evaluator(system: system, values: ["x": .array(try BoundArray(axes: ["i"], extents: [7], values: Array(x[..<7])))])
        short.fieldFunctions = evaluator.fieldFunctions
        XCTAssertThrowsError(try short.evaluate(definition: "y", scope: ["i": 1]))
    }

    /// `T_{prec,n}` reads the definition `T_{prec}` at the n in scope; outside a scope with n it is an error.
    func testNameReadAtAnIndex() throws {
        let x = try BoundArray(axes: ["n", "i"], extents: [2, 3], values: [1, 2, 3, 10, 20, 30])
        let system = try FormulaSystem(formulas: [#"T_{prec} = \sum_i x_i^2, \qquad y = \sum_n n\, T_{prec,n}, \qquad z = T_{prec,n}"#],
                                       axes: ["n", "i"])
        let evaluator = try Evaluator(system: system, values: ["x": .array(x)])
        let squares = x.values.map { $0 * $0 }
        XCTAssertEqual(try evaluator.evaluate(definition: "y"), squares[0..<3].reduce(0, +) + 2 * squares[3...].reduce(0, +))
        XCTAssertThrowsError(try evaluator.evaluate(definition: "z")) { error in
            XCTAssertTrue("\(error)".contains("index n is not bound"), "\(error)")
        }
    }

    func testClDiceFormulasAgree() throws {
        let bindings = CatalogBindings.all.filter { ["cldice", "dice-cldice"].contains($0.loss) }
        XCTAssertEqual(Set(bindings.map(\.loss)), ["cldice", "dice-cldice"])
        for binding in bindings {
            for outcome in try CatalogFormulas.check(binding) {
                XCTAssertNil(outcome.report.disagreement, "\(binding.loss) \(outcome.settings): \(outcome.report.disagreement.map { "\($0)" } ?? "")")
                XCTAssertGreaterThanOrEqual(outcome.report.checked, 3)
            }
        }
    }
    /// region-losses.md's clDice block (p_i over every class's image, stacked), the same in zh
    /// and en; a missing factor 2 fails.
    func testClDiceNoteFormula() throws {
        let block = try NoteFormulaTests.bilingualBlock(in: "region-losses.md", containing: "L_{clDice}")
        let report = try NoteFormulaTests.check(block)
        XCTAssertNil(report.disagreement, report.disagreement.map(String.init(describing:)) ?? "")
        XCTAssertGreaterThan(report.checked, 0)
        let from = #"1 - \frac{2\, T_{prec}"#
        XCTAssertTrue(block.contains(from))
        XCTAssertFalse(try NoteFormulaTests.check(block.replacingOccurrences(of: from, with: #"1 - \frac{T_{prec}"#)).passed)
    }
}
