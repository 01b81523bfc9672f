import Foundation

/// A loss as the checker sees it: parameters by name, probe inputs, and its value on them.
/// `LossFormulas` adapts the `Losses` catalog; tests can adapt anything.
public protocol CheckableLoss {
    var id: String { get }
    /// Numeric parameters (a number as one value, a list as its values, a bool as 0/1);
    /// nil when the loss has no such numeric parameter.
    func parameter(_ name: String) -> [Double]?
    var parameterNames: [String] { get }
    /// Inputs to evaluate on: a few random ones and edge cases.
    func probes() throws -> [Probe]
    /// The loss's value on a probe (Σ of the output, as the site's runner).
    func value(on probe: Probe) throws -> Double
    /// The library's analytic ∂(Σ value)/∂input on a probe, in the input's element order; nil
    /// when the loss gives none (then no gradient formula can be checked against it).
    func gradient(on probe: Probe) throws -> [Double]?
    /// An array a binding names that the probe does not carry, computed from the probe (another
    /// loss's value or gradient on the same input, `value of generalized-dice`); nil when unknown.
    func array(_ source: String, on probe: Probe) throws -> ProbeArray?
    /// Functions of a whole mask over the probe's grid, by name (`edt`), for formulas that call them.
    func fieldFunctions(on probe: Probe) throws -> [String: FieldFunction]
}

extension CheckableLoss {
    public func gradient(on probe: Probe) throws -> [Double]? { nil }
    public func array(_ source: String, on probe: Probe) throws -> ProbeArray? { nil }
    /// Functions of a whole mask over the probe's grid (`\operatorname{edt}`); none by default.
    public func fieldFunctions(on probe: Probe) throws -> [String: FieldFunction] { [:] }
}

/// One evaluation point: named arrays (`input`, `probability`, `target index`, …).
public struct Probe: Sendable, CustomStringConvertible {
    public var label: String
    public var arrays: [String: ProbeArray]

    public init(label: String, arrays: [String: ProbeArray]) {
        self.label = label
        self.arrays = arrays
    }

    public var description: String {
        "\(label): " + arrays.keys.sorted().map { "\($0) = \(arrays[$0]!)" }.joined(separator: "; ")
    }
}

public struct ProbeArray: Sendable, Equatable, CustomStringConvertible {
    public var shape: [Int]
    public var values: [Double]

    public init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    public var description: String {
        "\(shape) [" + values.map { String(format: "%.6g", $0) }.joined(separator: ", ") + "]"
    }
}
