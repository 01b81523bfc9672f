/// Generalised Dice + focal loss with MONAI `GeneralizedDiceFocalLoss` semantics.
///
/// ```latex
/// \mathcal{L} = \lambda_{gdl}\,\mathcal{L}_{GDL} + \lambda_{focal}\,\mathcal{L}_{focal}
/// ```
///
/// 𝓛_GDL is `generalized-dice` (with `activation`, `w_type`, smoothing and `batch`); 𝓛_focal is
/// MONAI's focal term (`MONAIFocalTerm`): the sigmoid focal loss of every kept element on the
/// input taken as logits whatever the activation, times the per-class `weight` (MONAI passes
/// `weight` to the focal term only, and no `alpha`). `mean` averages both terms; `sum` is
/// MONAI's (the GDL rows summed, the focal term's spatial means summed). `none` is not offered:
/// MONAI broadcasts a `[N, 1, 1…]` GDL against a `[N, C′, spatial…]` focal tensor there, a
/// shape that belongs to neither term. Empty classes follow `generalized-dice` (an absent class
/// takes the largest finite weight of its row; all absent: 1 − s_nr/s_dr = 0); NaN logits
/// propagate.
public struct GeneralizedDiceFocalLoss: Loss {
    public static let descriptor = LossDescriptor(
        id: "generalized-dice-focal",
        category: .compound,
        formulas: [
            #"\mathcal{L} = \lambda_{\text{gdl}}\,\mathcal{L}_{\text{GDL}} + \lambda_{\text{focal}}\,\frac{1}{N C |\Omega|}\sum_{n,c,i} w_c\,(1 - p_t)^{\gamma}\,\mathrm{BCE}(x_{n,c,i}, g_{n,c,i})"#,
            #"\mathcal{L}_{\text{GDL}} = \frac{1}{N}\sum_n \left(1 - \frac{2\sum_c \omega_c \sum_i p_{n,c,i}\, g_{n,c,i} + s_{nr}}{\sum_c \omega_c \sum_i \left(p_{n,c,i} + g_{n,c,i}\right) + s_{dr}}\right), \qquad p_t = \sigma(x)\,g + (1 - \sigma(x))(1 - g), \qquad \mathrm{BCE}(x, g) = -g\log\sigma(x) - (1-g)\log\sigma(-x)"#,
            #"\omega_c = \begin{cases} G_c^{-e} & G_c > 0 \\ \max_{j=1}^{C} [G_j > 0]\, G_j^{-e} & G_c = 0 \end{cases}, \qquad G_c = \sum_i g_{n,c,i}, \qquad \text{exponent } e \text{ of } \texttt{w\_type} \text{ as in generalised Dice}"#,
        ],
        parameters: [
            RegionText.includeBackground(),
            GeneralizedDiceLoss.sharedParameters.first { $0.name == "w_type" }!,
            RegionText.smoothNr, RegionText.smoothDr, RegionText.batch,
            ParameterSpec("gamma", .number(min: 0, max: nil), default: .number(2)),
            RegionText.weight,
            CompoundTerms.lambda("lambda_gdl"),
            CompoundTerms.lambda("lambda_focal"),
            .activation(),
            CompoundTerms.reduction,
        ],
        peers: [
            PeerEquivalent("monai", "monai.losses.GeneralizedDiceFocalLoss(softmax=True, to_onehot_y=True, w_type='square', gamma=2.0, lambda_gdl=1.0, lambda_focal=1.0)"),
        ],
        citation: Citation("Sudre C. H., Li W., Vercauteren T., Ourselin S., Cardoso M. J. Generalised Dice Overlap as a Deep Learning Loss Function for Highly Unbalanced Segmentations. DLMIA 2017; Lin T.-Y., Goyal P., Girshick R., He K., Dollár P. Focal Loss for Dense Object Detection. ICCV 2017.",
                           url: "https://arxiv.org/abs/1707.03237"))

    let parameters: Parameters
    let lambdaGDL: Double, lambdaFocal: Double
    let focal: MONAIFocalTerm

    public init(_ parameters: Parameters) throws {
        self.parameters = parameters
        lambdaGDL = try parameters.number("lambda_gdl")
        lambdaFocal = try parameters.number("lambda_focal")
        focal = MONAIFocalTerm(parameters: parameters, includeBackground: try parameters.bool("include_background"),
                               weight: try parameters.numbers("weight"), reduction: try parameters.reduction())
        _ = try CompoundTerms.component(GeneralizedDiceLoss.self, from: parameters)
        _ = try CompoundTerms.component(FocalLoss.self, from: parameters, overrides: ["activation": .string("sigmoid")])
    }

    public func evaluate(_ input: Tensor, target: Tensor?, gradient: Bool) throws -> LossOutput {
        let gdl = try CompoundTerms.component(GeneralizedDiceLoss.self, from: parameters)
            .evaluate(input, target: target, gradient: gradient)
        let focalOut = try focal.evaluate(input, target: target, gradient: gradient)
        return CompoundTerms.combine([(lambdaGDL, gdl), (lambdaFocal, focalOut)], gradient: gradient)
    }
}
