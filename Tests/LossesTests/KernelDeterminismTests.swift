import Foundation
import XCTest
@testable import Losses

/// The dense kernels split large inputs across cores: the result must not depend on which
/// worker ran which chunk, and a label map read in place must give what its one-hot form gives.
final class KernelDeterminismTests: XCTestCase {
    typealias S = LossTestSupport

    /// Large enough for several chunks of softmax blocks (`Softmax.grain` blocks each), with a
    /// partial block at the end of each sample.
    private func problem(seed: UInt64) -> (x: Tensor, y: Tensor, oneHot: Tensor) {
        var g = S.Generator(seed: seed)
        let N = 2, C = 4, Sp = 4 * Parallel.grain / C + 3
        let x = S.random([N, C, Sp], &g), y = S.labels([N, Sp], classes: C, &g)
        let layout = ClassScoreShape(shape: x.shape, batch: N, classes: C, spatial: Sp)
        let labels = y.data.map { Int($0) }
        return (x, y, try! Tensor(shape: x.shape, data: ClassScores.oneHot(labels, layout: layout)))
    }

    private static let ids = ["cross-entropy", "focal", "dice", "dice-ce", "tversky", "generalized-dice"]

    func testRepeatedRunsGiveTheSameBits() throws {
        let (x, y, _) = problem(seed: 301)
        XCTAssertGreaterThan(Softmax.blockCount(ClassScoreShape(shape: x.shape, batch: 2, classes: 4, spatial: x.shape[2])),
                             2 * Softmax.grain(ClassScoreShape(shape: x.shape, batch: 2, classes: 4, spatial: x.shape[2])),
                             "the input must span several chunks")
        for id in Self.ids {
            let loss = try Catalog.make(id, [:])
            let first = try loss.evaluate(x, target: y, gradient: true)
            for _ in 0..<3 {
                let again = try loss.evaluate(x, target: y, gradient: true)
                XCTAssertEqual(again.value.data.map(\.bitPattern), first.value.data.map(\.bitPattern), "\(id): value")
                XCTAssertEqual(again.gradient!.data.map(\.bitPattern), first.gradient!.data.map(\.bitPattern), "\(id): gradient")
            }
            let valueOnly = try loss.evaluate(x, target: y, gradient: false)
            XCTAssertEqual(valueOnly.value.data.map(\.bitPattern), first.value.data.map(\.bitPattern), "\(id): value without gradient")
        }
    }

    /// Class indices are compared with each class where they lie; the one-hot target takes the
    /// dense path. Both describe the same problem.
    func testLabelMapMatchesItsOneHotTarget() throws {
        let (x, y, oneHot) = problem(seed: 302)
        for id in Self.ids {
            let loss = try Catalog.make(id, [:])
            let labels = try loss.evaluate(x, target: y, gradient: true)
            let dense = try loss.evaluate(x, target: oneHot, gradient: true)
            XCTAssertEqual(Double(labels.value.data[0]), Double(dense.value.data[0]),
                           accuracy: 1e-6 * max(1, abs(Double(dense.value.data[0]))), id)
            let scale = dense.gradient!.data.map { abs(Double($0)) }.max()!
            for (a, b) in zip(labels.gradient!.data, dense.gradient!.data) where abs(Double(a) - Double(b)) > 1e-5 * scale {
                XCTFail("\(id): gradient \(a) vs \(b)")
                break
            }
        }
    }

    /// Validation runs in chunks; the error still names the first bad element, and an ignore
    /// index inside 0..<C is ignored, not counted as a class.
    func testLabelValidationNamesTheFirstBadElement() {
        var values = [Float](repeating: 1, count: 3 * Parallel.grain + 5)
        values[Parallel.grain + 3] = 0.5
        values[2 * Parallel.grain + 1] = 7
        XCTAssertThrowsError(try ClassScores.labels(values, classes: 3, ignoreIndex: nil)) { error in
            XCTAssertTrue("\(error)".contains("flat index \(Parallel.grain + 3)"), "\(error)")
        }
        values[Parallel.grain + 3] = 1
        XCTAssertThrowsError(try ClassScores.labels(values, classes: 3, ignoreIndex: nil)) { error in
            XCTAssertTrue("\(error)".contains("flat index \(2 * Parallel.grain + 1)"), "\(error)")
        }
        XCTAssertEqual(try ClassScores.labels([0, 1, 2, 1, -0.0], classes: 3, ignoreIndex: 1), [0, ClassScores.ignored, 2, ClassScores.ignored, 0])
        let map = try? ClassScores.labelMap([0, 1, 2, 1, 7], classes: 3, ignoreIndex: 7, counting: true)
        XCTAssertEqual(map?.counts, [1, 2, 1])
        XCTAssertEqual(map?.ignored, 7)
        XCTAssertEqual(map?.ignoredCount, 1)
        let uncounted = try? ClassScores.labelMap([0, 1, 2, 1, 7], classes: 3, ignoreIndex: 7)
        XCTAssertNil(uncounted?.counts)
        XCTAssertEqual(uncounted?.classCounts(3), [1, 2, 1])
    }

    /// The vector check (64 labels at a time) misses no bad label and counts as the one-by-one
    /// check does: each kind of bad value, put in a vector group, is reported where it is; the
    /// ignore index (outside or inside 0..<C) and −0 (left to the one-by-one tail) pass.
    func testVectorLabelCheckAgreesWithOneByOne() {
        let C = 5
        for ignore in [-100, 2, nil] as [Int?] {
            var values = (0..<300).map { Float($0 % C) }
            values[290] = -0.0
            if let ignore { values[7] = Float(ignore); values[131] = Float(ignore) }
            var counts = [Int](repeating: 0, count: C), ignored = 0
            for v in values {
                if let ignore, v == Float(ignore) { ignored += 1 } else { counts[Int(v)] += 1 }
            }
            let map = try? ClassScores.labelMap(values, classes: C, ignoreIndex: ignore, counting: true)
            XCTAssertEqual(map?.counts, counts, "ignore \(String(describing: ignore))")
            XCTAssertEqual(map?.ignoredCount, ignored, "ignore \(String(describing: ignore))")
            for bad: Float in [0.5, 4.25, -1, Float(C), 1e9, Float(1 << 23) + 1, .nan, .infinity, -.infinity] {
                var broken = values
                broken[193] = bad
                XCTAssertThrowsError(try ClassScores.labelMap(broken, classes: C, ignoreIndex: ignore)) { error in
                    XCTAssertTrue("\(error)".contains("flat index 193"), "\(bad), ignore \(String(describing: ignore)): \(error)")
                }
            }
        }
    }
}
