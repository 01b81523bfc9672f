/// Catalog formulas that state what a paper writes, not what the code computes: cited beside the
/// loss's definition (the paper's class weights, the paper's objective up to a constant), so they
/// must not be bound to the code. `lossbook check --formulas` lists them as `paper`, with the
/// reason, instead of `unbound`; a formula marked here that is also bound is a mistake the tests catch.
/// A formula that is notation (a legend saying what a symbol of the definition is) is marked the
/// same way with `kind: .notation`, listed as `notation`.
extension CatalogBindings {
    public struct PaperForm: Sendable, Equatable {
        public var loss: String
        /// Index in the descriptor's `formulas`.
        public var formula: Int
        /// Why it is not the code's definition, in a few words.
        public var reason: String
        public var kind: Kind = .paper

        public enum Kind: String, Sendable { case paper, notation }
    }

    public static let paperForms: [PaperForm] = [
        PaperForm(loss: "exp-log", formula: 3,
                  reason: "the paper's class weights from label frequencies; the code takes w_l as the weight parameter"),
        PaperForm(loss: "combo", formula: 1,
                  reason: "the paper's objective, −Dice instead of 1 − Dice: the code's value minus the constant 1 − α"),
        PaperForm(loss: "masked-dice", formula: 1,
                  reason: "a legend: what m_{n,i} in formula 0 (bound, with the probes' masks) stands for; it defines no value",
                  kind: .notation),
        PaperForm(loss: "perceptual", formula: 1,
                  reason: "a legend: the filters φ_l of formula 0 (bound, sliding the filter bank written from this legend), 3×3 with zero padding",
                  kind: .notation),
    ]

    /// The paper form marked for a loss's formula, if any.
    public static func paperForm(_ loss: String, formula: Int) -> PaperForm? {
        paperForms.first { $0.loss == loss && $0.formula == formula }
    }
}
