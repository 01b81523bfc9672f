import Foundation

/// SSIM (Wang et al. 2004) as MONAI defines its loss: at every position where the whole window
/// fits, local statistics under the window w (the product of 1-D Gaussians or uniform weights, each
/// summing to 1), summed here over the full 2-D or 3-D window at once.
extension ReferenceLosses {
    static var ssimEntries: [Entry] {
        [
            Entry(id: "ssim", defaults: ["reduction": .string("mean"), "spatial_dims": .number(2), "data_range": .number(1),
                                         "kernel_type": .string("gaussian"), "win_size": .number(11),
                                         "kernel_sigma": .number(1.5), "k1": .number(0.01), "k2": .number(0.03)]) { input, target, p in
                guard let target, target.shape == input.shape else { throw ReferenceError.invalidInput("ssim needs a target image of the input's shape") }
                let dims = Int(try p.number("spatial_dims")), size = Int(try p.number("win_size"))
                guard input.shape.count == dims + 2 else { throw ReferenceError.invalidInput("input rank must be spatial_dims + 2") }
                let spatial = Array(input.shape.dropFirst(2))
                guard spatial.allSatisfy({ $0 >= size }) else { throw ReferenceError.invalidInput("image smaller than the window") }
                let sigma = try p.number("kernel_sigma")
                let line: [Double] = try p.string("kernel_type") == "uniform"
                    ? Array(repeating: 1, count: size)
                    : (0..<size).map { t in exp(-pow((Double(t) - Double(size - 1) / 2) / sigma, 2) / 2) }
                let lineSum = line.reduce(0, +)
                let range = try p.number("data_range")
                let c1 = pow(try p.number("k1") * range, 2), c2 = pow(try p.number("k2") * range, 2)
                // Every offset of the window, with its weight.
                var offsets: [([Int], Double)] = [([], 1)]
                for _ in 0..<dims {
                    offsets = offsets.flatMap { o, w in (0..<size).map { (o + [$0], w * line[$0] / lineSum) } }
                }
                let valid = spatial.map { $0 - size + 1 }
                var corners: [[Int]] = [[]]
                for v in valid { corners = corners.flatMap { c in (0..<v).map { c + [$0] } } }
                let n = input.shape[0], channels = input.shape[1], pixels = spatial.reduce(1, *)
                func flat(_ q: [Int]) -> Int { zip(q, spatial).reduce(0) { $0 * $1.1 + $1.0 } }
                var values: [Double] = []
                for b in 0..<n {
                    var total = 0.0
                    for c in 0..<channels {
                        let base = (b * channels + c) * pixels
                        for corner in corners {
                            var ex = 0.0, ey = 0.0, exx = 0.0, eyy = 0.0, exy = 0.0
                            for (o, w) in offsets {
                                let i = base + flat(zip(corner, o).map { $0 + $1 })
                                let x = input.data[i], y = target.data[i]
                                ex += w * x; ey += w * y; exx += w * x * x; eyy += w * y * y; exy += w * x * y
                            }
                            let covariance = exy - ex * ey
                            total += (2 * ex * ey + c1) * (2 * covariance + c2)
                                / ((ex * ex + ey * ey + c1) * ((exx - ex * ex) + (eyy - ey * ey) + c2))
                        }
                    }
                    values.append(1 - total / Double(channels * corners.count))
                }
                return RefMath.reduce(values, shape: [n], try p.reduction())
            },
        ]
    }
}
