import Foundation
import LossReference
import Losses
import XCTest

/// The linear-time distance transform of `Losses` against the brute-force O(n²) reference, and
/// both against SciPy's goldens. Tolerance 1e-6 relative: `Losses` computes in Double and
/// returns Float tensors (rounding ≈ 6e-8 relative), the reference is exact to Double rounding.
final class ReferenceDistanceTransformTests: XCTestCase {
    func testEuclideanMatchesBruteForce() throws {
        var rng = SeededGenerator(seed: 42)
        let shapes: [([Int], [Double]?)] = [
            ([13], nil), ([7, 9], nil), ([6, 8], [0.5, 2.0]), ([4, 5, 6], [1.0, 0.7, 1.3]), ([3, 4, 5], [2.5]),
            ([1, 9], nil), ([5, 1, 4], [1, 3, 0.25]),
        ]
        for (shape, spacing) in shapes {
            for density in [0.3, 0.7, 0.95] {
                var mask = Tensor(shape: shape)
                for i in 0..<mask.count { mask.data[i] = Double(rng.uniform(0...1)) < density ? 1 : 0 }
                if !mask.data.contains(0) { mask.data[0] = 0 }
                let ours = try DistanceTransform.euclidean(mask, spacing: spacing)
                let steps = spacing.map { $0.count == 1 ? Array(repeating: $0[0], count: shape.count) : $0 }
                let reference = try ReferenceDistanceTransform.edt(RefArray(mask), spacing: steps)
                XCTAssertEqual(ours.shape, shape)
                if let m = Tolerance.valueMismatch(ours.data.map(Double.init), reference.data, rtol: 1e-6, atol: 1e-7) {
                    XCTFail("shape \(shape) spacing \(spacing ?? []) density \(density): \(m)")
                }
            }
        }
    }

    /// The reference itself agrees with scipy.ndimage.distance_transform_edt (goldens stored with 12
    /// significant digits, hence 1e-10).
    func testBruteForceMatchesSciPy() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent("golden/scipy.json")
        let file = try JSONDecoder().decode(PeerGoldenTests.File.self, from: Data(contentsOf: url))
        XCTAssertFalse(file.cases.isEmpty)
        for c in file.cases {
            let mask = try RefArray(shape: c.input.shape, data: c.input.data)
            let d = try ReferenceDistanceTransform.edt(mask, spacing: c.spacing)
            if let m = Tolerance.valueMismatch(d.data, c.value.data, rtol: 1e-10, atol: 1e-10) {
                XCTFail("\(c.name): \(m)")
            }
        }
    }

    /// A mask without zeros has no nearest zero: both return +∞ (scipy's value there is an
    /// artefact of its algorithm; the catalog documents +∞).
    func testNoZeroElementGivesInfinity() throws {
        let ones = Tensor(shape: [3, 4], repeating: 1)
        XCTAssertTrue(try DistanceTransform.euclidean(ones).data.allSatisfy { $0 == .infinity })
        XCTAssertTrue(try ReferenceDistanceTransform.edt(RefArray(ones)).data.allSatisfy { $0 == .infinity })
    }
}
