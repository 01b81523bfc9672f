import ArgumentParser
import Foundation
import LossEvaluation

/// `lossbook eval ID`: one loss on a JSON case, value and optionally gradient as JSON.
///
/// The case, the parameters and the output are `LossEvaluation`'s (`EvaluationRequest`,
/// `EvaluationResult`); this command reads the case and prints. Every mistake exits 2 with one
/// line naming the field at fault.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate one loss on a JSON case.",
        discussion: """
        Input: {"input": {"shape": […], "data": […]}, "target": {…}, "params": {…}} (target and params optional). \
        Output: {"id": …, "value": number or {"shape", "data"}, "grad": {"shape", "data"}}. \
        Non-finite numbers are written NaN, Infinity, -Infinity, on input as on output (as Python's json). \
        A case is at most 1 GiB. \
        ID is a loss id of `lossbook list`, or distance-transform (scipy.ndimage.distance_transform_edt, parameter sampling).
        """)

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
            let subject = try EvaluationSubject(id: id) // an unknown id is reported before any input is read
            let path = input ?? "-"
            let json = try CaseInput.read(path)
            let request = try EvaluationRequest(subject: subject, json: json, source: path == "-" ? "<stdin>" : path,
                                                overrides: parameters, gradient: grad)
            print(try request.evaluate().json)
        } catch let error as EvaluationError {
            var stderr = StandardError()
            print("lossbook eval: error: \(error)", to: &stderr)
            throw ExitCode(2)
        }
    }
}
