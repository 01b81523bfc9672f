import Foundation
import Losses

/// The reference grid's inputs for the issue 17.3 losses whose target is not a plain class-score
/// target: `masked-dice` takes its region mask as the target's last channel.
enum SegmentationExtrasCases {
    /// The class-score scenarios of `id`, with each target given the extra input its loss takes.
    static func adapt(_ id: String, _ cases: [LossCase], _ rng: inout SeededGenerator) -> [LossCase] {
        guard id == "masked-dice" else { return cases }
        return cases.map { c in
            var c = c
            if let target = c.target { c.target = withMask(target, input: c.input, &rng) }
            return c
        }
    }

    /// A 0/1 mask `[N, 1, spatial…]` (about two positions in three inside; the first position of
    /// every sample outside, the second inside) appended as the target's last channel: a class-index
    /// map `[N, spatial…]` becomes `[N, 2, spatial…]`, a dense target `[N, C, spatial…]` becomes
    /// `[N, C + 1, spatial…]`.
    static func withMask(_ target: Tensor, input: Tensor, _ rng: inout SeededGenerator) -> Tensor {
        let n = input.shape[0], spatialShape = Array(input.shape.dropFirst(2))
        let s = spatialShape.reduce(1, *)
        let dense = target.shape == input.shape
        let channels = dense ? input.shape[1] : 1
        var out = Tensor(shape: [n, channels + 1] + spatialShape)
        for b in 0..<n {
            for k in 0..<channels {
                for x in 0..<s { out.data[(b * (channels + 1) + k) * s + x] = target.data[(b * channels + k) * s + x] }
            }
            for x in 0..<s {
                let inside = x == 1 || (x != 0 && rng.integer(3) != 0)
                out.data[(b * (channels + 1) + channels) * s + x] = inside ? 1 : 0
            }
        }
        return out
    }

    /// The same target with every mask value set to `value`.
    static func settingMask(_ target: Tensor, to value: Float) -> Tensor {
        var out = target
        let n = target.shape[0], channels = target.shape[1], s = target.count / (n * channels)
        for b in 0..<n {
            for x in 0..<s { out.data[(b * channels + channels - 1) * s + x] = value }
        }
        return out
    }

    /// A neighbouring-classes matrix (classes 1 and 2 half as far apart) and an unnormalised one,
    /// for the 3-class grid; `nil` for every other parameter.
    static func alternatives(_ spec: ParameterSpec, id: String) -> [ParameterValue]? {
        guard id == "generalized-wasserstein-dice", spec.name == "dist_matrix" else { return nil }
        return [.numbers([0, 1, 1, 1, 0, 0.5, 1, 0.5, 0]), .numbers([0, 2, 4, 2, 0, 1, 4, 1, 0])]
    }
}

