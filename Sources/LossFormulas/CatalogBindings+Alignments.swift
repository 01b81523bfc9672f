import FormulaCheck

/// CTC's formulas bound to the library; joined into `CatalogBindings.all` and `.gradients`. The
/// sum over the alignments, `\sum_{\pi \in \mathcal{B}^{-1}(y_n)}`, runs over every class sequence
/// of the probe's T = 4 steps, kept where it collapses to the target (`CatalogLoss+Alignments`,
/// by brute force): the formulas are evaluated path by path, never through the library's
/// forward–backward recursion they are compared with.
extension CatalogBindings {
    /// x the log-probabilities over (t, n, c); π_t the class of path π at t; 𝓑⁻¹(y_n) the
    /// alignments of sample n's target; T_n, L_n its input and target lengths.
    static let alignmentSymbols: [(symbol: String, source: String)] = [
        ("x_{t,n,c}", "input"), (#"\pi_t"#, #"alignment paths over \pi,t"#),
        (#"\mathcal{B}^{-1}(y_n)"#, #"alignments of target over n,\pi"#),
        ("T_n", "input lengths"), ("L_n", "target lengths"), ("N", "size n"),
    ]

    /// Another blank, and shorter inputs with an empty target (L_n = 0: the all-blank path).
    static let alignments: [FormulaBinding] = [
        FormulaBinding(loss: "ctc", formulas: [0, 2], evaluate: #"L_{\text{mean}}"#, symbols: alignmentSymbols, reduction: .none,
                       settings: [[:], ["blank": "2"], ["input_lengths": "[4, 3]", "target_lengths": "[2, 0]"]]),
        FormulaBinding(loss: "ctc", formulas: [0], evaluate: #"\ell_n"#, symbols: alignmentSymbols, reduction: .sum(["n"]),
                       settings: [["reduction": "sum"],
                                  ["reduction": "none", "blank": "1", "input_lengths": "[3, 4]", "target_lengths": "[1, 2]"]]),
    ]

    /// ctc #1, the forward recursion in log space, with what the catalog states around it (the
    /// loss's description): l' the extended target (blank, y_1, blank, …, y_L, blank), padded with
    /// blanks on both sides; b the blank's class number; the start α_0(s) = log[s = 1] (the
    /// recursion at t = 1 then gives Graves' α_1, and −∞ for every s ≤ 0 at every t); the end
    /// ℓ_n = −log(e^{α_{T_n}(2L_n+1)} + e^{α_{T_n}(2L_n)}). The recursion itself is the formula's.
    static let forwardSymbols: [(symbol: String, source: String)] = [
        ("x_{t,n,c}", "input"), ("y_{n,s}", "target index"), ("T_n", "input lengths"), ("L_n", "target lengths"),
        (#"\text{blank}"#, "blank"), ("b", #"= \text{blank} + 1"#),
        ("l'_s", #"= \begin{cases} y_{n,s/2}, & \lfloor s/2 \rfloor = s/2 \text{ and } 2 \le s \text{ and } s \le 2L_n \\ b, & \text{otherwise} \end{cases}"#),
        (#"\alpha_0(s)"#, #"= \log\,[s = 1]"#),
        (#"\ell_n"#, #"= -\log\left(e^{\alpha_{T_n}(2L_n + 1)} + e^{\alpha_{T_n}(2L_n)}\right)"#),
    ]

    static let forwardRecursion: [FormulaBinding] = [
        FormulaBinding(loss: "ctc", formulas: [1], evaluate: #"\ell_n"#, symbols: forwardSymbols, reduction: .sum(["n"]),
                       settings: [["reduction": "sum"], ["reduction": "sum", "blank": "2"],
                                  ["reduction": "sum", "input_lengths": "[4, 3]", "target_lengths": "[2, 0]"]]),
    ]

    /// γ_{t,n,c}, "the posterior occupancy of class c at time t", by its definition: the share of
    /// the alignments' probability carried by those with π_t = c.
    static let posteriorOccupancy = #"= \frac{\sum_{\pi \in \mathcal{B}^{-1}(y_n)} [\pi_t = c] \prod_{u=1}^{T_n} e^{x_{u,n,\pi_u}}}"#
        + #"{\sum_{\pi \in \mathcal{B}^{-1}(y_n)} \prod_{u=1}^{T_n} e^{x_{u,n,\pi_u}}}"#

    /// ctc's prose, ∂L/∂x = e^x − γ: the sum of the samples' losses (`sum`), every step within T_n
    /// (the prose's "0 beyond" is not probed: the inputs are full length).
    static let alignmentGradients: [GradientBinding] = [
        GradientBinding(FormulaBinding(loss: "ctc", formulas: [0], evaluate: nil,
                                       symbols: alignmentSymbols + [(#"\gamma_{t,n,c}"#, posteriorOccupancy)], reduction: .none,
                                       settings: [["reduction": "sum"], ["reduction": "sum", "blank": "2"]]),
                        elements: "t, n, c"),
    ]
}
