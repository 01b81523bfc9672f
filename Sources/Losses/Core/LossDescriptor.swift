/// The families the notes and the reference index group losses by. Their names, in each language,
/// are in `content/<lang>/reference/_catalog.md`.
public enum LossCategory: String, Sendable, CaseIterable, Codable {
    /// Real-valued targets: L1, L2, Huber, …
    case regression
    /// Scores and ±1 or class labels: margin and embedding losses.
    case classification
    /// Predicted against target distributions: cross entropy and its variants.
    case distribution = "distribution-based"
    /// Overlap of predicted and target regions: Dice, Tversky, IoU, …
    case region = "region-based"
    /// Weighted by distances to the target's boundary.
    case boundary = "boundary-based"
    /// Weighted sums of a region and a distribution term.
    case compound
    /// Penalties on the input alone, without a target.
    case regularization
    /// Box regression for object detection (`torchvision.ops`).
    case detection
}

/// A peer library call that computes the same value. How ours relates to it (exactly equal,
/// equal up to a factor, …) is told in each language's `content/<lang>/reference/<id>.md`.
public struct PeerEquivalent: Sendable, Equatable, Codable {
    /// `pytorch`, `monai`, `scipy`, `segloss`, …
    public var library: String
    /// The call, e.g. `torch.nn.CrossEntropyLoss(weight=w)`.
    public var call: String

    /// A peer call: the library's short name and the call as one writes it in Python.
    public init(_ library: String, _ call: String) {
        self.library = library
        self.call = call
    }
}

/// The paper (or book) a loss comes from.
public struct Citation: Sendable, Equatable, Codable {
    /// e.g. `Lin T.-Y., Goyal P., Girshick R., He K., Dollár P. Focal Loss for Dense Object Detection. ICCV 2017.`
    public var text: String
    /// A DOI or arXiv URL, if any.
    public var url: String?
    /// A reference as text, with a DOI or arXiv URL if there is one.
    public init(_ text: String, url: String? = nil) {
        self.text = text
        self.url = url
    }
}

/// What the code knows about one loss: id, category, formulas, parameter specs, peer calls and
/// citation. Every sentence a reader reads about it (name, parameter descriptions, input
/// convention, gradient, peer notes, notes) is catalog prose, per language, in
/// `content/<lang>/reference/<id>.md`, so a translator edits text, not Swift.
public struct LossDescriptor: Sendable, Equatable {
    /// The id authors type, e.g. `focal`. Lowercase words joined by `-`.
    public var id: String
    /// The family the notes and the reference index group the loss in.
    public var category: LossCategory
    /// Canonical formulas in LaTeX (KaTeX-compatible), the first being the main one.
    public var formulas: [String]
    /// The parameters, in the order the reference page lists them, with their defaults and ranges.
    public var parameters: [ParameterSpec]
    /// Peer calls that compute the same value; empty when no peer library has the loss.
    public var peers: [PeerEquivalent]
    /// The paper or book the loss comes from.
    public var citation: Citation

    /// A descriptor from its parts; each loss type declares one as its ``Loss/descriptor``.
    public init(id: String, category: LossCategory, formulas: [String],
                parameters: [ParameterSpec], peers: [PeerEquivalent], citation: Citation) {
        self.id = id
        self.category = category
        self.formulas = formulas
        self.parameters = parameters
        self.peers = peers
        self.citation = citation
    }
}
