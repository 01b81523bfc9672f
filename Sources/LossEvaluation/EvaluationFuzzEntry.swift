import Foundation

/// `lossbook eval`'s entry point for the fuzzer (`scripts/fuzz.sh eval`) and its regression
/// tests: the first line names the loss (or `distance-transform`), the rest is the JSON case.
/// Reading and (for small inputs) evaluating must never trap.
public enum EvaluationFuzzEntry {
    public static func evaluate(_ data: Data) {
        let newline = data.firstIndex(of: 0x0A) ?? data.endIndex
        let id = String(decoding: data[data.startIndex..<newline], as: UTF8.self)
        let json = newline < data.endIndex ? Data(data[(newline + 1)...]) : Data()
        guard let subject = try? EvaluationSubject(id: id.isEmpty ? "l1" : id),
              let request = try? EvaluationRequest(subject: subject, json: json, source: "fuzz.json", gradient: json.count % 2 == 0),
              request.input.data.count <= 10_000, (request.target?.data.count ?? 0) <= 10_000 else { return }
        _ = try? request.evaluate()
    }
}
