/// A parameter value as an author writes it (in a note, on the command line, in JSON).
public enum ParameterValue: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// A real or whole number (whole numbers are numbers, as in JSON).
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// A choice, such as `sigmoid` or `sum`.
    case string(String)
    /// A list of numbers (per-class weights, spacings, lengths); empty means "not given".
    case numbers([Double])

    /// The value as an author writes it: `2`, `0.25`, `true`, `sigmoid`, `[1, 2]`.
    public var description: String {
        switch self {
        case let .number(x): return Self.format(x)
        case let .bool(b): return b ? "true" : "false"
        case let .string(s): return s
        case let .numbers(xs): return "[" + xs.map(Self.format).joined(separator: ", ") + "]"
        }
    }

    static func format(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let x = try? c.decode(Double.self) { self = .number(x) }
        else if let xs = try? c.decode([Double].self) { self = .numbers(xs) }
        else { self = .string(try c.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .number(x): try c.encode(x)
        case let .bool(b): try c.encode(b)
        case let .string(s): try c.encode(s)
        case let .numbers(xs): try c.encode(xs)
        }
    }
}

/// What values a parameter accepts. Checked by the catalog before a loss is built.
public enum ParameterKind: Sendable, Equatable {
    /// A real number in `[min, max]` (either bound optional; `minExclusive` makes `min` open).
    case number(min: Double?, max: Double?, minExclusive: Bool = false, maxExclusive: Bool = false)
    /// A whole number in `[min, max]`.
    case integer(min: Int?, max: Int?)
    /// `true` or `false`.
    case bool
    /// One of a fixed set of strings.
    case choice([String])
    /// A list of real numbers (per-class weights…), each in `[min, max]`; `nil` allowed via an
    /// explicit default of `.numbers([])` meaning "not given".
    case numbers(min: Double?, max: Double?)
}

/// One parameter of a loss: name (as in PyTorch/MONAI where they have it), default and valid
/// values. Its description is catalog prose (`content/<lang>/reference/`).
public struct ParameterSpec: Sendable, Equatable {
    /// The catalog name authors write, e.g. `ignore_index`.
    public var name: String
    /// The values it accepts.
    public var kind: ParameterKind
    /// The value when none is given.
    public var defaultValue: ParameterValue

    /// A parameter from its name, kind and default.
    public init(_ name: String, _ kind: ParameterKind, default defaultValue: ParameterValue) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
    }

    /// The shared `reduction` parameter (default `mean`, as `torch.nn`).
    public static func reduction(default value: Reduction = .mean) -> ParameterSpec {
        ParameterSpec("reduction", .choice(Reduction.allCases.map(\.rawValue)), default: .string(value.rawValue))
    }

    /// The shared `activation` parameter for class scores (default `softmax`: inputs are logits).
    public static func activation(default value: Activation = .softmax) -> ParameterSpec {
        ParameterSpec("activation", .choice(Activation.allCases.map(\.rawValue)), default: .string(value.rawValue))
    }
}

/// Validated parameter values with defaults filled in. Built by `Catalog.make`.
public struct Parameters: Sendable, Equatable {
    /// The id of the loss the values are for (named in errors).
    public let loss: String
    /// Every parameter's value by catalog name, defaults included.
    public private(set) var values: [String: ParameterValue]

    /// Values taken as already validated; ``Catalog/validate(_:against:)`` is the checked way in.
    public init(loss: String, values: [String: ParameterValue]) {
        self.loss = loss
        self.values = values
    }

    /// A number parameter's value; throws ``LossError/invalidParameter(loss:name:message:)`` otherwise.
    public func number(_ name: String) throws -> Double {
        guard case let .number(x)? = values[name] else { throw missing(name, "a number") }
        return x
    }

    /// A whole-number parameter's value; throws ``LossError/invalidParameter(loss:name:message:)`` otherwise.
    public func integer(_ name: String) throws -> Int {
        guard case let .number(x)? = values[name], x == x.rounded(), abs(x) < 1e15 else { throw missing(name, "a whole number") }
        return Int(x)
    }

    /// A Boolean parameter's value; throws ``LossError/invalidParameter(loss:name:message:)`` otherwise.
    public func bool(_ name: String) throws -> Bool {
        guard case let .bool(b)? = values[name] else { throw missing(name, "true or false") }
        return b
    }

    /// A choice parameter's value; throws ``LossError/invalidParameter(loss:name:message:)`` otherwise.
    public func string(_ name: String) throws -> String {
        guard case let .string(s)? = values[name] else { throw missing(name, "a string") }
        return s
    }

    /// A list of numbers; an empty list means "not given".
    public func numbers(_ name: String) throws -> [Double] {
        switch values[name] {
        case let .numbers(xs)?: return xs
        case let .number(x)?: return [x]
        default: throw missing(name, "a list of numbers")
        }
    }

    /// The `reduction` parameter as a ``Reduction``.
    public func reduction() throws -> Reduction {
        let raw = try string("reduction")
        guard let r = Reduction(rawValue: raw) else { throw missing("reduction", "one of mean, sum, none") }
        return r
    }

    /// The `activation` parameter as an ``Activation``.
    public func activation() throws -> Activation {
        let raw = try string("activation")
        guard let a = Activation(rawValue: raw) else { throw missing("activation", "one of softmax, sigmoid, none") }
        return a
    }

    private func missing(_ name: String, _ expected: String) -> LossError {
        .invalidParameter(loss: loss, name: name, message: "expected \(expected)")
    }
}
