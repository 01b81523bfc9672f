import XCTest
import Losses

/// Every peer golden case (PyTorch, MONAI, SciPy, …; `Tests/LossesTests/Fixtures/golden`) through
/// `lossbook eval`, as the held-out check runs them: the executable must print exactly what the
/// library computes in-process (which `LossesTests.PeerGoldenTests` compares with the peers).
/// Float values round-trip through their shortest decimal form, so equality here is exact.
final class GoldenEvalTests: XCTestCase {
    struct Array: Codable { var shape: [Int]; var data: [Double] }
    struct Case: Decodable {
        var name: String
        var id: String
        var params: [String: ParameterValue]
        var input: Array
        var target: Array?
        var spacing: [Double]?
        var grad: Array?
    }
    struct File: Decodable { var cases: [Case] }

    func testEveryGoldenCaseThroughTheExecutable() throws {
        let folder = LossbookProcess.repository.appendingPathComponent("Tests/LossesTests/Fixtures/golden")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") && $0 != "index.json" }
        var checked = 0
        for file in files.sorted() {
            let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: folder.appendingPathComponent(file))).cases
            for c in cases {
                let isEDT = c.id == "edt"
                var request: [String: Any] = ["input": ["shape": c.input.shape, "data": c.input.data]]
                if let t = c.target { request["target"] = ["shape": t.shape, "data": t.data] }
                var params: [String: Any] = [:]
                for (name, value) in c.params {
                    switch value {
                    case let .number(x): params[name] = x
                    case let .bool(b): params[name] = b
                    case let .string(s): params[name] = s
                    case let .numbers(xs): params[name] = xs
                    }
                }
                if isEDT, let spacing = c.spacing { params["sampling"] = spacing }
                request["params"] = params
                let json = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
                let wantGradient = c.grad != nil && !isEDT
                let result = try LossbookProcess.run(["eval", isEDT ? "distance-transform" : c.id] + (wantGradient ? ["--grad"] : []), stdin: json)
                XCTAssertEqual(result.status, 0, "\(file) \(c.name): \(result.stderr)")
                guard result.status == 0,
                      let printed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else { continue }

                let input = try Tensor(shape: c.input.shape, data: c.input.data.map { Float($0) })
                let output: LossOutput
                if isEDT {
                    output = LossOutput(value: try DistanceTransform.euclidean(input, spacing: c.spacing.map { $0.count == 1 ? Swift.Array(repeating: $0[0], count: input.rank) : $0 }))
                } else {
                    let target = try c.target.map { try Tensor(shape: $0.shape, data: $0.data.map { Float($0) }) }
                    output = try Catalog.make(c.id, c.params).evaluate(input, target: target, gradient: wantGradient)
                }
                if output.value.isScalar {
                    XCTAssertEqual((printed["value"] as? NSNumber)?.floatValue, output.value.data[0], "\(file) \(c.name) value")
                } else {
                    let value = printed["value"] as? [String: Any]
                    XCTAssertEqual(value?["shape"] as? [Int], output.value.shape, "\(file) \(c.name) shape")
                    XCTAssertEqual((value?["data"] as? [NSNumber])?.map(\.floatValue), output.value.data, "\(file) \(c.name) value")
                }
                if wantGradient {
                    let grad = printed["grad"] as? [String: Any]
                    XCTAssertEqual((grad?["data"] as? [NSNumber])?.map(\.floatValue), output.gradient?.data, "\(file) \(c.name) gradient")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }
}
