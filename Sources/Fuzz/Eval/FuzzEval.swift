import Foundation
import LossEvaluation

/// `lossbook eval`'s JSON case: the first line names the loss (or `distance-transform`), the rest
/// is the case; reading and (for small inputs) evaluating must never trap.
func evaluate(_ data: Data) {
    let newline = data.firstIndex(of: 0x0A) ?? data.endIndex
    let id = String(decoding: data[data.startIndex..<newline], as: UTF8.self)
    let json = newline < data.endIndex ? Data(data[(newline + 1)...]) : Data()
    guard let subject = try? EvaluationSubject(id: id.isEmpty ? "l1" : id),
          let request = try? EvaluationRequest(subject: subject, json: json, source: "fuzz.json", gradient: json.count % 2 == 0),
          request.input.data.count <= 10_000, (request.target?.data.count ?? 0) <= 10_000 else { return }
    _ = try? request.evaluate()
}

#if LOSSBOOK_FUZZ
/// libFuzzer's entry point (built by scripts/fuzz.sh with -sanitize=fuzzer).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    evaluate(Data(bytes: data, count: size))
    return 0
}
#else
/// Without libFuzzer: runs each file named on the command line through the entry point once.
@main
enum Replay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() { evaluate(try Data(contentsOf: URL(fileURLWithPath: path))) }
    }
}
#endif
