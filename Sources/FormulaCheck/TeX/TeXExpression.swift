/// A parsed formula: what the evaluator walks.
public indirect enum TeXExpression: Hashable, Sendable {
    case number(Double)
    /// A letter, Greek letter or styled name (`\mathcal{L}`, `\mathrm{BCE}`), with its subscript
    /// and a text label from a superscript (`\ell_i^{\text{softmax}}`).
    case symbol(SymbolReference)
    case negate(TeXExpression)
    case binary(BinaryOperator, TeXExpression, TeXExpression, offset: Int)
    case power(TeXExpression, TeXExpression)
    /// A relation; evaluates to 1 or 0 (Iverson brackets, `cases` conditions, `\mathbb{1}[…]`).
    case comparison(Relation, TeXExpression, TeXExpression)
    case function(MathFunction, [TeXExpression], offset: Int)
    /// `\sum`/`\prod` over one or more indices, with optional limits and a condition.
    case bigOperator(BigOperator, indices: [String], lower: TeXExpression?, upper: TeXExpression?,
                     condition: TeXExpression?, body: TeXExpression, offset: Int)
    /// `\lVert x \rVert_p`: the p-norm over the axes left free in `x`.
    case norm(TeXExpression, p: Double, offset: Int)
    /// `\begin{cases}`: the first row whose condition holds (a missing condition always holds).
    case cases([CaseRow], offset: Int)
    /// A call of a function defined by an equation with arguments, e.g. `\mathrm{BCE}(x, g)`.
    case call(String, [TeXExpression], offset: Int)
    /// `\{\pi(1), \dots, \pi(k)\}`: the first `count` elements of an ordering (`FormulaSystem.orderings`),
    /// a set over the ordering's axis; it has no value, only members (`|…|` counts them).
    case orderedPrefix(String, count: TeXExpression, offset: Int)
    /// `A \setminus B`, `A \cup B`, `A \cap B`: a set over the axis of its operands.
    case setOperation(SetOperation, TeXExpression, TeXExpression, offset: Int)

    public enum SetOperation: String, Sendable { case difference = "\\setminus", union = "\\cup", intersection = "\\cap" }
    public enum BinaryOperator: String, Sendable { case add = "+", subtract = "-", multiply = "·", divide = "/" }
    public enum Relation: String, Sendable { case less = "<", lessOrEqual = "≤", greater = ">", greaterOrEqual = "≥", equal = "=", notEqual = "≠" }
    /// `\max_{k=1}^{C}`/`\min_{k}` with limits are big operators too (the largest or smallest term).
    public enum BigOperator: String, Sendable { case sum = "\\sum", product = "\\prod", maximum = "\\max", minimum = "\\min" }

    public struct CaseRow: Hashable, Sendable {
        public var value: TeXExpression
        public var condition: TeXExpression?
    }
}

/// A name as it is written: `p_{n,c,i}`, `s_{nr}`, `\alpha_c`, `\ell^{\text{softmax}}`.
public struct SymbolReference: Hashable, Sendable {
    /// The base: `p`, `\alpha`, `\mathcal{L}`, or a merged multi-letter name such as `TP`.
    public var base: String
    /// The subscript's source, spaces removed, e.g. `n,c,i` or `nr` or `y_i`.
    public var subscriptText: String?
    /// The subscript as comma-separated expressions, if it parses as such.
    public var subscripts: [TeXExpression]?
    /// A superscript that is a label, not a power: `\text{softmax}`.
    public var label: String?
    public var offset: Int
    /// A term of a sequence: `(k)` of `f^{(k)}`, `k` of `f \ominus_k B` (the label is then `(·)`,
    /// so that every term has the sequence's name; `FormulaSystem+Sequences`).
    public var order: TeXExpression? = nil
    /// Where a term that is a map is read: `q` of `f^{(k)}(q)`, `i` of `(f \ominus_k B)_i`.
    public var point: String? = nil

    /// The base with its label, the name under which indexed definitions and arrays are found.
    public var stem: String { label.map { "\(base)^{\($0)}" } ?? base }
    /// The whole name, the subscript included, e.g. `s_{nr}`.
    public var fullName: String { subscriptText.map { "\(stem)_{\($0)}" } ?? stem }
}

/// Functions the evaluator knows, by their TeX spelling.
public enum MathFunction: String, CaseIterable, Sendable {
    case log, ln, exp, sigmoid, softplus, max, min, abs, sqrt, tanh, cosh, sinh, sign, arctan
    /// `\tan x`: a side written through an angle (w = h tan θ, CIoU's aspect ratio).
    case tan
    /// `\operatorname{log1p}(x)`: log(1 + x), the stable spelling the notes recommend.
    case log1p
    /// `\lfloor x \rfloor`, `\lceil x \rceil`.
    case floor, ceil
    /// `\operatorname{sg}[…]`: stop-gradient, the identity on values.
    case sg
    /// `\operatorname{clip}(x, a, b)`: x limited to [a, b].
    case clip

    /// TeX spellings: `\log`, `\operatorname{softplus}`, `\sigma(…)`, `|…|`.
    static func named(_ name: String) -> MathFunction? {
        switch name {
        case "log": return .log
        case "ln": return .ln
        case "exp": return .exp
        case "sigma", "sigmoid": return .sigmoid
        case "softplus": return .softplus
        case "max": return .max
        case "min": return .min
        case "abs": return .abs
        case "sqrt": return .sqrt
        case "tanh": return .tanh
        case "cosh": return .cosh
        case "sinh": return .sinh
        case "sign", "sgn": return .sign
        case "arctan": return .arctan
        case "tan": return .tan
        case "log1p": return .log1p
        case "sg": return .sg
        case "clip": return .clip
        default: return nil
        }
    }
}
