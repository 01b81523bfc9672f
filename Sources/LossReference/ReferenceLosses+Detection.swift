import Foundation

/// torchvision's box-regression losses, from the formulas of Rezatofighi et al. (GIoU) and
/// Zheng et al. (DIoU, CIoU) with torchvision's ε placement: boxes (x1, y1, x2, y2) along the
/// last axis of input (predicted) and target, one loss per pair, `reduction` default `none`,
/// and the mean of no pairs is 0 (torchvision's `0.0 * loss.sum()`).
extension ReferenceLosses {
    static var detectionEntries: [Entry] {
        let defaults: [String: RefParameter] = ["reduction": .string("none"), "eps": .number(1e-7)]
        return [
            Entry(id: "box-iou", defaults: defaults) { input, target, p in
                let eps = try p.number("eps")
                return try boxLoss(input, target, p) { a, b in 1 - RefBoxPair(a, b).iou(eps) }
            },
            Entry(id: "giou", defaults: defaults) { input, target, p in
                let eps = try p.number("eps")
                return try boxLoss(input, target, p) { a, b in
                    let pair = RefBoxPair(a, b)
                    let hull = pair.hullWidth * pair.hullHeight
                    return 1 - pair.iou(eps) + (hull - pair.union) / (hull + eps)
                }
            },
            Entry(id: "diou", defaults: defaults) { input, target, p in
                let eps = try p.number("eps")
                return try boxLoss(input, target, p) { a, b in RefBoxPair(a, b).diou(eps) }
            },
            Entry(id: "ciou", defaults: defaults) { input, target, p in
                let eps = try p.number("eps")
                return try boxLoss(input, target, p) { a, b in
                    // torchvision's DIoU part keeps its own default ε = 1e-7.
                    let pair = RefBoxPair(a, b)
                    let inner = 1e-7
                    guard let angle = RefBoxPair.angle(width: a[2] - a[0], height: a[3] - a[1]),
                          let angleTarget = RefBoxPair.angle(width: b[2] - b[0], height: b[3] - b[1]) else {
                        return pair.diou(inner)
                    }
                    let v = 4 / (Double.pi * Double.pi) * pow(angleTarget - angle, 2)
                    let alpha = v / (1 - pair.iou(inner) + v + eps)
                    return pair.diou(inner) + alpha * v
                }
            },
        ]
    }

    /// One value per box pair; NaN for a pair with a non-finite coordinate.
    static func boxLoss(_ input: RefArray, _ target: RefArray?, _ p: RefParameters,
                        _ loss: ([Double], [Double]) -> Double) throws -> RefArray {
        guard let last = input.shape.last, last == 4 else { throw ReferenceError.invalidInput("boxes [N, 4] or [4]") }
        guard let target, target.shape == input.shape else { throw ReferenceError.invalidInput("target boxes of the input's shape") }
        var values: [Double] = []
        for i in 0..<(input.count / 4) {
            let a = Array(input.data[(4 * i)..<(4 * i + 4)]), b = Array(target.data[(4 * i)..<(4 * i + 4)])
            values.append((a + b).allSatisfy(\.isFinite) ? loss(a, b) : .nan)
        }
        let reduction = try p.reduction()
        if values.isEmpty, reduction == .mean { return RefArray(scalar: 0) }
        return RefMath.reduce(values, shape: Array(input.shape.dropLast()), reduction)
    }
}

/// A predicted box and a target box, each [x1, y1, x2, y2].
struct RefBoxPair {
    let box: [Double]
    let target: [Double]

    init(_ box: [Double], _ target: [Double]) {
        self.box = box
        self.target = target
    }

    /// Overlap area; 0 unless the overlap is strictly positive along both axes.
    var intersection: Double {
        let width = Swift.min(box[2], target[2]) - Swift.max(box[0], target[0])
        let height = Swift.min(box[3], target[3]) - Swift.max(box[1], target[1])
        return width > 0 && height > 0 ? width * height : 0
    }

    var union: Double {
        (box[2] - box[0]) * (box[3] - box[1]) + (target[2] - target[0]) * (target[3] - target[1]) - intersection
    }

    func iou(_ eps: Double) -> Double { intersection / (union + eps) }

    /// The smallest box enclosing both.
    var hullWidth: Double { Swift.max(box[2], target[2]) - Swift.min(box[0], target[0]) }
    var hullHeight: Double { Swift.max(box[3], target[3]) - Swift.min(box[1], target[1]) }

    func diou(_ eps: Double) -> Double {
        let centreX = (box[0] + box[2]) / 2 - (target[0] + target[2]) / 2
        let centreY = (box[1] + box[3]) / 2 - (target[1] + target[3]) / 2
        let diagonal = hullWidth * hullWidth + hullHeight * hullHeight
        return 1 - iou(eps) + (centreX * centreX + centreY * centreY) / (diagonal + eps)
    }

    /// arctan(w/h), with arctan(±∞) = ±π/2 at h = 0; `nil` for a box with no extent (no aspect ratio).
    static func angle(width: Double, height: Double) -> Double? {
        if width == 0 && height == 0 { return nil }
        if height == 0 { return width > 0 ? .pi / 2 : -.pi / 2 }
        return atan(width / height)
    }
}
