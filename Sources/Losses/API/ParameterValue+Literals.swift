/// Literals for parameter values, so Swift callers of the catalog write the values as an author
/// does in a note: `Catalog.make("focal", ["gamma": 2, "alpha": [0.25], "activation": "sigmoid"])`.
extension ParameterValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    /// `.number(x)`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `.number(Double(n))`: whole-number parameters are numbers, as in JSON.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `.bool(b)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `.string(s)`: a choice such as `"sigmoid"` or `"sum"`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `.numbers(xs)`: per-class weights and other lists.
    public init(arrayLiteral elements: Double...) { self = .numbers(elements) }
}
