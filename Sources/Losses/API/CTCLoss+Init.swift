extension CTCLoss {
    /// Connectionist temporal classification, `torch.nn.CTCLoss`:
    /// ℓ_n = −log Σ_{π ∈ 𝓑⁻¹(y_n)} Π_t e^{x_{t,n,π_t}}, by the forward–backward recursion in log space.
    ///
    /// Input: log-probabilities `[T, N, C]` (or `[T, C]`); target: `[N, S]` padded, `[Σ L_n]`
    /// concatenated (then `targetLengths` is required) or `[S]` unbatched. An impossible alignment
    /// gives +∞ (0 with `zeroInfinity`). The same loss as `Catalog.make("ctc", …)`, validated by
    /// ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let ctc = try CTCLoss(blank: 0, zeroInfinity: true, inputLengths: [50, 42], targetLengths: [12, 9])
    /// ```
    /// - Parameters:
    ///   - blank: the blank class index, ≥ 0 (default 0).
    ///   - zeroInfinity: give 0 and a zero gradient for an impossible alignment (default `false`).
    ///   - inputLengths: T_n per sample, ≥ 0; empty (default) for the full T.
    ///   - targetLengths: L_n per sample, ≥ 0; empty (default) for the full S.
    ///   - reduction: `mean` (default: each ℓ_n divided by max(L_n, 1), then averaged), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative blank or length.
    public init(blank: Int = 0, zeroInfinity: Bool = false, inputLengths: [Int] = [], targetLengths: [Int] = [],
                reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "blank": .integer(blank), "zero_infinity": .bool(zeroInfinity),
            "input_lengths": .list(inputLengths.map(Double.init)), "target_lengths": .list(targetLengths.map(Double.init)),
            "reduction": .string(reduction.rawValue),
        ])
    }
}
