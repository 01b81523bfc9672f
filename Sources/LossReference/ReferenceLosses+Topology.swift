import Foundation

/// Topology-aware segmentation losses, written from Shit et al. (clDice) and MONAI's
/// `soft_skel` description: soft erosion = the smallest of the per-axis 3-pixel minima, soft
/// dilation = the 3×3(×3) maximum, both over the part of the window inside the image.
extension ReferenceLosses {
    static let clDiceDefaults: [String: RefParameter] = classScoreDefaults.merging([
        "iter_": .number(3), "smooth_nr": .number(1), "smooth_dr": .number(1), "smooth": .number(1e-4),
        "include_background": .bool(true),
    ]) { $1 }

    static var topologyEntries: [Entry] {
        [
            Entry(id: "cldice", defaults: clDiceDefaults) { input, target, p in
                try clDice(input, target, p)
            },
            // MONAI's SoftDiceclDiceLoss: (1 − α)·Dice + α·clDice, each reduced first; mean or sum.
            Entry(id: "dice-cldice", defaults: clDiceDefaults.merging(["alpha": .number(0.5)]) { $1 }) { input, target, p in
                let alpha = try p.number("alpha")
                if try p.reduction() == .none {
                    throw ReferenceError.invalidParameter(name: "reduction", message: "none is not available")
                }
                var shared: [String: RefParameter] = [:]
                for name in ["smooth_nr", "smooth_dr", "include_background", "activation", "reduction"] {
                    shared[name] = p.values[name] ?? p.defaults[name]
                }
                let dice = try value(id: "dice", input: input, target: target, parameters: shared).data[0]
                let cl = try clDice(input, target, p).data[0]
                return RefArray(scalar: (1 - alpha) * dice + alpha * cl)
            },
        ]
    }

    /// One clDice value per sample: the channel and spatial axes summed together (MONAI 1.6).
    static func clDice(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> RefArray {
        let values = try clDicePerSample(input, target, p)
        return RefMath.reduce(values, shape: [values.count], try p.reduction())
    }

    static func clDicePerSample(_ input: RefArray, _ target: RefArray?, _ p: RefParameters) throws -> [Double] {
        let (scores, dense) = try probabilitiesAndTarget(input, target, p)
        guard scores.spatialShape.count == 2 || scores.spatialShape.count == 3 else {
            throw ReferenceError.invalidInput("clDice needs [N, C, H, W] or [N, C, D, H, W]")
        }
        let steps = Int(try p.number("iter_"))
        let nr = try p.number("smooth_nr"), dr = try p.number("smooth_dr"), smooth = try p.number("smooth")
        let grid = RefGrid(scores.spatialShape)
        var out: [Double] = []
        for n in 0..<scores.batch {
            var skelPTimesG = 0.0, skelP = 0.0, skelGTimesP = 0.0, skelG = 0.0
            for c in try keptClasses(scores.channels, p) {
                let probs = (0..<scores.spatial).map { scores.p[scores.at(n, c, $0)] }
                let truth = (0..<scores.spatial).map { dense.t[scores.at(n, c, $0)] }
                let sp = grid.softSkeleton(probs, steps), sg = grid.softSkeleton(truth, steps)
                for s in 0..<scores.spatial {
                    skelPTimesG += sp[s] * truth[s]
                    skelP += sp[s]
                    skelGTimesP += sg[s] * probs[s]
                    skelG += sg[s]
                }
            }
            let tprec = (skelPTimesG + nr) / (skelP + dr)
            let tsens = (skelGTimesP + nr) / (skelG + dr)
            out.append(1 - 2 * tprec * tsens / (tprec + tsens + smooth))
        }
        return out
    }
}

/// A 2-D or 3-D grid of pixels, with the soft morphology of clDice on it.
struct RefGrid {
    let dims: [Int]
    /// Per pixel (row-major), for each axis the flat indices of the pixel and its neighbours
    /// along that axis that lie inside the grid.
    let lines: [[[Int]]]
    /// Per pixel, the flat indices of its 3×3(×3) neighbourhood inside the grid.
    let boxes: [[Int]]

    init(_ dims: [Int]) {
        self.dims = dims
        var pixels: [[Int]] = [[]]
        for size in dims { pixels = pixels.flatMap { prefix in (0..<size).map { prefix + [$0] } } }
        func flat(_ q: [Int]) -> Int { zip(q, dims).reduce(0) { $0 * $1.1 + $1.0 } }
        func inside(_ q: [Int]) -> Bool { zip(q, dims).allSatisfy { $0 >= 0 && $0 < $1 } }
        var offsets: [[Int]] = [[]]
        for _ in dims { offsets = offsets.flatMap { o in [-1, 0, 1].map { o + [$0] } } }
        lines = pixels.map { q in
            dims.indices.map { axis in
                [-1, 0, 1].compactMap { step -> Int? in
                    var r = q
                    r[axis] += step
                    return inside(r) ? flat(r) : nil
                }
            }
        }
        boxes = pixels.map { q in
            offsets.compactMap { o -> Int? in
                let r = zip(q, o).map { $0 + $1 }
                return inside(r) ? flat(r) : nil
            }
        }
    }

    /// min over axes of (min over the pixel and its two neighbours along that axis).
    func erode(_ x: [Double]) -> [Double] {
        lines.map { axes in axes.map { line in line.map { x[$0] }.min()! }.min()! }
    }

    /// max over the 3×3(×3) neighbourhood.
    func dilate(_ x: [Double]) -> [Double] {
        boxes.map { box in box.map { x[$0] }.max()! }
    }

    /// Shit et al.'s soft skeleton: skel = [x − open(x)]₊, then for each erosion step
    /// skel += [δ − skel·δ]₊ with δ = [x' − open(x')]₊ on the eroded image x'.
    func softSkeleton(_ image: [Double], _ steps: Int) -> [Double] {
        func positivePart(_ v: Double) -> Double { v > 0 ? v : 0 }
        func topHat(_ x: [Double]) -> [Double] {
            let opened = dilate(erode(x))
            return zip(x, opened).map { positivePart($0 - $1) }
        }
        var x = image
        var skel = topHat(x)
        for _ in 0..<steps {
            x = erode(x)
            let delta = topHat(x)
            skel = zip(skel, delta).map { s, d in s + positivePart(d - s * d) }
        }
        return skel
    }
}
