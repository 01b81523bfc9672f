/// How one catalog loss relates to another: the edges of the family tree the site draws.
public struct LossRelation: Sendable, Equatable, Hashable {
    /// What `from` is to `to`.
    public enum Kind: String, Sendable, CaseIterable {
        /// `from` is `to` with some parameters fixed (Tversky with α = β = 1 is IoU).
        case specialCaseOf = "special-case-of"
        /// `from` has `to` as a special case (focal Tversky with γ = 1 is Tversky).
        case generalises
        /// `from` is a sum (or another combination) with `to` as one of its terms.
        case combines
        /// `from` is `to` with per-pixel, per-class or per-sample weights (or a selection).
        case reweights
    }

    /// The catalog id the relation starts from.
    public var from: String
    /// How `from` relates to `to`.
    public var kind: Kind
    /// The catalog id the relation points to.
    public var to: String
    /// Where the relation is stated: a paper, or "by definition" when the formulas show it.
    public var source: String

    /// A relation between two catalog ids, with where it is stated.
    public init(from: String, kind: Kind, to: String, source: String) {
        self.from = from
        self.kind = kind
        self.to = to
        self.source = source
    }

    /// The ``source`` of a relation the formulas themselves show.
    public static let byDefinition = "by definition"
}

extension Catalog {
    /// The family tree of the catalog: every relation one loss declares to another, by loss id.
    ///
    /// One table for the whole catalog (rather than one list per descriptor) so that the tree can
    /// be read and reviewed in one place; `Catalog.unknownRelationIDs` (checked by a test) keeps
    /// every id a catalog id.
    public static let relations: [LossRelation] = [
        // Distribution-based: the cross-entropy family.
        LossRelation(from: "binary-cross-entropy", kind: .specialCaseOf, to: "cross-entropy", source: LossRelation.byDefinition),
        LossRelation(from: "weighted-cross-entropy", kind: .reweights, to: "cross-entropy", source: "Ronneberger et al. 2015"),
        LossRelation(from: "focal", kind: .reweights, to: "cross-entropy", source: "Lin et al. 2017"),
        LossRelation(from: "topk", kind: .reweights, to: "cross-entropy", source: "Wu et al. 2016"),
        LossRelation(from: "topk-threshold", kind: .reweights, to: "cross-entropy", source: "Shrivastava et al. 2016"),
        LossRelation(from: "dpce", kind: .reweights, to: "cross-entropy", source: "Caliva et al. 2019"),

        // Region-based: Dice and its relatives.
        LossRelation(from: "generalized-dice", kind: .reweights, to: "dice", source: "Sudre et al. 2017"),
        LossRelation(from: "penalty-generalized-dice", kind: .reweights, to: "generalized-dice", source: "Yang et al. 2019"),
        LossRelation(from: "tversky", kind: .generalises, to: "dice", source: "Salehi et al. 2017"),
        LossRelation(from: "iou", kind: .specialCaseOf, to: "tversky", source: "Salehi et al. 2017"),
        LossRelation(from: "asymmetric", kind: .specialCaseOf, to: "tversky", source: "Hashemi et al. 2018"),
        LossRelation(from: "focal-tversky", kind: .generalises, to: "tversky", source: "Abraham & Khan 2019"),

        // Compound losses.
        LossRelation(from: "dice-ce", kind: .combines, to: "dice", source: "Isensee et al. 2021"),
        LossRelation(from: "dice-ce", kind: .combines, to: "cross-entropy", source: "Isensee et al. 2021"),
        LossRelation(from: "dice-focal", kind: .combines, to: "dice", source: "Zhu et al. 2019"),
        LossRelation(from: "dice-focal", kind: .combines, to: "focal", source: "Zhu et al. 2019"),
        LossRelation(from: "dice-topk", kind: .combines, to: "dice", source: "Ma et al. 2021"),
        LossRelation(from: "dice-topk", kind: .combines, to: "topk", source: "Ma et al. 2021"),
        LossRelation(from: "combo", kind: .combines, to: "dice", source: "Taghanaki et al. 2019"),
        LossRelation(from: "combo", kind: .combines, to: "weighted-cross-entropy", source: "Taghanaki et al. 2019"),
        LossRelation(from: "exp-log", kind: .combines, to: "dice", source: "Wong et al. 2018"),
        LossRelation(from: "exp-log", kind: .combines, to: "weighted-cross-entropy", source: "Wong et al. 2018"),

        // Regression.
        LossRelation(from: "huber", kind: .combines, to: "l2", source: "Huber 1964"),
        LossRelation(from: "huber", kind: .combines, to: "l1", source: "Huber 1964"),
        LossRelation(from: "smooth-l1", kind: .reweights, to: "huber", source: LossRelation.byDefinition),

        // Detection: box regression, each a penalty added to the one before.
        LossRelation(from: "giou", kind: .combines, to: "box-iou", source: "Rezatofighi et al. 2019"),
        LossRelation(from: "diou", kind: .combines, to: "box-iou", source: "Zheng et al. 2020"),
        LossRelation(from: "ciou", kind: .combines, to: "diou", source: "Zheng et al. 2020"),

        // MONAI's remaining segmentation losses and the erosion Hausdorff loss (issue 17.3).
        LossRelation(from: "generalized-dice-focal", kind: .combines, to: "generalized-dice", source: "MONAI GeneralizedDiceFocalLoss"),
        LossRelation(from: "generalized-dice-focal", kind: .combines, to: "focal", source: "MONAI GeneralizedDiceFocalLoss"),
        LossRelation(from: "masked-dice", kind: .reweights, to: "dice", source: "MONAI MaskedDiceLoss"),
        LossRelation(from: "log-hausdorff-dt", kind: .reweights, to: "hausdorff-dt", source: "MONAI LogHausdorffDTLoss"),
        LossRelation(from: "generalized-wasserstein-dice", kind: .generalises, to: "dice", source: "Fidon et al. 2017"),

        // Topology-aware segmentation (issue 17.3): MONAI's weighted sum of Dice and clDice.
        LossRelation(from: "dice-cldice", kind: .combines, to: "dice", source: "Shit et al. 2021"),
        LossRelation(from: "dice-cldice", kind: .combines, to: "cldice", source: "Shit et al. 2021"),
    ]

    /// Relations naming an id that is not in the catalog, as `(relation, unknown id)`.
    public static func unknownRelationIDs(_ relations: [LossRelation] = Catalog.relations) -> [(LossRelation, String)] {
        let known = Set(ids)
        return relations.flatMap { relation in
            [relation.from, relation.to].filter { !known.contains($0) }.map { (relation, $0) }
        }
    }

    /// The relations touching `id` (either end), for a loss's neighbourhood in the tree.
    public static func relations(around id: String) -> [LossRelation] {
        relations.filter { $0.from == id || $0.to == id }
    }
}
