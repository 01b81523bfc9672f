import Foundation

/// Ties a formula to a loss: what each symbol stands for, which defined name is the loss, and
/// how it is reduced.
///
/// In Swift (the catalog's formulas, `CatalogBindings`):
/// ```swift
/// FormulaBinding(loss: "focal", formulas: [1], evaluate: #"\ell^{\text{softmax}}"#,
///                where: [#"p_{i,c}"#: "probability", #"t_{i,c}"#: "target one-hot", #"\alpha_c"#: "alpha",
///                        #"\gamma"#: "gamma", "C": "size c"],
///                reduction: "mean over i")
/// ```
/// In a note, a fenced `formula` block (`FormulaBlock.parse`): the TeX, then YAML-ish lines
/// ```` ```formula ````
/// `\ell_i = -\sum_{c=1}^{C} t_{i,c} \log p_{i,c}`
/// `check: cross-entropy` / `reduction: mean over i` / `where:` with indented `p_{i,c}: probability` lines
/// (block style: flow style `{p_{i,c}: …}` would split at the subscript's comma).
///
/// A symbol is bound to (`where:` values):
/// - the name of an array the probe provides: `input`, `logit`, `probability`, `target`,
///   `target one-hot`, `target index` (1-based class numbers); its subscripts in the key name
///   the array's axes (`p_{n,c,i}`: axis 0 is n, 1 is c, the rest flattened is i);
/// - a parameter of the loss by name (`gamma`); a list parameter is an array over the axis in
///   its key (`\alpha_c: alpha`), broadcast when it has one value, all 1 when empty;
/// - `size i`: the extent of axis i;
/// - a number.
public struct FormulaBinding: Sendable, Equatable {
    /// The catalog id of the loss.
    public var loss: String
    /// For catalog formulas: which of `descriptor.formulas` are read together (0-based).
    public var formulas: [Int]
    /// The defined name to compare with the loss (`\mathcal{L}`); nil: `FormulaSystem.mainName`.
    public var evaluate: String?
    /// Symbol (as written in TeX) → what it stands for, in writing order.
    public var symbols: [(symbol: String, source: String)]
    public var reduction: Reduction
    /// Parameter settings to check at (`[:]` = the loss's defaults); each is checked.
    public var settings: [[String: String]]

    public enum Reduction: Sendable, Equatable, CustomStringConvertible {
        /// The evaluated name is already the loss's scalar.
        case none
        case mean([String])
        case sum([String])

        /// `none`, `mean over i`, `sum over n,c`.
        public init(parsing text: String) throws {
            let words = text.split(separator: " ", maxSplits: 2).map(String.init)
            if words == ["none"] || text.isEmpty { self = .none; return }
            guard words.count == 3, words[1] == "over", words[0] == "mean" || words[0] == "sum" else {
                throw FormulaError("reduction '\(text)' is not 'none', 'mean over i' or 'sum over n,c'")
            }
            let indices = words[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            self = words[0] == "mean" ? .mean(indices) : .sum(indices)
        }

        public var description: String {
            switch self {
            case .none: return "none"
            case let .mean(i): return "mean over \(i.joined(separator: ","))"
            case let .sum(i): return "sum over \(i.joined(separator: ","))"
            }
        }
    }

    public init(loss: String, formulas: [Int] = [0], evaluate: String? = nil,
                where symbols: KeyValuePairs<String, String>, reduction: String = "none",
                settings: [[String: String]] = [[:]]) {
        self.loss = loss
        self.formulas = formulas
        self.evaluate = evaluate
        self.symbols = symbols.map { ($0.key, $0.value) }
        // A malformed reduction in a catalog binding is a programming error the tests catch.
        self.reduction = (try? Reduction(parsing: reduction)) ?? .none
        self.settings = settings
    }

    public init(loss: String, formulas: [Int], evaluate: String?, symbols: [(symbol: String, source: String)],
                reduction: Reduction, settings: [[String: String]]) {
        self.loss = loss
        self.formulas = formulas
        self.evaluate = evaluate
        self.symbols = symbols
        self.reduction = reduction
        self.settings = settings
    }

    public static func == (a: FormulaBinding, b: FormulaBinding) -> Bool {
        a.loss == b.loss && a.formulas == b.formulas && a.evaluate == b.evaluate && a.reduction == b.reduction
            && a.settings == b.settings && a.symbols.map(\.symbol) == b.symbols.map(\.symbol)
            && a.symbols.map(\.source) == b.symbols.map(\.source)
    }
}
