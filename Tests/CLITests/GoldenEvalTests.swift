import Foundation
import XCTest

/// Every peer golden case (PyTorch, MONAI, SciPy, …) through `lossbook eval`, as the held-out
/// check runs them: the executable's printed numbers are compared with the numbers the peer
/// libraries computed, committed in `Tests/LossesTests/Fixtures/golden/*.json` and read from
/// the source tree. A broken loss, a broken case reader or a broken printer fails here.
///
/// The tolerances are each case's own, as `LossesTests.PeerGoldenTests` applies them in-process:
/// values within `rtol·|peer| + atol·max(1, max|peer|)`, gradients within `rtol·|peer| + grad_atol`.
final class GoldenEvalTests: XCTestCase {
    struct Array: Decodable { var shape: [Int]; var data: [Double] }

    /// A peer value: a number, or an array.
    enum Value: Decodable {
        case scalar(Double)
        case array(Array)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let x = try? c.decode(Double.self) { self = .scalar(x) } else { self = .array(try c.decode(Array.self)) }
        }
        var shape: [Int] { if case let .array(a) = self { return a.shape } else { return [] } }
        var data: [Double] {
            switch self {
            case let .scalar(x): return [x]
            case let .array(a): return a.data
            }
        }
    }

    /// A parameter as the fixtures write it (any JSON value), passed on to the case unchanged.
    struct Case: Decodable {
        var name: String
        var id: String
        var input: Array
        var target: Array?
        var spacing: [Double]?
        var value: Value
        var grad: Array?
        var rtol: Double
        var atol: Double
        var grad_atol: Double?
    }
    struct File: Decodable { var cases: [Case] }

    static var goldenFolder: URL { LossbookProcess.repository.appendingPathComponent("Tests/LossesTests/Fixtures/golden") }

    /// The case's `params` object, as written in the fixture.
    func params(of name: String, in file: [String: Any]) -> [String: Any] {
        let cases = file["cases"] as? [[String: Any]] ?? []
        return cases.first { $0["name"] as? String == name }?["params"] as? [String: Any] ?? [:]
    }

    /// The first element beyond the tolerance, described; `nil` when all agree.
    static func mismatch(_ ours: [Double], _ peer: [Double], tolerance: (Double) -> Double) -> String? {
        guard ours.count == peer.count else { return "\(ours.count) elements, the peer has \(peer.count)" }
        for i in peer.indices {
            let e = peer[i], o = ours[i]
            if e.isNaN && o.isNaN { continue }
            if e.isInfinite && o == e { continue }
            if !(abs(o - e) <= tolerance(e)) { return "element \(i): \(o), the peer \(e) (|Δ| = \(abs(o - e)))" }
        }
        return nil
    }

    func testEveryGoldenCaseThroughTheExecutableMatchesItsPeer() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.goldenFolder.path).filter { $0.hasSuffix(".json") && $0 != "index.json" }
        var checked = 0
        for file in files.sorted() {
            let data = try Data(contentsOf: Self.goldenFolder.appendingPathComponent(file))
            let cases = try JSONDecoder().decode(File.self, from: data).cases
            let raw = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
            for c in cases {
                let label = "\(file) \(c.name)"
                let isEDT = c.id == "edt"
                var request: [String: Any] = ["input": ["shape": c.input.shape, "data": c.input.data]]
                if let t = c.target { request["target"] = ["shape": t.shape, "data": t.data] }
                var params = params(of: c.name, in: raw)
                if isEDT, let spacing = c.spacing { params["sampling"] = spacing }
                request["params"] = params
                let json = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
                let wantGradient = c.grad != nil && !isEDT
                let result = try LossbookProcess.run(["eval", isEDT ? "distance-transform" : c.id] + (wantGradient ? ["--grad"] : []), stdin: json)
                XCTAssertEqual(result.status, 0, "\(label): \(result.stderr)")
                guard result.status == 0,
                      let printed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else { continue }

                let ours: (shape: [Int], data: [Double])
                if let x = printed["value"] as? NSNumber {
                    ours = ([], [x.doubleValue])
                } else {
                    let value = printed["value"] as? [String: Any]
                    ours = (value?["shape"] as? [Int] ?? [-1], (value?["data"] as? [NSNumber])?.map(\.doubleValue) ?? [])
                }
                XCTAssertEqual(ours.shape, c.value.shape, "\(label): value shape")
                let scale = max(1, c.value.data.map(abs).max() ?? 0)
                if let m = Self.mismatch(ours.data, c.value.data, tolerance: { c.rtol * abs($0) + c.atol * scale }) {
                    XCTFail("\(label): value \(m)")
                }
                if wantGradient, let peer = c.grad {
                    let grad = printed["grad"] as? [String: Any]
                    XCTAssertEqual(grad?["shape"] as? [Int], peer.shape, "\(label): gradient shape")
                    let data = (grad?["data"] as? [NSNumber])?.map(\.doubleValue) ?? []
                    if let m = Self.mismatch(data, peer.data, tolerance: { c.rtol * abs($0) + (c.grad_atol ?? 0) }) {
                        XCTFail("\(label): gradient \(m)")
                    }
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    /// The comparison can fail: a value 1e-4 off relative, or a missing gradient element, is caught.
    func testComparisonCatchesAWrongNumber() {
        let tolerance: (Double) -> Double = { 1e-5 * abs($0) + 1e-6 }
        XCTAssertNil(Self.mismatch([0.5, .nan, .infinity], [0.5, .nan, .infinity], tolerance: tolerance))
        XCTAssertNotNil(Self.mismatch([0.5 * (1 + 1e-4)], [0.5], tolerance: tolerance))
        XCTAssertNotNil(Self.mismatch([0.5], [0.5, 1], tolerance: tolerance))
        XCTAssertNotNil(Self.mismatch([.nan], [0.5], tolerance: tolerance))
    }
}
