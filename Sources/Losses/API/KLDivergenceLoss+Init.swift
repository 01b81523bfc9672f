extension KLDivergenceLoss {
    /// How ``KLDivergenceLoss`` combines its element terms: `torch.nn.KLDivLoss`'s reductions, which
    /// are ``Losses/Reduction``'s plus `batchmean`.
    public enum Reduction: String, Sendable, CaseIterable {
        /// The sum divided by the number of elements (PyTorch's default; not the KL divergence of the rows).
        case mean
        /// The sum divided by the batch size N = shape[0]: the mean KL divergence per sample.
        case batchmean
        /// The sum of the element terms.
        case sum
        /// The unreduced element terms, shaped like the input.
        case none
    }

    /// Kullback–Leibler divergence with `torch.nn.KLDivLoss` semantics: ℓᵢ = pᵢ (log pᵢ − log qᵢ),
    /// with 0 log 0 := 0.
    ///
    /// Input: log-probabilities log q; target: probabilities p (or log p with `logTarget`), of the
    /// same shape. Negative or NaN targets throw when evaluated. The same loss as
    /// `Catalog.make("kl-divergence", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let kl = try KLDivergenceLoss(reduction: .batchmean)
    /// ```
    /// - Parameters:
    ///   - reduction: ``Reduction/mean`` (default), ``Reduction/batchmean``, ``Reduction/sum`` or
    ///     ``Reduction/none``.
    ///   - logTarget: the target holds log p rather than p (default `false`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value;
    ///   every case of ``Reduction`` is a choice of this loss, so in practice it does not throw.
    public init(reduction: Reduction = .mean, logTarget: Bool = false) throws {
        try self.init(validating: ["reduction": .string(reduction.rawValue), "log_target": .bool(logTarget)])
    }
}
