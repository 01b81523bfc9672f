import Losses

/// What `lossbook eval` evaluates: a loss of the catalog, or the distance transform the
/// boundary losses use (`scipy.ndimage.distance_transform_edt(input, sampling=…)`).
public enum EvaluationSubject: Sendable, Equatable {
    case loss(String)
    case distanceTransform

    /// The id the distance transform answers to (not a loss, so not in `lossbook list`).
    public static let distanceTransformID = "distance-transform"

    /// - Throws: `EvaluationError` for an id that is neither a loss nor the distance transform,
    ///   with the closest id when one is close.
    public init(id: String) throws(EvaluationError) {
        if id == Self.distanceTransformID {
            self = .distanceTransform
            return
        }
        guard Catalog.ids.contains(id) else {
            let suggestion = Catalog.closest(to: id, in: Catalog.ids + [Self.distanceTransformID])
            throw EvaluationError(field: nil, LossError.unknownLoss(id, suggestion: suggestion).description)
        }
        self = .loss(id)
    }

    public var id: String {
        switch self {
        case let .loss(id): return id
        case .distanceTransform: return Self.distanceTransformID
        }
    }
}
