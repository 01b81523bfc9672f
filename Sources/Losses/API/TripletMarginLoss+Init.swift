extension TripletMarginLoss {
    /// Triplet margin loss, `torch.nn.TripletMarginLoss`: ℓ = max(0, margin + d(a, p) − d(a, n)),
    /// d(u, v) = ‖u − v + ε‖_p.
    ///
    /// Input: anchor, positive and negative stacked, `[3, N, D]` (or `[3, D]`); no target (pass
    /// `nil`). With `swap`, d(a, n) becomes min(d(a, n), d(p, n)). The same loss as
    /// `Catalog.make("triplet-margin", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let triplet = try TripletMarginLoss(margin: 0.3, swap: true)
    /// ```
    /// - Parameters:
    ///   - margin: > 0 (default 1).
    ///   - p: the norm's degree, > 0 (default 2).
    ///   - eps: ε ≥ 0 added to every coordinate of the difference (default 1e-6).
    ///   - swap: the distance swap of Balntas et al. (default `false`).
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(margin: Double = 1, p: Double = 2, eps: Double = 1e-6, swap: Bool = false,
                reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "margin": .number(margin), "p": .number(p), "eps": .number(eps), "swap": .bool(swap),
            "reduction": .string(reduction.rawValue),
        ])
    }
}
