extension SSIMLoss {
    /// The window's shape (MONAI's `KernelType`).
    public enum KernelType: String, Sendable, CaseIterable {
        /// A Gaussian of σ = `kernelSigma`, normalised (MONAI's default).
        case gaussian
        /// All weights equal.
        case uniform
    }

    /// Structural-similarity loss (Wang et al. 2004), MONAI `SSIMLoss`: per sample one minus the
    /// mean SSIM map.
    ///
    /// Input: images `[N, C, H, W]` (or `[N, C, D, H, W]` with `spatialDims: 3`); target: the same
    /// shape. The same loss as `Catalog.make("ssim", …)`, validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let ssim = try SSIMLoss(spatialDims: 2, dataRange: 255)
    /// ```
    /// - Parameters:
    ///   - spatialDims: 2 or 3 (default 2; MONAI requires it).
    ///   - dataRange: the value range L of the images, > 0 (default 1).
    ///   - kernelType: `.gaussian` (default) or `.uniform`.
    ///   - winSize: the window's size per axis, ≥ 1 (default 11).
    ///   - kernelSigma: the Gaussian's σ, > 0 (default 1.5).
    ///   - k1: c₁ = (k₁ L)² (default 0.01).
    ///   - k2: c₂ = (k₂ L)² (default 0.03).
    ///   - reduction: `mean` (default), `sum` or `none` (shape `[N]`).
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` for a value out of range.
    public init(spatialDims: Int = 2, dataRange: Double = 1, kernelType: KernelType = .gaussian, winSize: Int = 11,
                kernelSigma: Double = 1.5, k1: Double = 0.01, k2: Double = 0.03, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "spatial_dims": .integer(spatialDims), "data_range": .number(dataRange), "kernel_type": .string(kernelType.rawValue),
            "win_size": .integer(winSize), "kernel_sigma": .number(kernelSigma), "k1": .number(k1), "k2": .number(k2),
            "reduction": .string(reduction.rawValue),
        ])
    }
}
