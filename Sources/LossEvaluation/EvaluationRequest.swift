import Foundation
import Losses

/// One evaluation of `lossbook eval`: a loss (or the distance transform) on a JSON case, with
/// parameters from the case and the command line, value and optionally gradient.
///
/// Everything a user can get wrong is reported as an ``EvaluationError`` naming the field;
/// nothing traps and nothing is allocated from an unchecked shape.
public struct EvaluationRequest: Sendable, Equatable {
    /// The most elements an input or target may hold (10⁸: 400 MB of `Float`).
    public static let maximumElements = 100_000_000

    public var subject: EvaluationSubject
    public var input: Tensor
    public var target: Tensor?
    /// The case's `params`, overridden by `--param`.
    public var parameters: [String: ParameterValue]
    /// Also compute the gradient with respect to the input.
    public var gradient: Bool

    public init(subject: EvaluationSubject, input: Tensor, target: Tensor? = nil,
                parameters: [String: ParameterValue] = [:], gradient: Bool = false) {
        self.subject = subject
        self.input = input
        self.target = target
        self.parameters = parameters
        self.gradient = gradient
    }

    /// Reads a JSON case (see ``CaseJSON``) and applies the command line's `NAME=VALUE` overrides.
    /// - Parameters:
    ///   - json: `{"input": {"shape": […], "data": […]}, "target": {…}, "params": {…}}`.
    ///   - source: how errors name the case (`<stdin>` or its path).
    ///   - overrides: `--param` assignments, in order; a later one wins.
    public init(subject: EvaluationSubject, json: Data, source: String, overrides: [String] = [],
                gradient: Bool = false) throws(EvaluationError) {
        let decoded = try NonFiniteJSON.decode(CaseJSON.self, from: json, source: source)
        var parameters = decoded.params
        for text in overrides {
            let assignment = try ParameterAssignment(parsing: text)
            parameters[assignment.name] = assignment.value
        }
        self.init(subject: subject, input: decoded.input, target: decoded.target, parameters: parameters, gradient: gradient)
    }

    public func evaluate() throws(EvaluationError) -> EvaluationResult {
        switch subject {
        case let .loss(id):
            do {
                let output = try Catalog.make(id, parameters).evaluate(input, target: target, gradient: gradient)
                return EvaluationResult(id: id, value: output.value, gradient: gradient ? output.gradient : nil)
            } catch let error as LossError {
                throw Self.describe(error, id: id)
            } catch {
                throw EvaluationError(field: id, "\(error)")
            }
        case .distanceTransform:
            return try distanceTransform()
        }
    }

    /// `scipy.ndimage.distance_transform_edt(input, sampling=…)`: the distance of every non-zero
    /// element to the nearest zero. One parameter, `sampling`: a number, or one per axis.
    func distanceTransform() throws(EvaluationError) -> EvaluationResult {
        let id = subject.id
        guard !gradient else { throw EvaluationError(field: "--grad", "\(id) has no gradient") }
        var spacing: [Double]?
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            guard name == "sampling" else {
                throw EvaluationError(field: "params.\(name)", "\(id) takes one parameter, 'sampling' (a number or one per axis)")
            }
            switch value {
            case let .number(x): spacing = [x]
            case let .numbers(xs): spacing = xs
            default: throw EvaluationError(field: "params.sampling", "expected a number or a list of numbers")
            }
        }
        if let step = spacing, step.count == 1, input.rank > 1 { spacing = Array(repeating: step[0], count: input.rank) }
        do {
            return EvaluationResult(id: id, value: try DistanceTransform.euclidean(input, spacing: spacing))
        } catch let error as LossError {
            throw EvaluationError(field: "params.sampling", error.description)
        } catch {
            throw EvaluationError(field: id, "\(error)")
        }
    }

    /// A loss's rejection, with the parameter it names as the field.
    static func describe(_ error: LossError, id: String) -> EvaluationError {
        switch error {
        case let .unknownParameter(_, name, _), let .invalidParameter(_, name, _):
            return EvaluationError(field: "params.\(name)", error.description)
        default:
            return EvaluationError(field: id, error.description)
        }
    }
}
