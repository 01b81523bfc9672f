import ArgumentParser
import Foundation
import Losses

/// `lossbook eval ID`: one loss on a JSON case, value and optionally gradient as JSON.
///
/// Input (file or standard input): `{"input": {"shape": […], "data": […]}, "target": {…}, "params": {…}}`
/// (`target` and `params` optional). Output: `{"id": …, "value": number or {"shape","data"}, "grad": {"shape","data"}}`.
/// Non-finite numbers are written `NaN`, `Infinity`, `-Infinity` (as Python's `json` reads them).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate one loss on a JSON case.",
        discussion: "ID is a loss id of `lossbook list`, or distance-transform (scipy.ndimage.distance_transform_edt, parameter sampling).")

    @Argument(help: "The loss id (see `lossbook list`).")
    var id: String
    @Option(name: .customLong("param"), help: "A parameter, NAME=VALUE (number, true/false, [list], or text); overrides the file's.")
    var parameters: [String] = []
    @Flag(help: "Also print the gradient with respect to the input.")
    var grad = false
    @Option(help: "The JSON case; - or absent for standard input.")
    var input: String?

    func run() throws {
        do {
            print(try evaluate())
        } catch let error as EvalError {
            throw fail(error.message)
        } catch let error as LossError {
            throw fail("\(id): \(error)")
        }
    }

    struct EvalError: Error { var message: String }

    func fail(_ message: String) -> ExitCode {
        var stderr = StandardError()
        print("lossbook eval: error: \(message)", to: &stderr)
        return ExitCode(2)
    }

    /// The JSON case as read; unknown keys are found separately (the decoder ignores them).
    struct Case: Decodable {
        struct TensorJSON: Decodable {
            var shape: [Int]
            var data: [Double]
        }
        var input: TensorJSON
        var target: TensorJSON?
        var params: [String: ParameterValue]?
    }

    /// Not a loss: `scipy.ndimage.distance_transform_edt(input, sampling=…)`, for checking the
    /// distance transform the boundary losses use.
    static let distanceTransformID = "distance-transform"

    func evaluate() throws -> String {
        if id != Self.distanceTransformID {
            _ = try Catalog.type(for: id) // an unknown id is reported before any input is read
        }
        let path = input ?? "-"
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else { throw EvalError(message: "cannot read \(path)") }
            data = contents
        }
        let keys: [String]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw EvalError(message: "\(path): expected a JSON object with 'input' (and 'target', 'params')")
            }
            keys = Array(object.keys)
        } catch let error as EvalError {
            throw error
        } catch {
            throw EvalError(message: "\(path): invalid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error.localizedDescription)")
        }
        for key in keys.sorted() where !["input", "target", "params"].contains(key) {
            throw EvalError(message: "\(path): unknown key '\(key)' (expected input, target, params)")
        }
        let testCase: Case
        do {
            testCase = try JSONDecoder().decode(Case.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw EvalError(message: "\(path): missing '\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw EvalError(message: "\(path): '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type "
                            + "(input/target are {\"shape\": [ints], \"data\": [numbers]}; params are numbers, booleans, strings or lists of numbers)")
        }
        let inputTensor = try tensor(testCase.input, "input")
        let targetTensor = try testCase.target.map { try tensor($0, "target") }
        var values = testCase.params ?? [:]
        for assignment in parameters {
            guard let eq = assignment.firstIndex(of: "=") else {
                throw EvalError(message: "--param '\(assignment)' must be NAME=VALUE")
            }
            values[String(assignment[..<eq])] = parse(String(assignment[assignment.index(after: eq)...]))
        }

        if id == Self.distanceTransformID { return try distanceTransform(inputTensor, values) }
        let loss = try Catalog.make(id, values)
        let output = try loss.evaluate(inputTensor, target: targetTensor, gradient: grad)
        var json = "{\"id\": \(quote(id)), \"value\": "
        json += output.value.isScalar ? number(output.value.data[0]) : tensorJSON(output.value)
        if grad, let gradient = output.gradient { json += ", \"grad\": " + tensorJSON(gradient) }
        return json + "}"
    }

    func distanceTransform(_ input: Tensor, _ values: [String: ParameterValue]) throws -> String {
        var spacing: [Double]?
        for (name, value) in values {
            guard name == "sampling" else {
                throw EvalError(message: "\(id) takes one parameter, 'sampling' (a number or one per axis), not '\(name)'")
            }
            switch value {
            case let .number(x): spacing = [x]
            case let .numbers(xs): spacing = xs
            default: throw EvalError(message: "'sampling' must be a number or a list of numbers")
            }
        }
        if spacing?.count == 1, input.rank > 1 { spacing = Array(repeating: spacing![0], count: input.rank) }
        let map = try DistanceTransform.euclidean(input, spacing: spacing)
        if grad { throw EvalError(message: "\(id) has no gradient") }
        return "{\"id\": \(quote(id)), \"value\": " + tensorJSON(map) + "}"
    }

    func tensor(_ raw: Case.TensorJSON, _ name: String) throws -> Tensor {
        do {
            return try Tensor(shape: raw.shape, data: raw.data.map { Float($0) })
        } catch let error as LossError {
            throw EvalError(message: "'\(name)': \(error)")
        }
    }

    /// `2` → number, `true` → bool, `[1, 2]` → numbers, anything else → string.
    func parse(_ text: String) -> ParameterValue {
        if text == "true" || text == "false" { return .bool(text == "true") }
        if let x = Double(text) { return .number(x) }
        if text.hasPrefix("["), let data = text.data(using: .utf8),
           let xs = try? JSONSerialization.jsonObject(with: data) as? [NSNumber] {
            return .numbers(xs.map(\.doubleValue))
        }
        return .string(text)
    }

    func number(_ x: Float) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Infinity" : "-Infinity" }
        return "\(x)"
    }

    func tensorJSON(_ t: Tensor) -> String {
        "{\"shape\": [" + t.shape.map(String.init).joined(separator: ", ") + "], \"data\": [" + t.data.map(number).joined(separator: ", ") + "]}"
    }

    func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
