import Foundation

/// Distance-map losses: the maps come from `ReferenceDistanceTransform` (brute force) and are
/// constants with respect to the input (MONAI computes them under `no_grad`).
extension ReferenceLosses {
    static var boundaryEntries: [Entry] {
        [
            Entry(id: "boundary", defaults: classScoreDefaults.merging([
                "include_background": .bool(true), "batch": .bool(false), "spacing": .numbers([]),
            ]) { $1 }) { input, target, p in
                try boundary(input, target, p)
            },
            Entry(id: "hausdorff-dt", defaults: classScoreDefaults.merging([
                "alpha": .number(2), "include_background": .bool(false), "batch": .bool(false), "spacing": .numbers([]),
            ]) { $1 }) { input, target, p in
                try hausdorffDT(input, target, p)
            },
        ]
    }

    /// The grid step per spatial axis: `nil` (unit), one value for every axis, or one per axis.
    static func spacing(_ p: RefParameters, rank: Int) throws -> [Double]? {
        let values = try p.numbers("spacing")
        if values.isEmpty { return nil }
        if values.count == 1 { return Array(repeating: values[0], count: rank) }
        guard values.count == rank else {
            throw ReferenceError.invalidParameter(name: "spacing", message: "needs 1 or \(rank) values")
        }
        return values
    }

    /// One spatial slice `(n, c)` of a dense `(n, c, s)` array as a 0/1 mask, `value > ½`.
    static func slice(_ values: [Double], _ scores: RefClassScores, _ n: Int, _ c: Int) -> RefArray {
        var mask = RefArray(shape: scores.spatialShape, repeating: 0)
        for s in 0..<scores.spatial { mask.data[s] = values[scores.at(n, c, s)] > 0.5 ? 1 : 0 }
        return mask
    }

    /// Reduces a `[N][kept classes]` table: with `batch` first the mean over N per class
    /// (`none`: `[C′]`), else `none` is `[N, C′]`.
    static func reduceTable(_ table: [[Double]], _ p: RefParameters) throws -> RefArray {
        let rows = table.count, classes = table.first?.count ?? 0
        if try p.bool("batch") {
            let values = (0..<classes).map { k in (0..<rows).map { table[$0][k] }.reduce(0, +) / Double(rows) }
            return RefMath.reduce(values, shape: [classes], try p.reduction())
        }
        return RefMath.reduce(table.flatMap { $0 }, shape: [rows, classes], try p.reduction())
    }

    /// Boundary loss (Kervadec et al.; MONAI `BoundaryLoss`): per (sample, kept class)
    /// `(1/S) Σ_s p · φ(g > ½)`.
    static func boundary(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let classes = try keptClasses(scores.channels, p)
        let steps = try spacing(p, rank: scores.spatialShape.count)
        var table: [[Double]] = []
        for n in 0..<scores.batch {
            var row: [Double] = []
            for c in classes {
                let phi = try ReferenceDistanceTransform.signedBoundaryMap(slice(dense.t, scores, n, c), spacing: steps)
                var sum = 0.0
                for s in 0..<scores.spatial { sum += scores.p[scores.at(n, c, s)] * phi.data[s] }
                row.append(sum / Double(scores.spatial))
            }
            table.append(row)
        }
        return try reduceTable(table, p)
    }

    /// Hausdorff-DT loss (Karimi & Salcudean; MONAI `HausdorffDTLoss`): per (sample, kept class)
    /// `(1/S) Σ_s (p − g)² (d_p^α + d_g^α)`, d_p the map of the prediction thresholded at p > ½.
    static func hausdorffDT(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        let classes = try keptClasses(scores.channels, p)
        let alpha = try p.number("alpha")
        let steps = try spacing(p, rank: scores.spatialShape.count)
        var table: [[Double]] = []
        for n in 0..<scores.batch {
            var row: [Double] = []
            for c in classes {
                let dp = try ReferenceDistanceTransform.boundaryDistanceMap(slice(scores.p, scores, n, c), spacing: steps)
                let dg = try ReferenceDistanceTransform.boundaryDistanceMap(slice(dense.t, scores, n, c), spacing: steps)
                var sum = 0.0
                for s in 0..<scores.spatial {
                    let i = scores.at(n, c, s)
                    let e = scores.p[i] - dense.t[i]
                    sum += e * e * (pow(dp.data[s], alpha) + pow(dg.data[s], alpha))
                }
                row.append(sum / Double(scores.spatial))
            }
            table.append(row)
        }
        return try reduceTable(table, p)
    }
}
