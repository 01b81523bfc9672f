/// A parameter value as the reference accepts it (mirrors the catalog's kinds without sharing code).
public enum RefParameter: Sendable, Equatable, Hashable, CustomStringConvertible {
    case number(Double)
    case bool(Bool)
    case string(String)
    case numbers([Double])

    public var description: String {
        switch self {
        case let .number(x): return "\(x)"
        case let .bool(b): return "\(b)"
        case let .string(s): return s
        case let .numbers(xs): return "\(xs)"
        }
    }
}

/// Parameter lookup with the reference's own defaults (taken from the peers and papers, so a
/// test can compare them with the catalog's).
struct RefParameters {
    let values: [String: RefParameter]
    let defaults: [String: RefParameter]

    init(_ values: [String: RefParameter], defaults: [String: RefParameter]) throws {
        for name in values.keys where defaults[name] == nil {
            throw ReferenceError.invalidParameter(name: name, message: "unknown to the reference")
        }
        self.values = values
        self.defaults = defaults
    }

    private func value(_ name: String) -> RefParameter? { values[name] ?? defaults[name] }

    func number(_ name: String) throws -> Double {
        switch value(name) {
        case let .number(x)?: return x
        case let .numbers(xs)? where xs.count == 1: return xs[0]
        default: throw ReferenceError.invalidParameter(name: name, message: "expected a number")
        }
    }

    func bool(_ name: String) throws -> Bool {
        switch value(name) {
        case let .bool(b)?: return b
        case let .string(s)? where s == "true" || s == "false": return s == "true"
        default: throw ReferenceError.invalidParameter(name: name, message: "expected true or false")
        }
    }

    func string(_ name: String) throws -> String {
        guard case let .string(s)? = value(name) else {
            throw ReferenceError.invalidParameter(name: name, message: "expected a string")
        }
        return s
    }

    /// A list of numbers; empty means "not given".
    func numbers(_ name: String) throws -> [Double] {
        switch value(name) {
        case let .numbers(xs)?: return xs
        case let .number(x)?: return [x]
        default: throw ReferenceError.invalidParameter(name: name, message: "expected a list of numbers")
        }
    }

    func reduction() throws -> RefReduction {
        guard let r = RefReduction(rawValue: try string("reduction")) else {
            throw ReferenceError.invalidParameter(name: "reduction", message: "expected mean, sum or none")
        }
        return r
    }

    func activation() throws -> RefActivation {
        guard let a = RefActivation(rawValue: try string("activation")) else {
            throw ReferenceError.invalidParameter(name: "activation", message: "expected softmax, sigmoid or none")
        }
        return a
    }
}

enum RefReduction: String { case mean, sum, none }
enum RefActivation: String { case softmax, sigmoid, none }
