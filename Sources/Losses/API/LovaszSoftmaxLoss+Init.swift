extension LovaszSoftmaxLoss {
    /// Which classes ``LovaszSoftmaxLoss`` averages over (the reference code's `classes`).
    public enum Classes: String, Sendable, CaseIterable {
        /// Only the classes present in the target (of the batch, or of the image with `perImage`).
        case present
        /// Every class.
        case all
    }

    /// Lovász-Softmax loss (Berman et al. 2018): the Lovász extension of the Jaccard loss on the
    /// sorted per-pixel errors of each class, Δ̄_J(m) = Σ_k m₍ₖ₎ (Δ(k) − Δ(k − 1)), averaged over classes.
    ///
    /// Input: class scores `[N, C, spatial…]` (logits, or probabilities with `.none`); target:
    /// class indices `[N, spatial…]` or dense one-hot, shaped like the input. A group with no
    /// position left or no class present gives 0. The same loss as `Catalog.make("lovasz-softmax", …)`,
    /// validated by ``Loss/init(validating:)``.
    ///
    /// ```swift
    /// let lovasz = try LovaszSoftmaxLoss(classes: .present, perImage: true, ignoreIndex: 255)
    /// ```
    /// - Parameters:
    ///   - classes: ``Classes/present`` (default) or ``Classes/all``.
    ///   - perImage: compute per image, then average over images (default `false`: the whole batch at once).
    ///   - ignoreIndex: a target label whose positions are left out (default −100).
    ///   - activation: `.softmax` (default), `.sigmoid`, or `.none` for probabilities.
    ///   - reduction: `mean` (default), `sum` or `none`.
    /// - Throws: ``LossError/invalidParameter(loss:name:message:)`` if validation rejects a value.
    public init(classes: Classes = .present, perImage: Bool = false, ignoreIndex: Int = -100,
                activation: Activation = .softmax, reduction: Reduction = .mean) throws {
        try self.init(validating: [
            "classes": .string(classes.rawValue), "per_image": .bool(perImage), "ignore_index": .integer(ignoreIndex),
            "activation": .string(activation.rawValue), "reduction": .string(reduction.rawValue),
        ])
    }
}
