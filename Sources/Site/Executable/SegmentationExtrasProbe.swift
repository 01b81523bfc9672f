import Losses

/// `masked-dice` takes its region mask as the target's last channel (`[N, 2, spatial…]` after a
/// class-index map). The probes' grids give it their interior — every position but the outer
/// ring — so a reference page or a note shows the mask at work without writing one.
enum RegionMaskProbe {
    static let ids: Set<String> = ["masked-dice"]

    /// The point with the interior mask appended to its `[1, rows, columns]` label map, for the
    /// losses that take one; other points unchanged.
    static func adapt(_ point: ProbePoint, id: String) throws -> ProbePoint {
        guard ids.contains(id), let target = point.target, target.rank == 3 else { return point }
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
}
