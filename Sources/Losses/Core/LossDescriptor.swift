/// A text in both site languages.
public struct Localized: Sendable, Equatable, Codable {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
    public subscript(language: String) -> String { language.hasPrefix("zh") ? zh : en }
}

/// The families the notes and the reference index group losses by.
public enum LossCategory: String, Sendable, CaseIterable, Codable {
    case regression, classification
    case distribution = "distribution-based"
    case region = "region-based"
    case boundary = "boundary-based"
    case compound
    case regularization

    public var name: Localized {
        switch self {
        case .regression: return Localized(zh: "回归损失", en: "Regression losses")
        case .classification: return Localized(zh: "分类与间隔损失", en: "Classification and margin losses")
        case .distribution: return Localized(zh: "基于分布的损失", en: "Distribution-based losses")
        case .region: return Localized(zh: "基于区域的损失", en: "Region-based losses")
        case .boundary: return Localized(zh: "基于边界的损失", en: "Boundary-based losses")
        case .compound: return Localized(zh: "复合损失", en: "Compound losses")
        case .regularization: return Localized(zh: "正则化项", en: "Regularisation")
        }
    }
}

/// A peer library call that computes the same value, and any difference from ours.
public struct PeerEquivalent: Sendable, Equatable, Codable {
    /// `pytorch`, `monai`, `scipy`, `segloss`, …
    public var library: String
    /// The call, e.g. `torch.nn.CrossEntropyLoss(weight=w)`.
    public var call: String
    /// How our loss relates to it (exactly equal, equal up to a factor, …).
    public var note: Localized

    public init(_ library: String, _ call: String, note: Localized) {
        self.library = library
        self.call = call
        self.note = note
    }
}

/// The paper (or book) a loss comes from.
public struct Citation: Sendable, Equatable, Codable {
    /// e.g. `Lin T.-Y., Goyal P., Girshick R., He K., Dollár P. Focal Loss for Dense Object Detection. ICCV 2017.`
    public var text: String
    /// A DOI or arXiv URL, if any.
    public var url: String?
    public init(_ text: String, url: String? = nil) {
        self.text = text
        self.url = url
    }
}

/// Everything the catalog knows about one loss: the single source of truth for the notes
/// and the generated reference pages.
public struct LossDescriptor: Sendable, Equatable {
    /// The id authors type, e.g. `focal`. Lowercase words joined by `-`.
    public var id: String
    public var name: Localized
    public var category: LossCategory
    /// Canonical formulas in LaTeX (KaTeX-compatible), the first being the main one.
    public var formulas: [String]
    public var parameters: [ParameterSpec]
    /// Shapes, logits vs probabilities, target forms.
    public var inputConvention: Localized
    /// The analytic gradient (LaTeX allowed between `$…$`) and why it matters in training.
    public var gradientNote: Localized
    /// Peer calls that compute the same value; empty when no peer library has the loss.
    public var peers: [PeerEquivalent]
    /// Deliberate choices where peers or papers differ (smoothing, background, empty masks…).
    public var notes: Localized
    public var citation: Citation

    public init(id: String, name: Localized, category: LossCategory, formulas: [String],
                parameters: [ParameterSpec], inputConvention: Localized, gradientNote: Localized,
                peers: [PeerEquivalent], notes: Localized, citation: Citation) {
        self.id = id
        self.name = name
        self.category = category
        self.formulas = formulas
        self.parameters = parameters
        self.inputConvention = inputConvention
        self.gradientNote = gradientNote
        self.peers = peers
        self.notes = notes
        self.citation = citation
    }
}
