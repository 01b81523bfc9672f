import FormulaCheck
import Foundation
import Losses

/// Probes on a grid for the distance-map losses, and the distance transform their formulas call.
extension CatalogLoss {
    /// The losses whose formulas take a distance transform of a mask (`\operatorname{edt}`).
    static let gridLosses: Set<String> = ["boundary", "hausdorff-dt", "log-hausdorff-dt", "dpce"]

    /// The library's exact Euclidean distance transform over the probe's grid (the spatial axes
    /// of `probability`, with the loss's `spacing`), for `\operatorname{edt}(m)` over axis i: a
    /// non-zero value is the mask. The transform itself is verified against SciPy and brute force
    /// elsewhere; here it lets a formula that names it be compared with the loss.
    ///
    /// For the clDice losses also the library's soft skeleton (`SoftSkeleton`, with the loss's
    /// `iter_`) of one image, `\operatorname{skel}(p)`; the skeleton itself is compared with the
    /// Float64 reference's and with MONAI elsewhere (`ClDiceLossTests`, the peer checks).
    public func fieldFunctions(on probe: Probe) throws -> [String: FieldFunction] {
        guard let p = probe.arrays["probability"], p.shape.count >= 3 else { return [:] }
        let shape = Array(p.shape.dropFirst(2))
        let spacing = parameter("spacing").flatMap { $0.isEmpty ? nil : $0 }
        var functions = [FieldFunction.edt: FieldFunction(axis: "i", count: shape.reduce(1, *)) { mask in
            try DistanceTransform.euclidean(mask.map { $0 != 0 }, shape: shape, spacing: spacing)
        }]
        if Self.skeletonLosses.contains(id), let iterations = parameter("iter_")?.first {
            let skeleton = try SoftSkeleton(shape: shape, iterations: Int(iterations))
            functions[FieldFunction.skel] = FieldFunction(axis: "i", count: skeleton.count) { skeleton($0) }
            functions.merge(Self.morphology(shape: shape)) { $1 }
        }
        return functions
    }

    /// The losses whose formulas take the soft skeleton of an image (`\operatorname{skel}`),
    /// probed on the 2-D grids of `gridProbes` (the skeleton is 2-D or 3-D only).
    static let skeletonLosses: Set<String> = ["cldice", "dice-cldice"]

    /// Three classes on a 5 × 6 grid and on a row of 6: blobs of classes 1 and 2 in the first
    /// sample, class 1 filling the second (so classes 0 and 2 are absent there: all-background
    /// masks, the boundary loss's plateau, and class 1 all-foreground); random scores, and hard
    /// predictions of a shifted blob and of a thin line with a gap.
    func gridProbes(_ random: inout SplitMix) -> [Probe] {
        let classes = 3
        let grid: [Double] = [
            0, 0, 0, 0, 0, 0,
            0, 1, 1, 1, 0, 0,
            0, 1, 1, 1, 0, 2,
            0, 1, 1, 0, 2, 2,
            0, 0, 0, 0, 2, 2,
        ]
        let row: [Double] = [0, 1, 1, 1, 0, 2]
        func probe(_ label: String, _ labels: [Double], spatial: [Int], input: (Int, Int, Int) -> Double) -> Probe {
            let s = spatial.reduce(1, *)
            var x = (0..<2).flatMap { n in (0..<classes).flatMap { c in (0..<s).map { i in Self.float(input(n, c, i)) } } }
            if activation == "none" { x = Self.softmaxOverChannels(x, n: 2, c: classes, s: s).map(Self.float) }
            var out = scores(label, x, labels, n: 2, c: classes, s: s)
            for (name, array) in out.arrays {
                out.arrays[name] = .init(shape: Array(array.shape.prefix(name == "loss target" || name == "target index" ? 1 : 2)) + spatial,
                                         values: array.values)
            }
            return out
        }
        let full = [Double](repeating: 1, count: 30)
        var probes: [Probe] = []
        for k in 0..<2 {
            let noise = (0..<(2 * classes * 30)).map { _ in random.normal() * 2 }
            probes.append(probe("random \(k + 1) on 5 × 6, class 1 filling sample 2", grid + full, spatial: [5, 6]) { n, c, i in
                noise[(n * classes + c) * 30 + i]
            })
        }
        // The first sample's blob shifted one column right, as confident scores.
        let shifted = grid.indices.map { i in i % 6 == 0 ? 0 : grid[i - 1] }
        probes.append(probe("a shifted blob on 5 × 6, class 1 filling sample 2", grid + full, spatial: [5, 6]) { n, c, i in
            (n == 0 ? shifted[i] : 1) == Double(c) ? 4 : -4
        })
        // A one-pixel-wide line of class 1 (clDice's thin vessel; a single distance for dpce)
        // predicted with one pixel of it missed, beside the blob sample filled by class 2.
        let line = (0..<30).map { i in i % 6 == 2 && i >= 6 ? 1.0 : 0 }
        let broken = line.indices.map { i in i == 20 ? 0 : line[i] }
        let filled = [Double](repeating: 2, count: 30)
        probes.append(probe("a thin line missed at one pixel on 5 × 6, class 2 filling sample 2", line + filled, spatial: [5, 6]) { n, c, i in
            (n == 0 ? broken[i] : 2) == Double(c) ? 3 : -3
        })
        if id == "hausdorff-er" {
            // Every position of sample 2 wrong (class 1 predicted as 2): an error map that no
            // erosion clears, whose rescaling starts above 0 (the border's zero padding keeps it below 1).
            probes.append(probe("every position wrong in sample 2 on 5 × 6", grid + full, spatial: [5, 6]) { n, c, i in
                (n == 0 ? grid[i] : 2) == Double(c) ? 4 : -4
            })
        }
        let rowNoise = (0..<(2 * classes * 6)).map { _ in random.normal() * 2 }
        probes.append(probe("random on a row of 6", row + [2, 2, 1, 1, 0, 0], spatial: [6]) { n, c, i in
            rowNoise[(n * classes + c) * 6 + i]
        })
        return probes
    }
}
