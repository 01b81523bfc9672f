import XCTest
import Losses

/// `lossbook list` and `lossbook eval` end to end.
final class CatalogCommandTests: XCTestCase {
    func testListJSONHasEveryIdWithBothLanguages() throws {
        let result = try LossbookProcess.run(["list", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.compactMap { $0["id"] as? String }, Catalog.ids)
        for entry in entries {
            let id = entry["id"] as? String ?? "?"
            for field in ["name", "input", "gradient"] {
                let text = entry[field] as? [String: String]
                XCTAssertFalse(text?["zh"]?.isEmpty ?? true, "\(id).\(field).zh")
                XCTAssertFalse(text?["en"]?.isEmpty ?? true, "\(id).\(field).en")
            }
            XCTAssertFalse((entry["formulas"] as? [String])?.isEmpty ?? true, "\(id) formulas")
            XCTAssertFalse(((entry["citation"] as? [String: Any])?["text"] as? String)?.isEmpty ?? true, "\(id) citation")
            for parameter in entry["parameters"] as? [[String: Any]] ?? [] {
                let description = parameter["description"] as? [String: String]
                XCTAssertFalse(description?["zh"]?.isEmpty ?? true, "\(id).\(parameter["name"] ?? "?") zh")
                XCTAssertFalse(description?["en"]?.isEmpty ?? true, "\(id).\(parameter["name"] ?? "?") en")
            }
        }
    }

    /// The CLI prints what the library computes, value and gradient.
    func testEvalPrintsTheLibrarysValueAndGradient() throws {
        let logits: [Float] = [1, 2, 3, 0.5, -1, 1000]
        let labels: [Float] = [0, 2]
        let input = "{\"input\": {\"shape\": [2, 3], \"data\": \(logits)}, \"target\": {\"shape\": [2], \"data\": \(labels)}}"
        let result = try LossbookProcess.run(["eval", "cross-entropy", "--grad", "--param", "label_smoothing=0.1"], stdin: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let expected = try Catalog.make("cross-entropy", ["label_smoothing": .number(0.1)])
            .evaluate(try Tensor(shape: [2, 3], data: logits), target: try Tensor(shape: [2], data: labels), gradient: true)
        XCTAssertEqual(json["id"] as? String, "cross-entropy")
        XCTAssertEqual((json["value"] as? NSNumber)?.floatValue, expected.value.data[0])
        let grad = try XCTUnwrap(json["grad"] as? [String: Any])
        XCTAssertEqual((grad["shape"] as? [Int]), [2, 3])
        XCTAssertEqual((grad["data"] as? [NSNumber])?.map(\.floatValue), expected.gradient?.data)
    }

    func testEvalErrorsExitTwoWithOneLine() throws {
        let good = "{\"input\": {\"shape\": [1, 2], \"data\": [1, 2]}, \"target\": {\"shape\": [1], \"data\": [1]}}"
        let cases: [([String], String, String)] = [
            (["eval", "focl"], good, "unknown loss 'focl' (did you mean 'focal'?)"),
            (["eval", "focal", "--param", "gama=2"], good, "has no parameter 'gama' (did you mean 'gamma'?)"),
            (["eval", "focal", "--param", "gamma=-1"], good, "out of range"),
            (["eval", "focal"], "{\"input\": ", "invalid JSON"),
            (["eval", "focal"], "{\"input\": {\"shape\": [1, 3], \"data\": [1, 2]}}", "holds 3 elements but 2 were given"),
            (["eval", "focal"], "{\"inptu\": {}}", "unknown key 'inptu'"),
        ]
        for (arguments, stdin, message) in cases {
            let result = try LossbookProcess.run(arguments, stdin: stdin)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
