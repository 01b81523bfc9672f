extension PerceptualLoss {
    /// Perceptual (feature-reconstruction) loss on the fixed filter bank ``filters``:
    /// ℓ_n = Σ_l w_l · 1/(CHW) · ‖φ_l(x_n) − φ_l(y_n)‖².
    ///
    /// Input and target: images or feature maps `[N, C, H, W]` of the same shape; φ_l is identity,
    /// Sobel-x, Sobel-y and Laplacian, applied per channel. The same loss as
    /// `Catalog.make("perceptual", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let edges = try PerceptualLoss(layerWeights: [1, 0.5, 0.5, 0])
    /// ```
    /// - Parameters:
    ///   - layerWeights: one weight w_l ≥ 0 per filter, in the order of ``filters`` (default `[1, 1, 1, 1]`).
    ///   - reduction: `mean` (default, over the batch), `sum` or `none` (shape `[N]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a negative weight or a count
    ///   of weights other than four.
    public init(layerWeights: [Double] = [1, 1, 1, 1], reduction: Reduction = .mean) throws {
        try self.init(validating: ["layer_weights": .list(layerWeights), "reduction": .string(reduction.rawValue)])
    }
}
