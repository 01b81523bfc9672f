import Foundation
import Losses

/// The probes' region points, fitted to the issue 17.3 losses whose inputs differ from the other
/// region losses': `masked-dice` takes its region mask as the target's last channel
/// (`[N, 2, spatial…]` after a class-index map), and `generalized-wasserstein-dice` always applies
/// a softmax (it has no `activation`), so it is given logits instead of probabilities.
enum SegmentationExtrasProbe {
    /// The point, adapted for `id`; points of other losses unchanged.
    static func adapt(_ point: ProbePoint, id: String) throws -> ProbePoint {
        switch id {
        case "masked-dice": return try withInteriorMask(point)
        case "generalized-wasserstein-dice": return try asLogits(point)
        default: return point
        }
    }

    /// The grid's interior — every position but the outer ring — appended to the `[1, rows, columns]`
    /// label map, so a page shows the mask at work without writing one.
    static func withInteriorMask(_ point: ProbePoint) throws -> ProbePoint {
        guard let target = point.target, target.rank == 3 else { return point }
        let rows = target.shape[1], columns = target.shape[2]
        var mask = [Float]()
        for r in 0..<rows {
            for c in 0..<columns {
                mask.append(rows > 2 && columns > 2 && (r == 0 || c == 0 || r == rows - 1 || c == columns - 1) ? 0 : 1)
            }
        }
        var out = point
        out.target = try Tensor(shape: [1, 2, rows, columns], data: target.data + mask)
        return out
    }

    /// Probabilities p (summing to 1 over the channels) as logits log p, whose softmax is p; the
    /// derivative along the probe's variable becomes (∂p/∂v)/p.
    static func asLogits(_ point: ProbePoint) throws -> ProbePoint {
        guard point.parameters["activation"] == .string("none") else { return point }
        let p = point.exactInput.isEmpty ? point.input.data.map(Double.init) : point.exactInput
        guard p.allSatisfy({ $0 > 0 }) else {
            throw ProbeError(message: "this loss takes logits: every probability of the probe must be above 0 (s strictly between 0 and 1)")
        }
        var out = point
        out.exactInput = p.map { log($0) }
        out.input = try Tensor(shape: point.input.shape, data: out.exactInput.map(Float.init))
        out.parameters["activation"] = nil
        if !point.derivative.isEmpty { out.derivative = zip(point.derivative, p).map { $0 / $1 } }
        return out
    }
}
