import XCTest
@testable import Losses

/// The distance transform against a brute-force O(n²) exact computation done here in `Double`.
final class DistanceTransformTests: XCTestCase {
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func bool(probability: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < probability }
    }

    private func coordinates(_ index: Int, _ shape: [Int]) -> [Int] {
        var rest = index
        var result = Array(repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() {
            result[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return result
    }

    /// Exact distances by trying every zero element.
    private func bruteForce(_ mask: [Bool], _ shape: [Int], _ spacing: [Double]) -> [Double] {
        let zeros = mask.indices.filter { !mask[$0] }.map { coordinates($0, shape) }
        return mask.indices.map { i in
            guard mask[i] else { return 0 }
            let x = coordinates(i, shape)
            var best = Double.infinity
            for y in zeros {
                var d = 0.0
                for a in shape.indices { let t = spacing[a] * Double(x[a] - y[a]); d += t * t }
                best = min(best, d)
            }
            return best.squareRoot()
        }
    }

    private func check(shape: [Int], spacing: [Double], density: Double, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws {
        var generator = Generator(state: seed)
        let count = shape.reduce(1, *)
        let mask = (0..<count).map { _ in generator.bool(probability: density) }
        let fast = try DistanceTransform.euclidean(mask, shape: shape, spacing: spacing)
        let slow = bruteForce(mask, shape, spacing)
        XCTAssertEqual(fast.count, slow.count, file: file, line: line)
        for i in 0..<count {
            if slow[i].isInfinite {
                XCTAssertEqual(fast[i], slow[i], "element \(i)", file: file, line: line)
            } else {
                XCTAssertEqual(fast[i], slow[i], accuracy: 1e-12 * max(1, slow[i]), "element \(i) of \(shape)", file: file, line: line)
            }
        }
    }

    func testOneDimensional() throws {
        for (seed, density) in [(1, 0.5), (2, 0.9), (3, 0.98), (4, 0.1)] as [(UInt64, Double)] {
            try check(shape: [57], spacing: [1], density: density, seed: seed)
            try check(shape: [40], spacing: [0.37], density: density, seed: seed + 10)
        }
    }

    func testTwoDimensionalIsotropicAndAnisotropic() throws {
        for (seed, density) in [(5, 0.5), (6, 0.95), (7, 0.99)] as [(UInt64, Double)] {
            try check(shape: [17, 23], spacing: [1, 1], density: density, seed: seed)
            try check(shape: [13, 19], spacing: [2.5, 0.7], density: density, seed: seed + 20)
        }
    }

    func testThreeDimensional() throws {
        try check(shape: [7, 9, 11], spacing: [1, 1, 1], density: 0.97, seed: 8)
        try check(shape: [6, 8, 5], spacing: [3, 1, 0.5], density: 0.9, seed: 9)
        try check(shape: [1, 12, 1], spacing: [1, 1, 1], density: 0.8, seed: 10)
    }

    func testLargeVolumeUsesParallelPathAndStaysExact() throws {
        // 70 000 elements crosses the threshold for the concurrent pass; compare a sample.
        var generator = Generator(state: 11)
        let shape = [35, 40, 50]
        let mask = (0..<shape.reduce(1, *)).map { _ in generator.bool(probability: 0.999) }
        let fast = try DistanceTransform.euclidean(mask, shape: shape, spacing: [1, 2, 1])
        let slow = bruteForce(Array(mask), shape, [1, 2, 1])
        for i in stride(from: 0, to: mask.count, by: 97) {
            XCTAssertEqual(fast[i], slow[i], accuracy: 1e-12 * max(1, slow[i]))
        }
    }

    func testSingleSpacingAppliesToEveryAxis() throws {
        var generator = Generator(state: 12)
        let mask = (0..<60).map { _ in generator.bool(probability: 0.8) }
        XCTAssertEqual(try DistanceTransform.euclidean(mask, shape: [6, 10], spacing: [0.5]),
                       try DistanceTransform.euclidean(mask, shape: [6, 10], spacing: [0.5, 0.5]))
    }

    func testEmptyAndFullMasks() throws {
        // All zero: every element is a zero element.
        XCTAssertEqual(try DistanceTransform.euclidean(Array(repeating: false, count: 12), shape: [3, 4]),
                       Array(repeating: 0, count: 12))
        // No zero element: documented as +∞ everywhere.
        XCTAssertEqual(try DistanceTransform.euclidean(Array(repeating: true, count: 12), shape: [3, 4]),
                       Array(repeating: .infinity, count: 12))
        // Zero-sized array and rank-0 array.
        XCTAssertEqual(try DistanceTransform.euclidean([], shape: [0, 5]), [])
        XCTAssertEqual(try DistanceTransform.euclidean([false], shape: []), [0])
        XCTAssertEqual(try DistanceTransform.euclidean([true], shape: []), [.infinity])
    }

    func testTensorOverloadTreatsNonZeroAndNaNAsForeground() throws {
        let input = try Tensor(shape: [5], data: [0, 2, .nan, -1, 0])
        let result = try DistanceTransform.euclidean(input)
        let expected = bruteForce([false, true, true, true, false], [5], [1]).map(Float.init)
        XCTAssertEqual(result.data, expected)
    }

    func testBadArgumentsThrow() {
        XCTAssertThrowsError(try DistanceTransform.euclidean([true, false], shape: [3]))
        XCTAssertThrowsError(try DistanceTransform.euclidean([true, false], shape: [2], spacing: [1, 1]))
        XCTAssertThrowsError(try DistanceTransform.euclidean([true, false], shape: [2], spacing: [0]))
        XCTAssertThrowsError(try DistanceTransform.euclidean([true, false], shape: [2], spacing: [.nan]))
        XCTAssertThrowsError(try DistanceTransform.euclidean([true, false], shape: [2], spacing: [-1]))
    }

    func testSignedBoundaryMapFollowsKervadecDefinition() throws {
        var generator = Generator(state: 13)
        let shape = [9, 12]
        let spacing = [1.5, 1.0]
        let mask = (0..<108).map { _ in generator.bool(probability: 0.4) }
        let phi = try DistanceTransform.signedBoundaryMap(mask, shape: shape, spacing: spacing)
        let inside = bruteForce(mask, shape, spacing)
        let outside = bruteForce(mask.map { !$0 }, shape, spacing)
        for i in mask.indices {
            let expected = mask[i] ? -(inside[i] - 1) : outside[i]
            XCTAssertEqual(phi[i], expected, accuracy: 1e-12)
        }
        // Absent and full classes give φ = 0.
        XCTAssertEqual(try DistanceTransform.signedBoundaryMap(Array(repeating: false, count: 6), shape: [2, 3]), Array(repeating: 0, count: 6))
        XCTAssertEqual(try DistanceTransform.signedBoundaryMap(Array(repeating: true, count: 6), shape: [2, 3]), Array(repeating: 0, count: 6))
    }

    func testBoundaryDistanceMapIsSumOfBothSides() throws {
        var generator = Generator(state: 14)
        let shape = [4, 5, 6]
        let mask = (0..<120).map { _ in generator.bool(probability: 0.5) }
        let d = try DistanceTransform.boundaryDistanceMap(mask, shape: shape)
        let inside = bruteForce(mask, shape, [1, 1, 1])
        let outside = bruteForce(mask.map { !$0 }, shape, [1, 1, 1])
        for i in mask.indices { XCTAssertEqual(d[i], inside[i] + outside[i], accuracy: 1e-12) }
        XCTAssertEqual(try DistanceTransform.boundaryDistanceMap(Array(repeating: true, count: 4), shape: [4]), [0, 0, 0, 0])
    }

    func testInverseBoundaryMapFollowsSegLossNormalisation() throws {
        var generator = Generator(state: 15)
        let shape = [7, 9]
        let spacing = [1.0, 0.6]
        let mask = (0..<63).map { _ in generator.bool(probability: 0.45) }
        let d = try DistanceTransform.inverseBoundaryMap(mask, shape: shape, spacing: spacing)
        let inside = bruteForce(mask, shape, spacing)
        let outside = bruteForce(mask.map { !$0 }, shape, spacing)
        let insideValues = mask.indices.filter { mask[$0] }.map { inside[$0] }
        let outsideValues = mask.indices.filter { !mask[$0] }.map { outside[$0] }
        for i in mask.indices {
            let (values, e) = mask[i] ? (insideValues, inside[i]) : (outsideValues, outside[i])
            let (top, bottom) = (values.max()!, values.min()!)
            let expected = top > bottom ? (top - e) / (top - bottom) : 1
            XCTAssertEqual(d[i], expected, accuracy: 1e-12)
            XCTAssertTrue(d[i] >= 0 && d[i] <= 1)
        }
        // 1 on both sides of the boundary: the elements next to it have the smallest distance.
        XCTAssertEqual(d.max(), 1)
        // One-voxel-thick object: every element of it touches the boundary.
        XCTAssertEqual(try DistanceTransform.invertedInside([false, true, false], shape: [3]), [0, 1, 0])
        XCTAssertEqual(try DistanceTransform.inverseBoundaryMap(Array(repeating: false, count: 3), shape: [3]), [0, 0, 0])
        XCTAssertEqual(try DistanceTransform.inverseBoundaryMap(Array(repeating: true, count: 3), shape: [3]), [0, 0, 0])
    }
}
