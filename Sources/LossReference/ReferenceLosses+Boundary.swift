import Foundation

/// Distance-map losses: the maps come from `ReferenceDistanceTransform` (brute force) and are
/// constants with respect to the input.
extension ReferenceLosses {
    static var boundaryEntries: [Entry] {
        [
            Entry(id: "boundary", defaults: classScoreDefaults.merging(["include_background": .bool(false)]) { $1 }) { input, target, p in
                try boundary(input, target, p)
            },
            Entry(id: "hausdorff-dt", defaults: classScoreDefaults.merging([
                "alpha": .number(2), "include_background": .bool(false), "batch": .bool(false),
            ]) { $1 }) { input, target, p in
                try hausdorffDT(input, target, p)
            },
        ]
    }

    /// One spatial slice `(n, c)` of a dense `(n, c, s)` array, thresholded at 0.5.
    static func slice(_ values: [Double], _ scores: RefClassScores, _ n: Int, _ c: Int) -> RefArray {
        var mask = RefArray(shape: scores.spatialShape, repeating: 0)
        for s in 0..<scores.spatial { mask.data[s] = values[scores.at(n, c, s)] > 0.5 ? 1 : 0 }
        return mask
    }

    /// Kervadec's signed map φ = edt(¬m)·¬m − (edt(m) − 1)·m; 0 where the mask has no
    /// foreground or no background.
    static func signedBoundaryMap(_ mask: RefArray) throws -> RefArray {
        var out = RefArray(shape: mask.shape, repeating: 0)
        guard mask.data.contains(1), mask.data.contains(0) else { return out }
        var complement = mask
        complement.data = mask.data.map { 1 - $0 }
        let inside = try ReferenceDistanceTransform.edt(mask), outside = try ReferenceDistanceTransform.edt(complement)
        for i in 0..<mask.count {
            out.data[i] = mask.data[i] == 1 ? -(inside.data[i] - 1) : outside.data[i]
        }
        return out
    }

    /// Boundary loss (Kervadec et al.): per (sample, kept class) `mean_s p · φ(g)`, reduced over
    /// the `[N, C]` table.
    static func boundary(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let classes = try keptClasses(scores.channels, p)
        var values: [Double] = []
        for n in 0..<scores.batch {
            for c in classes {
                let phi = try signedBoundaryMap(slice(dense.t, scores, n, c))
                var sum = 0.0
                for s in 0..<scores.spatial { sum += scores.p[scores.at(n, c, s)] * phi.data[s] }
                values.append(sum / Double(scores.spatial))
            }
        }
        return RefMath.reduce(values, shape: [scores.batch, classes.count], try p.reduction())
    }

    /// Karimi & Salcudean's distance map edt(m) + edt(¬m); 0 for an all-in or all-out mask.
    static func boundaryDistanceMap(_ mask: RefArray) throws -> RefArray {
        guard mask.data.contains(1), mask.data.contains(0) else { return RefArray(shape: mask.shape, repeating: 0) }
        var complement = mask
        complement.data = mask.data.map { 1 - $0 }
        let a = try ReferenceDistanceTransform.edt(mask), b = try ReferenceDistanceTransform.edt(complement)
        var out = a
        for i in 0..<mask.count { out.data[i] = a.data[i] + b.data[i] }
        return out
    }

    /// Hausdorff-DT loss (Karimi & Salcudean; MONAI `HausdorffDTLoss`): per (sample, kept class)
    /// `mean_s (p − g)² (d_p^α + d_g^α)`, d_p from the prediction thresholded at 0.5.
    static func hausdorffDT(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let classes = try keptClasses(scores.channels, p)
        let alpha = try p.number("alpha"), batch = try p.bool("batch")
        var table: [[Double]] = Array(repeating: Array(repeating: 0, count: classes.count), count: scores.batch)
        for n in 0..<scores.batch {
            for (k, c) in classes.enumerated() {
                let dp = try boundaryDistanceMap(slice(scores.p, scores, n, c))
                let dg = try boundaryDistanceMap(slice(dense.t, scores, n, c))
                var sum = 0.0
                for s in 0..<scores.spatial {
                    let i = scores.at(n, c, s)
                    let e = scores.p[i] - dense.t[i]
                    sum += e * e * (pow(dp.data[s], alpha) + pow(dg.data[s], alpha))
                }
                table[n][k] = sum / Double(scores.spatial)
            }
        }
        if batch {
            let values = classes.indices.map { k in (0..<scores.batch).map { table[$0][k] }.reduce(0, +) / Double(scores.batch) }
            return RefMath.reduce(values, shape: [classes.count], try p.reduction())
        }
        return RefMath.reduce(table.flatMap { $0 }, shape: [scores.batch, classes.count], try p.reduction())
    }
}
