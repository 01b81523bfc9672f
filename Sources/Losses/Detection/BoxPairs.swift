import Foundation

/// The shared core of the box-regression losses (`box-iou`, `giou`, `diou`, `ciou`), as
/// `torchvision.ops` computes them: boxes in `(x1, y1, x2, y2)`, one loss per pair of
/// predicted box (the input, differentiated) and target box.
///
/// Input and target have equal shape `[…, 4]` (`[N, 4]` or a single box `[4]`); the unreduced
/// loss has shape `[…]`. Coordinates are read as `Float`, every pair is computed in `Double`
/// and the reduction sums in `Double`. The gradient is torchvision's autograd gradient, ties
/// included: `torch.maximum`/`torch.minimum` send half the gradient to each argument when they
/// are equal, so a predicted edge that coincides with the target's edge gets half of it; the
/// intersection is 0 (and has no gradient) unless both overlaps are strictly positive. A pair
/// with a NaN or infinite coordinate gives NaN (value and gradient).
enum BoxPairs {
    /// Which loss of the family.
    enum Kind: Sendable {
        /// 1 − IoU.
        case iou
        /// 1 − IoU + (C − U)/(C + ε), Rezatofighi et al.
        case generalized
        /// 1 − IoU + ρ²/(c² + ε), Zheng et al.
        case distance
        /// DIoU + α v with α detached; ε of IoU and c² fixed at 1e-7, as torchvision.
        case complete
    }

    /// The ε torchvision's `complete_box_iou_loss` uses inside its DIoU part: it calls
    /// `_diou_iou_loss(boxes1, boxes2)` without passing its own `eps`.
    static let ciouInnerEpsilon = 1e-7

    /// Checks the layout and evaluates every pair.
    static func evaluate(_ id: String, _ kind: Kind, eps: Double, reduction: Reduction,
                         _ input: Tensor, _ target: Tensor?, gradient: Bool) throws -> LossOutput {
        guard input.rank >= 1, input.shape[input.rank - 1] == 4 else {
            throw LossError.shapeMismatch("'\(id)' takes boxes (x1, y1, x2, y2) along the last axis, shape [N, 4] or [4]; got \(input.shape)")
        }
        guard let target, target.shape == input.shape else {
            throw LossError.shapeMismatch("'\(id)': the target boxes must have the input's shape \(input.shape), got \(target?.shape ?? [])")
        }
        let n = input.count / 4
        let shape = Array(input.shape.dropLast())
        let scale = Reduce.gradientScale(reduction, count: Double(n))
        var values = [Float](repeating: 0, count: reduction == .none ? n : 0)
        var grad = [Float](repeating: 0, count: gradient ? input.count : 0)
        var sum = 0.0
        for i in 0..<n {
            let b = 4 * i
            let p = (Double(input.data[b]), Double(input.data[b + 1]), Double(input.data[b + 2]), Double(input.data[b + 3]))
            let g = (Double(target.data[b]), Double(target.data[b + 1]), Double(target.data[b + 2]), Double(target.data[b + 3]))
            let (l, d) = pair(kind, p, g, eps: eps)
            sum += l
            if reduction == .none { values[i] = Float(l) }
            if gradient {
                grad[b] = Float(d.0 * scale)
                grad[b + 1] = Float(d.1 * scale)
                grad[b + 2] = Float(d.2 * scale)
                grad[b + 3] = Float(d.3 * scale)
            }
        }
        // torchvision: `loss.mean() if loss.numel() > 0 else 0.0 * loss.sum()`.
        let value = Reduce.value(sum: sum, count: Double(n), elements: values, shape: shape, reduction: reduction, emptyMean: 0)
        return LossOutput(value: value, gradient: gradient ? Tensor(unchecked: input.shape, data: grad) : nil)
    }

    typealias Box = (Double, Double, Double, Double)

    /// ∂max(a, b)/∂a as autograd gives it: 1 where a wins, ½ at a tie, 0 where it loses.
    @inline(__always) static func maxShare(_ a: Double, _ b: Double) -> Double { a > b ? 1 : (a == b ? 0.5 : 0) }
    /// ∂min(a, b)/∂a, likewise.
    @inline(__always) static func minShare(_ a: Double, _ b: Double) -> Double { a < b ? 1 : (a == b ? 0.5 : 0) }

    /// The aspect angle atan(w/h) and its partial derivatives. At h = 0 the angle is ±π/2 (torch's
    /// atan(±∞)) with the derivatives' limits (torch: NaN); a box with w = h = 0 has no angle
    /// (`nil`: no aspect term, torch: NaN).
    static func aspect(_ w: Double, _ h: Double) -> (angle: Double, dw: Double, dh: Double)? {
        let r2 = w * w + h * h
        guard r2 > 0 else { return nil }
        let angle = h != 0 ? atan(w / h) : (w > 0 ? Double.pi / 2 : -Double.pi / 2)
        return (angle, h / r2, -w / r2)
    }

    /// One pair's loss and its gradient with respect to the predicted box `p`.
    static func pair(_ kind: Kind, _ p: Box, _ g: Box, eps: Double) -> (Double, Box) {
        let (x1, y1, x2, y2) = p, (u1, v1, u2, v2) = g
        guard [x1, y1, x2, y2, u1, v1, u2, v2].allSatisfy(\.isFinite) else { return (.nan, (.nan, .nan, .nan, .nan)) }
        // Intersection, union and IoU (torchvision's `_loss_inter_union`).
        let ix1 = max(x1, u1), iy1 = max(y1, v1), ix2 = min(x2, u2), iy2 = min(y2, v2)
        let iw = ix2 - ix1, ih = iy2 - iy1
        let overlaps = iw > 0 && ih > 0
        let inter = overlaps ? iw * ih : 0
        let w = x2 - x1, h = y2 - y1, wg = u2 - u1, hg = v2 - v1
        let union = w * h + wg * hg - inter
        let iouEps = kind == .complete ? ciouInnerEpsilon : eps
        let den = union + iouEps
        let iou = inter / den
        var value = 1 - iou
        // ∂value/∂inter and ∂value/∂area(p) through −IoU (the union holds both).
        var dInter = -(den + inter) / (den * den)
        var dArea = inter / (den * den)
        var d0 = 0.0, d1 = 0.0, d2 = 0.0, d3 = 0.0
        // Smallest enclosing box.
        let cx1 = min(x1, u1), cy1 = min(y1, v1), cx2 = max(x2, u2), cy2 = max(y2, v2)
        let cw = cx2 - cx1, ch = cy2 - cy1
        var dcw = 0.0, dch = 0.0
        switch kind {
        case .iou:
            break
        case .generalized:
            let area = cw * ch
            value += (area - union) / (area + eps)
            dInter += 1 / (area + eps)
            dArea -= 1 / (area + eps)
            let dC = (union + eps) / ((area + eps) * (area + eps))
            dcw = dC * ch
            dch = dC * cw
        case .distance, .complete:
            let diagonal = cw * cw + ch * ch + (kind == .complete ? ciouInnerEpsilon : eps)
            let dx = (x1 + x2) / 2 - (u1 + u2) / 2, dy = (y1 + y2) / 2 - (v1 + v2) / 2
            let rho = dx * dx + dy * dy
            value += rho / diagonal
            let dDiagonal = -rho / (diagonal * diagonal)
            dcw = dDiagonal * 2 * cw
            dch = dDiagonal * 2 * ch
            d0 += dx / diagonal; d2 += dx / diagonal
            d1 += dy / diagonal; d3 += dy / diagonal
            if kind == .complete, let a = aspect(w, h), let ag = aspect(wg, hg) {
                let k = 4 / (Double.pi * Double.pi)
                let v = k * (ag.angle - a.angle) * (ag.angle - a.angle)
                // α is computed under torch.no_grad(): a constant for the gradient.
                let alpha = v / (1 - iou + v + eps)
                value += alpha * v
                let dAngle = -2 * alpha * k * (ag.angle - a.angle)
                d2 += dAngle * a.dw; d0 -= dAngle * a.dw
                d3 += dAngle * a.dh; d1 -= dAngle * a.dh
            }
        }
        if overlaps {
            d0 -= dInter * ih * maxShare(x1, u1)
            d2 += dInter * ih * minShare(x2, u2)
            d1 -= dInter * iw * maxShare(y1, v1)
            d3 += dInter * iw * minShare(y2, v2)
        }
        d0 -= dArea * h; d2 += dArea * h
        d1 -= dArea * w; d3 += dArea * w
        d0 -= dcw * minShare(x1, u1); d2 += dcw * maxShare(x2, u2)
        d1 -= dch * minShare(y1, v1); d3 += dch * maxShare(y2, v2)
        return (value, (d0, d1, d2, d3))
    }
}
