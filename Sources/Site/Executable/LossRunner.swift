import Foundation
import LossReference
import Losses

/// Runs a loss of the library and checks it against the independent Float64 reference:
/// the only way a number reaches a page.
///
/// Values agree when `|lib − ref| ≤ atol + rtol·|ref|` (both infinite with the same sign also
/// agree). `rtol` defaults to 1e-5: `Losses` stores `Float` (unit roundoff 6e-8) and
/// accumulates in `Double`, so a few hundred roundings stay well inside it; `atol` = 1e-6 covers
/// values that are zero in exact arithmetic (a perfect prediction).
/// Gradients are checked against central differences of the reference (`Double`, h = 1e-5),
/// with `rtol` = 1e-4 and `atol` = 1e-5, which absorb the finite-difference truncation error.
struct LossRunner {
    struct Tolerance: Sendable, Equatable {
        var relative: Double
        var absolute: Double
        static let value = Tolerance(relative: 1e-5, absolute: 1e-6)
        static let gradient = Tolerance(relative: 1e-4, absolute: 1e-5)

        func accepts(_ computed: Double, _ reference: Double) -> Bool {
            if computed.isNaN || reference.isNaN { return computed.isNaN && reference.isNaN }
            if computed.isInfinite || reference.isInfinite { return computed == reference }
            return abs(computed - reference) <= absolute + relative * abs(reference)
        }
    }

    /// A disagreement between the library and the reference: the build fails with it.
    struct Disagreement: Error {
        var message: String
    }

    struct Result {
        /// Σ of the library's value (the scalar for mean/sum).
        var value: Double
        /// ∂(Σ value)/∂input from the library, when asked.
        var gradient: [Double]?
    }

    let id: String
    let parameters: [String: ParameterValue]
    let loss: any Loss

    init(id: String, parameters: [String: ParameterValue]) throws {
        self.id = id
        self.parameters = parameters
        loss = try Self.substitute?.loss?(id, parameters) ?? Catalog.make(id, parameters)
    }

    /// A deliberately wrong loss or reference in place of the real one, for the tests that show
    /// the build catches it. Set for one task tree only (`$substitute.withValue`); while set, the
    /// execution cache and the remembered peer check are bypassed.
    struct Substitute: Sendable {
        /// Returns the loss to run for an id, or nil for the catalog's.
        var loss: (@Sendable (String, [String: ParameterValue]) throws -> (any Loss)?)?
        /// Returns the reference's value for an id, or nil for the reference's own.
        var reference: (@Sendable (String, RefArray, RefArray?, [String: RefParameter]) throws -> RefArray?)?
    }
    @TaskLocal static var substitute: Substitute?

    private static func referenceValue(id: String, input: RefArray, target: RefArray?, parameters: [String: RefParameter]) throws -> RefArray {
        if let substituted = try substitute?.reference?(id, input, target, parameters) { return substituted }
        return try ReferenceLosses.value(id: id, input: input, target: target, parameters: parameters)
    }

    /// Evaluates and verifies. `gradient` also checks the analytic gradient element-wise.
    func run(input: Tensor, target: Tensor?, gradient: Bool, valueTolerance: Tolerance = .value,
             gradientTolerance: Tolerance = .gradient) throws -> Result {
        let output = try loss.evaluate(input, target: target, gradient: gradient)
        let value = output.value.data.reduce(0.0) { $0 + Double($1) }

        let refInput = try RefArray(shape: input.shape, data: input.data.map(Double.init))
        let refTarget = try target.map { try RefArray(shape: $0.shape, data: $0.data.map(Double.init)) }
        let refParameters = parameters.mapValues(Self.reference)
        let reference: Double
        do {
            reference = try Self.referenceValue(id: id, input: refInput, target: refTarget, parameters: refParameters)
                .data.reduce(0, +)
        } catch {
            throw Disagreement(message: "the reference implementation of '\(id)' rejects this input: \(error)")
        }
        guard valueTolerance.accepts(value, reference) else {
            throw Disagreement(message: "'\(id)' computes \(value) but the Float64 reference gives \(reference) "
                               + "(tolerance \(valueTolerance.relative) relative, \(valueTolerance.absolute) absolute)")
        }
        guard gradient else { return Result(value: value, gradient: nil) }
        guard let analytic = output.gradient?.data.map(Double.init) else {
            throw Disagreement(message: "'\(id)' returned no gradient")
        }
        let numeric = try ReferenceLosses.finiteDifferenceGradient(id: id, input: refInput, target: refTarget,
                                                                   parameters: refParameters).data
        for (i, (a, n)) in zip(analytic, numeric).enumerated() where !gradientTolerance.accepts(a, n) {
            throw Disagreement(message: "'\(id)' gradient element \(i) is \(a) but central differences of the reference give \(n)")
        }
        return Result(value: value, gradient: analytic)
    }

    /// The reference's value (Σ over elements) for an input, without checking anything.
    func referenceValue(input: Tensor, exactInput: [Double], target: Tensor?) throws -> Double {
        let refInput = try RefArray(shape: input.shape, data: exactInput)
        let refTarget = try target.map { try RefArray(shape: $0.shape, data: $0.data.map(Double.init)) }
        return try Self.referenceValue(id: id, input: refInput, target: refTarget, parameters: parameters.mapValues(Self.reference))
            .data.reduce(0, +)
    }

    static func reference(_ value: ParameterValue) -> RefParameter {
        switch value {
        case let .number(x): return .number(x)
        case let .bool(b): return .bool(b)
        case let .string(s): return .string(s)
        case let .numbers(xs): return .numbers(xs)
        }
    }
}
