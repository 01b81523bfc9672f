import FormulaCheck
import Losses

/// The image losses' formulas bound to the library; joined into `CatalogBindings.all`. Their
/// moments and filters are correlations (`w \star x`, `\varphi_l(x)`, `FormulaCheck.Correlation`)
/// with kernels written from the parameters' documentation (`CatalogLoss.imageArray`).
extension CatalogBindings {
    /// SSIM's window as MONAI reads it: a small Gaussian and a uniform one (every valid
    /// position of the 12 × 13 probes), the default 11 × 11 Gaussian (a 2 × 3 grid Ω′), other constants.
    static let ssimSettings: [[String: String]] = [
        ["win_size": "3"],
        ["win_size": "3", "kernel_type": "uniform", "k1": "0.05", "k2": "0.1", "data_range": "2"],
        [:],
        ["win_size": "5", "kernel_sigma": "0.8"],
    ]

    /// x, y the images over their grid j; μ, σ over the valid positions i ∈ Ω′. The formulas
    /// define μ_x and σ_x² and use μ_y, σ_y² "likewise": restated here for y.
    static let ssimSymbols: [(symbol: String, source: String)] = [
        ("x_{n,c,j}", "input"), ("y_{n,c,j}", "target"), ("w_t", "window"),
        (#"\star"#, "valid correlation over j into i"), (#"\Omega'"#, "size i"), ("C", "size c"),
        ("k_1", "k1"), ("k_2", "k2"), ("L", "data_range"),
        (#"\mu_y"#, #"= w \star y"#), (#"\sigma_y^2"#, #"= w \star y^2 - \mu_y^2"#),
    ]

    /// The perceptual loss's φ_l: the filter bank of formula 1's legend, each kernel slid over
    /// every channel with zero padding (torch's `conv2d(…, padding=1, groups=C)`); x, y over the grid i.
    static let perceptualSymbols: [(symbol: String, source: String)] = [
        ("x_{n,c,i}", "input"), ("y_{n,c,i}", "target"), ("K_{l,t}", "filter bank"),
        (#"\star"#, "zero-padded correlation over i"), (#"\varphi_l(x)"#, #"= K_l \star x"#),
        ("w_l", "layer_weights"), ("C_l", "size c"), ("H_l", "grid height"), ("W_l", "grid width"),
    ]

    /// The prose's gradient (span 1): φ_l^⊤, the transpose of the zero-padded correlation with
    /// K_l, is the zero-padded convolution with it (the kernel rotated by 180°, as the prose says).
    static let imageGradients: [GradientBinding] = [
        ssimGradient,
        GradientBinding(FormulaBinding(loss: "perceptual", formulas: [1], evaluate: nil,
                                       symbols: perceptualSymbols + [("*", "zero-padded convolution over i"),
                                                                     (#"\varphi_l^{\top}(e)"#, #"= K_l * e"#),
                                                                     ("C", "size c"), ("H", "grid height"), ("W", "grid width")],
                                       reduction: .mean(["n"]),
                                       settings: [[:], ["layer_weights": "[0.5, 1, 2, 0.25]"], ["layer_weights": "[0, 0, 0, 1]"]]),
                        elements: "n, c, i"),
    ]

    /// ssim's prose partials of the SSIM map l s at a position of Ω′ (spans 2, 3, 4, read with
    /// spans 0 l and 1 s): formulas 0–1 (checked against `Losses`) with μ_x, w ⋆ x² or w ⋆ (xy)
    /// given at every position and moved at one (n, c, i) at a time, the map compared there (a
    /// position's l s reads its own moments alone). σ_x² and σ_xy read the μ_x given, as the prose
    /// says ("the μ_x inside the σ's is included"); B and D the two denominators, as it names them.
    /// The step is 10⁻⁷: on the constant channel D is c₂ = 9·10⁻⁴, which the default 10⁻⁵ moves by
    /// 1 % (the difference's h² error was 1.2·10⁻⁴ against a partial of 0); at 10⁻⁷ the h² error
    /// and the rounding (10⁻¹⁶/h of the map's values) both stay below 10⁻⁸.
    static func ssimPartial(span: Int, variable: String) -> PartialBinding {
        PartialBinding(FormulaBinding(loss: "ssim", formulas: [0, 1, span], evaluate: nil,
                                      symbols: ssimSymbols + [("B", #"= \mu_x^2 + \mu_y^2 + c_1"#), ("D", #"= \sigma_x^2 + \sigma_y^2 + c_2"#),
                                                              (#"\text{ssim}"#, #"= l\, s"#)],
                                      reduction: .none, settings: ssimSettings),
                       definitions: [0, 1], function: #"\text{ssim}"#, variable: variable, elements: "n, c, i", isLoss: false, local: true,
                       step: 1e-7)
    }

    /// The prose's variables: μ_x, and the windowed moments as formula 1 writes them (the
    /// prose's `w \star xy` is w ⋆ (xy), which TeX precedence would read (w ⋆ x) y).
    static let imagePartials: [PartialBinding] = [
        ssimPartial(span: 2, variable: #"\mu_x"#),
        ssimPartial(span: 3, variable: #"w \star x^2"#),
        ssimPartial(span: 4, variable: #"w \star (x y)"#),
    ]

    /// ssim's prose gradient (span 9, read first, with spans 0–4): g_μ, g_xx, g_xy the three maps
    /// the prose's partials define (spans 2–4, each checked above by central differences, read
    /// here by name), and w^⊤, which the prose describes as each position's value spread back
    /// with the window's weights: the full convolution with w from Ω′ (i) onto the image's grid
    /// (j), the transpose of the valid correlation. The moments and c₁, c₂ are formulas 1 and 0's
    /// (checked against `Losses`).
    static let ssimGradient = GradientBinding(
        FormulaBinding(loss: "ssim", formulas: [9, 0, 1, 2, 3, 4], evaluate: nil,
                       symbols: ssimSymbols + [("B", #"= \mu_x^2 + \mu_y^2 + c_1"#), ("D", #"= \sigma_x^2 + \sigma_y^2 + c_2"#),
                                               ("*", "full convolution over i into j"), (#"w^{\top}(e)"#, "= w * e"),
                                               (#"g_\mu"#, #"= \partial(ls)/\partial\mu_x"#),
                                               ("g_{xx}", #"= \partial(ls)/\partial(w \star x^2)"#),
                                               ("g_{xy}", #"= \partial(ls)/\partial(w \star xy)"#),
                                               defining("ssim", 0), defining("ssim", 1)],
                       reduction: .mean(["n"]), settings: ssimSettings),
        elements: "n, c, j")

    static let images: [FormulaBinding] = [
        FormulaBinding(loss: "ssim", formulas: [0, 1], evaluate: nil, symbols: ssimSymbols, reduction: .mean(["n"]),
                       settings: ssimSettings),
        FormulaBinding(loss: "perceptual", formulas: [0], evaluate: nil, symbols: perceptualSymbols, reduction: .mean(["n"]),
                       settings: [[:], ["layer_weights": "[0.5, 1, 2, 0.25]"], ["layer_weights": "[0, 0, 0, 1]"]]),
    ]
}
