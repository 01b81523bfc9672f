/// Code facts the box-regression losses share: their parameters (torchvision's names, defaults
/// and order) and their citations.
enum DetectionText {
    /// `eps` (default 1e-7) and `reduction` (default `none`), as `torchvision.ops`.
    static let parameters: [ParameterSpec] = [
        ParameterSpec("eps", .number(min: 0, max: nil), default: .number(1e-7)),
        .reduction(default: .none),
    ]

    static let giouPaper = Citation(
        "Rezatofighi H., Tsoi N., Gwak J., Sadeghian A., Reid I., Savarese S. Generalized Intersection over Union: A Metric and A Loss for Bounding Box Regression. CVPR 2019.",
        url: "https://arxiv.org/abs/1902.09630")

    static let diouPaper = Citation(
        "Zheng Z., Wang P., Liu W., Li J., Ye R., Ren D. Distance-IoU Loss: Faster and Better Learning for Bounding Box Regression. AAAI 2020.",
        url: "https://arxiv.org/abs/1911.08287")

    /// I and U of a predicted box (x₁, y₁, x₂, y₂) and a target box (x₁ᵍ, …), as the formulas use them.
    static let intersectionUnion =
        #"I = \bigl[\min(x_2, x_2^g) - \max(x_1, x_1^g)\bigr]_+ \bigl[\min(y_2, y_2^g) - \max(y_1, y_1^g)\bigr]_+, \quad U = (x_2 - x_1)(y_2 - y_1) + (x_2^g - x_1^g)(y_2^g - y_1^g) - I"#
}
