import FormulaCheck
import Foundation

/// Probes for the losses that compare images (`ssim`, `perceptual`), and the kernels their
/// formulas slide over them (`w \star x`, `\varphi_l(x)`): written here from the parameters'
/// documentation, not taken from the library, so that the check covers the library's windows too.
extension CatalogLoss {
    static let imageLosses: Set<String> = ["ssim", "perceptual"]

    /// One sample of two channels on a 12 × 13 grid (at least the default 11 × 11 window, so a
    /// 2 × 3 grid Ω′): two random images in [0, 1], one brightened (a uniform offset), and a
    /// target equal to the prediction with one channel constant (SSIM's 1, the perceptual loss's 0).
    /// One sample, not two: the evaluator slides every window term by term (with two samples the
    /// catalog's uncached check took 40 s against 12 s before these losses were bound,
    /// `check --formulas --no-cache`, release), and with samples of one size a mean of per-sample
    /// means is the mean over every position, which two channels of one sample tell from a sum.
    func imageProbes(_ random: inout SplitMix) -> [Probe] {
        let shape = [1, 2, 12, 13], count = shape.reduce(1, *)
        func probe(_ label: String, _ x: [Double], _ y: [Double]) -> Probe {
            Probe(label: label, arrays: ["input": .init(shape: shape, values: x), "target": .init(shape: shape, values: y),
                                         "loss target": .init(shape: shape, values: y)])
        }
        func image() -> [Double] { (0..<count).map { _ in Self.float(random.uniform()) } }
        var probes = (0..<2).map { k in probe("random \(k + 1) on 1 × 2 × 12 × 13", image(), image()) }
        let y = image()
        probes.append(probe("the target brightened by 0.25", y.map { Self.float($0 + 0.25) }, y))
        let constant = y.indices.map { $0 < 156 ? 0.5 : y[$0] }
        probes.append(probe("identical images, one channel constant", constant, constant))
        return probes
    }

    /// `window`: SSIM's 2-D window, the outer product of the 1-D one the parameters describe
    /// (uniform 1/k, or MONAI's Gaussian: offsets (1 − k)/2 … (k − 1)/2, σ = `kernel_sigma`,
    /// normalised to sum 1). `filter bank`: the perceptual loss's four 3 × 3 kernels as its
    /// description lists them (identity, Sobel x, Sobel y, Laplacian), `[4, 3, 3]`.
    /// `structuring element`: the Hausdorff erosion loss's cross B on the probe's grid (3 per axis).
    /// `grid height`, `grid width`: the probe's image size, numbers.
    func imageArray(_ source: String, on probe: Probe) throws -> ProbeArray? {
        switch source {
        case "window":
            guard let size = parameter("win_size")?.first.map(Int.init) else { return nil }
            var line = [Double](repeating: 1 / Double(size), count: size)
            if case let .string(kind)? = parameters.values["kernel_type"], kind == "gaussian", let sigma = parameter("kernel_sigma")?.first {
                line = (0..<size).map { t in exp(-pow((Double(1 - size) / 2 + Double(t)) / sigma, 2) / 2) }
                let total = line.reduce(0, +)
                line = line.map { $0 / total }
            }
            return ProbeArray(shape: [size, size], values: line.flatMap { a in line.map { a * $0 } })
        case "filter bank":
            let identity: [Double] = [0, 0, 0, 0, 1, 0, 0, 0, 0]
            let sobelX: [Double] = [-1, 0, 1, -2, 0, 2, -1, 0, 1]
            let sobelY: [Double] = [-1, -2, -1, 0, 0, 0, 1, 2, 1]
            let laplacian: [Double] = [0, 1, 0, 1, -4, 1, 0, 1, 0]
            return ProbeArray(shape: [4, 3, 3], values: identity + sobelX + sobelY + laplacian)
        case "structuring element":
            // The Hausdorff erosion loss's cross: the centre and its 2d axis neighbours, each 1/(2d + 1).
            guard let p = probe.arrays["probability"], p.shape.count >= 3 else { return nil }
            let d = p.shape.count - 2
            let grid = [Int](repeating: 3, count: d)
            let cross = (0..<grid.reduce(1, *)).map { t -> Double in
                var rest = t, offCentre = 0
                for _ in 0..<d { if rest % 3 != 1 { offCentre += 1 }; rest /= 3 }
                return offCentre <= 1 ? 1 / Double(2 * d + 1) : 0
            }
            return ProbeArray(shape: grid, values: cross)
        case "grid height", "grid width":
            guard let input = probe.arrays["input"], input.shape.count >= 4 else { return nil }
            return ProbeArray(shape: [], values: [Double(input.shape[source == "grid height" ? 2 : 3])])
        default:
            return nil
        }
    }
}
