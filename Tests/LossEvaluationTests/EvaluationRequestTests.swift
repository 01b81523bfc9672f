import Foundation
import LossEvaluation
import Losses
import XCTest

/// `lossbook eval`'s contract in-process: every malformed case is an `EvaluationError` naming
/// its field, non-finite numbers read back as written, shapes are checked before anything is sized.
final class EvaluationRequestTests: XCTestCase {
    func request(_ id: String, _ json: String, overrides: [String] = [], gradient: Bool = false) throws -> EvaluationRequest {
        try EvaluationRequest(subject: try EvaluationSubject(id: id), json: Data(json.utf8), source: "<stdin>",
                              overrides: overrides, gradient: gradient)
    }

    /// The error for `json`, or a failure when there is none.
    func error(_ id: String, _ json: String, overrides: [String] = [], gradient: Bool = false,
               file: StaticString = #filePath, line: UInt = #line) -> EvaluationError? {
        do {
            _ = try request(id, json, overrides: overrides, gradient: gradient).evaluate()
            XCTFail("\(json) \(overrides) was accepted", file: file, line: line)
        } catch let error as EvaluationError {
            return error
        } catch {
            XCTFail("\(json): not an EvaluationError: \(error)", file: file, line: line)
        }
        return nil
    }

    static let good = #"{"input": {"shape": [1, 2], "data": [1, 2]}, "target": {"shape": [1], "data": [1]}}"#

    func testValueAndGradientEqualTheLibrarys() throws {
        let result = try request("cross-entropy", Self.good, overrides: ["label_smoothing=0.1"], gradient: true).evaluate()
        let expected = try Catalog.make("cross-entropy", ["label_smoothing": .number(0.1)])
            .evaluate(try Tensor(shape: [1, 2], data: [1, 2]), target: try Tensor(shape: [1], data: [1]), gradient: true)
        XCTAssertEqual(result.value, expected.value)
        XCTAssertEqual(result.gradient, expected.gradient)
        XCTAssertTrue(result.json.hasPrefix(#"{"id": "cross-entropy", "value": "#), result.json)
    }

    func testMalformedCasesNameTheirField() {
        let cases: [(json: String, field: String?, message: String)] = [
            (#"{"input": "#, nil, "invalid JSON"),
            (#"[1, 2]"#, nil, "expected a JSON object with 'input'"),
            (#"{"inptu": {}}"#, nil, "unknown key 'inptu'"),
            (#"{"target": {"shape": [1], "data": [1]}}"#, nil, "missing 'input'"),
            (#"{"input": [1, 2]}"#, "input", "expected an object"),
            (#"{"input": {"shape": [2], "data": [1, 2], "dtype": "f"}}"#, "input", "unknown key 'dtype'"),
            (#"{"input": {"data": [1, 2]}}"#, "input", "missing 'shape'"),
            (#"{"input": {"shape": [2]}}"#, "input", "missing 'data'"),
            (#"{"input": {"shape": 2, "data": [1, 2]}}"#, "input.shape", "expected a list of positive whole numbers"),
            (#"{"input": {"shape": [1.5], "data": [1]}}"#, "input.shape[0]", "expected a positive whole number at most 100000000, got 1.5"),
            (#"{"input": {"shape": [2, 0], "data": []}}"#, "input.shape[1]", "got 0"),
            (#"{"input": {"shape": [-1], "data": []}}"#, "input.shape[0]", "got -1"),
            (#"{"input": {"shape": [NaN], "data": []}}"#, "input.shape[0]", "got NaN"),
            (#"{"input": {"shape": ["2"], "data": [1, 2]}}"#, "input.shape[0]", "expected a positive whole number"),
            (#"{"input": {"shape": [1, 3], "data": [1, 2]}}"#, "input.data", "holds 3 elements but 2 were given"),
            (#"{"input": {"shape": [2], "data": [1, "x"]}}"#, "input.data[1]", "expected a number"),
            (#"{"input": {"shape": [2], "data": [1, 1e39]}}"#, "input.data[1]", "outside the range of Float"),
            (#"{"input": {"shape": [2], "data": [1, 2]}, "target": {"shape": [2.5], "data": [1]}}"#, "target.shape[0]", "got 2.5"),
            (#"{"input": {"shape": [2], "data": [1, 2]}, "params": [1]}"#, "params", "expected an object"),
            (#"{"input": {"shape": [2], "data": [1, 2]}, "params": {"gamma": {"a": 1}}}"#, "params.gamma", "expected a number"),
        ]
        for c in cases {
            let error = error("focal", c.json)
            XCTAssertEqual(error?.source, "<stdin>", c.json)
            XCTAssertEqual(error?.field, c.field, c.json)
            XCTAssertTrue(error?.message.contains(c.message) == true, "\(c.json): \(error?.description ?? "")")
        }
    }

    func testCommandLineMistakesNameTheOption() {
        XCTAssertEqual(error("focal", Self.good, overrides: ["gamma"])?.field, "--param")
        XCTAssertEqual(error("focal", Self.good, overrides: ["=2"])?.field, "--param")
        XCTAssertEqual(error("focal", Self.good, overrides: ["weight=[1, x]"])?.field, "--param weight")
        XCTAssertEqual(error("focal", Self.good, overrides: ["gamma=-1"])?.field, "params.gamma")
        let unknown = error("focal", #"{"input": {"shape": [1, 2], "data": [1, 2]}, "target": {"shape": [1], "data": [1]}, "params": {"gama": 2}}"#)
        XCTAssertEqual(unknown?.field, "params.gama")
        XCTAssertTrue(unknown?.message.contains("has no parameter 'gama' (did you mean 'gamma'?)") == true, unknown?.description ?? "")
        XCTAssertTrue(error("focal", Self.good, overrides: ["gamma=-1"])?.message.contains("out of range") == true)
        XCTAssertEqual(error("distance-transform", Self.good, gradient: true)?.field, "--grad")
        XCTAssertEqual(error("distance-transform", Self.good, overrides: ["spacing=2"])?.field, "params.spacing")
        XCTAssertEqual(error("distance-transform", Self.good, overrides: ["sampling=0"])?.field, "params.sampling")
        XCTAssertThrowsError(try EvaluationSubject(id: "focl")) { error in
            XCTAssertEqual("\(error)", "unknown loss 'focl' (did you mean 'focal'?)")
        }
    }

    /// A syntax error names the line and column of the text as written, `NaN` included.
    func testSyntaxErrorPositionIgnoresTheNonFiniteSpelling() {
        let message = error("l1", "{\"input\": {\"shape\": [2], \"data\": [NaN, 1 2]}}")?.message ?? ""
        XCTAssertTrue(message.hasPrefix("invalid JSON"), message)
        let plain = error("l1", "{\"input\": {\"shape\": [2], \"data\": [0.0, 1 2]}}")?.message ?? ""
        XCTAssertEqual(message, plain)
    }

    func testShapesAreCheckedBeforeAnythingIsSized() {
        for shape in ["[100000000, 100000000]", "[9223372036854775807, 9223372036854775807]", "[4294967296, 4294967296, 4]",
                      "[100000001]", "[1e300]", "[Infinity]"] {
            let error = error("l1", "{\"input\": {\"shape\": \(shape), \"data\": [1]}}")
            XCTAssertTrue(error?.field?.hasPrefix("input.shape") == true, "\(shape): \(error?.description ?? "")")
        }
        // At the limit the shape is fine; the data count decides.
        let atLimit = error("l1", #"{"input": {"shape": [10000, 10000], "data": [1]}}"#)
        XCTAssertEqual(atLimit?.field, "input.data")
        XCTAssertTrue(atLimit?.message.contains("holds 100000000 elements but 1 were given") == true, atLimit?.description ?? "")
    }

    /// A case is read up to a bound, standard input as it comes (`< /dev/zero` filled memory
    /// without end) and a file by its size before any of it is read.
    func testCasesAreReadUpToTheirBound() throws {
        let pipe = Pipe()
        let writer = Thread { pipe.fileHandleForWriting.write(Data(repeating: 0x20, count: 1000)); try? pipe.fileHandleForWriting.close() }
        writer.start()
        XCTAssertThrowsError(try CaseInput.read("-", standardInput: pipe.fileHandleForReading, limit: 64)) { error in
            XCTAssertEqual((error as? EvaluationError)?.description, "<stdin>: the case is longer than 64 bytes, the most eval reads")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("case-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(Self.good.utf8).write(to: file)
        XCTAssertThrowsError(try CaseInput.read(file.path, limit: 64)) { error in
            XCTAssertEqual((error as? EvaluationError)?.description, "\(file.path): the case is longer than 64 bytes, the most eval reads")
        }
        XCTAssertEqual(try CaseInput.read(file.path, limit: Self.good.utf8.count), Data(Self.good.utf8))
        XCTAssertEqual(CaseInput.maximumBytes, 1 << 30)
    }

    /// NaN, Infinity and -Infinity come back in as they go out, in data and in parameters.
    func testNonFiniteNumbersRoundTrip() throws {
        let data: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 1.5, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let written = EvaluationResult(id: "l1", value: try Tensor(shape: [2, 4], data: data)).json
        XCTAssertTrue(written.contains("NaN, Infinity, -Infinity"), written)
        let value = try XCTUnwrap(written.range(of: #""value": "#)).upperBound
        let tensorText = String(written[value...].dropLast())
        let read = try request("l1", "{\"input\": \(tensorText), \"target\": \(tensorText), \"params\": {\"reduction\": \"none\"}}")
        XCTAssertEqual(read.input.shape, [2, 4])
        XCTAssertEqual(read.input.data.map(\.bitPattern).dropFirst(), data.map(\.bitPattern).dropFirst())
        XCTAssertTrue(read.input.data[0].isNaN)

        // Quoted, they are strings, not numbers.
        XCTAssertEqual(error("l1", #"{"input": {"shape": [1], "data": ["NaN"]}}"#)?.field, "input.data[0]")
        // As parameters, written the same way.
        XCTAssertEqual(try ParameterAssignment(parsing: "sampling=Infinity").value, .number(.infinity))
        XCTAssertEqual(try ParameterAssignment(parsing: "weight=[1, -Infinity]").value, .numbers([1, -.infinity]))
        XCTAssertEqual(try request("l1", #"{"input": {"shape": [1], "data": [1]}, "params": {"x": -Infinity}}"#).parameters["x"], .number(-.infinity))
        XCTAssertEqual(try ParameterAssignment(parsing: "reduction=sum").value, .string("sum"))
        XCTAssertEqual(try ParameterAssignment(parsing: "x=nan").value, .string("nan"), "only the output's spelling is a number")
        XCTAssertEqual(try ParameterAssignment(parsing: "x=true").value, .bool(true))
        XCTAssertEqual(try ParameterAssignment(parsing: "x=1e-3").value, .number(1e-3))
        XCTAssertEqual(try ParameterAssignment(parsing: "x=a=b").value, .string("a=b"))
    }

    func testDistanceTransformIsAnEvaluation() throws {
        let result = try request("distance-transform", #"{"input": {"shape": [1, 3], "data": [0, 1, 1]}, "params": {"sampling": 2}}"#).evaluate()
        XCTAssertEqual(result.id, "distance-transform")
        XCTAssertEqual(result.value, try Tensor(shape: [1, 3], data: [0, 2, 4]))
        XCTAssertEqual(result.json, #"{"id": "distance-transform", "value": {"shape": [1, 3], "data": [0.0, 2.0, 4.0]}}"#)
    }
}
