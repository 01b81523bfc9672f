import Foundation
import LossReference
import Losses
import XCTest

/// `Losses` against values and gradients computed by the peer libraries themselves (PyTorch,
/// torchvision, MONAI, SciPy), stored as JSON by `scripts/golden/make_golden.py` (schema and
/// regeneration in that script's docstring). No Python is needed to run these tests.
///
/// Tolerances come with each case: rtol = 1e-5 (the criterion), atol = 1e-6 for values
/// and 1e-6 × max|grad| for gradients. The peers computed in float64 from the same float32
/// inputs, so what is measured is our float32 error alone; the absolute parts cover elements
/// that are differences of O(1) numbers (1 − Dice, softmax gradients p − y), which float32 knows
/// only to ≈ 1e-7 of the largest term.
final class PeerGoldenTests: XCTestCase {
    /// The fixtures' tensors and values, read as `LossTestSupport.goldenCases` reads them.
    typealias GoldenTensor = LossTestSupport.GoldenTensor
    typealias GoldenValue = LossTestSupport.GoldenValue

    struct Peer: Decodable { var library: String; var call: String }

    struct Case: Decodable {
        var name: String
        var id: String
        var params: [String: ParameterValue]
        var peer: Peer
        var input: GoldenTensor
        var target: GoldenTensor?
        var spacing: [Double]?
        var value: GoldenValue
        var grad: GoldenTensor?
        var rtol: Double
        var atol: Double
        var grad_atol: Double?
        /// "float32" when the peer computed in float32 (its numbers carry float32 rounding).
        var precision: String?
    }

    struct File: Decodable {
        var library: String
        var versions: [String: String]
        var cases: [Case]
    }

    struct Index: Decodable {
        struct Witness: Decodable { var kind: String; var citation: String; var formula: String }
        struct Entry: Decodable { var peer: [String]?; var witness: Witness?; var cases: Int; var reason: String? }
        var files: [String]
        var ids: [String: Entry]
    }

    static var goldenDirectory: URL {
        get throws {
            let root = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures missing from the bundle")
            return root.appendingPathComponent("golden")
        }
    }

    func loadIndex() throws -> Index {
        try JSONDecoder().decode(Index.self, from: Data(contentsOf: Self.goldenDirectory.appendingPathComponent("index.json")))
    }

    func loadCases() throws -> [Case] {
        try loadIndex().files.flatMap { name in
            try JSONDecoder().decode(File.self, from: Data(contentsOf: Self.goldenDirectory.appendingPathComponent(name))).cases
        }
    }

    /// Compares one case; returns the problems found.
    func check(_ c: Case) throws -> [String] {
        let label = "\(c.name) [\(c.peer.call)]"
        let input = try c.input.tensor()
        let ours: LossOutput
        if c.id == "edt" {
            ours = LossOutput(value: try DistanceTransform.euclidean(input, spacing: c.spacing))
        } else {
            let loss = try Catalog.make(c.id, c.params)
            ours = try loss.evaluate(input, target: try c.target?.tensor(), gradient: c.grad != nil)
        }
        var problems: [String] = []
        if ours.value.shape != c.value.shape {
            problems.append("\(label): value shape \(ours.value.shape), peer \(c.value.shape)")
        } else if let m = Tolerance.valueMismatch(ours.value.data.map(Double.init), c.value.data, rtol: c.rtol, atol: c.atol) {
            problems.append("\(label): value \(m)")
        }
        if let expected = c.grad {
            if let g = ours.gradient, g.shape == expected.shape {
                if let m = Tolerance.gradientMismatch(g.data.map(Double.init), expected.data, rtol: c.rtol,
                                                      atol: (c.grad_atol ?? 0) / max(expected.data.map(abs).max() ?? 0, 1e-3)) {
                    problems.append("\(label): gradient \(m)")
                }
            } else {
                problems.append("\(label): gradient shape \(ours.gradient?.shape ?? []), peer \(expected.shape)")
            }
        }
        return problems
    }

    func testEveryGoldenCaseMatchesItsPeer() throws {
        let cases = try loadCases()
        XCTAssertGreaterThan(cases.count, 100)
        var compared = 0
        // The largest relative value error seen, to show how much of the 1e-5 budget float32 uses.
        var worst = (error: 0.0, name: "")
        for c in cases {
            guard c.id == "edt" || Catalog.ids.contains(c.id) else {
                XCTFail("\(c.name): the catalog has no loss '\(c.id)'")
                continue
            }
            do {
                for problem in try check(c) { XCTFail(problem) }
                compared += 1
                if c.id != "edt", let ours = try? Catalog.make(c.id, c.params).evaluate(c.input.tensor(), target: c.target?.tensor(), gradient: false) {
                    for (o, e) in zip(ours.value.data, c.value.data) where abs(e) > 1e-3 {
                        let r = abs(Double(o) - e) / abs(e)
                        if r > worst.error { worst = (r, c.name) }
                    }
                }
            } catch {
                XCTFail("\(c.name) [\(c.peer.call)]: \(error)")
            }
        }
        print("PeerGoldenTests: \(compared) peer cases compared; largest relative value error \(worst.error) (\(worst.name))")
    }

    /// The Double reference agrees with the peers too, far more tightly than `Losses` must (both
    /// compute in double precision from the same float32 inputs; the fixtures keep 12 significant
    /// digits): this is what makes the reference a trustworthy check for the ids no peer has,
    /// which share its building blocks (softmax, overlap sums, distance maps, cross entropy).
    /// Cases computed in float32 by their peer (smp's Lovász, Keras) get the float32 tolerance.
    func testReferenceMatchesEveryGoldenCase() throws {
        var compared = 0
        for c in try loadCases() where c.id != "edt" {
            let input = try RefArray(shape: c.input.shape, data: c.input.data.map { Double(Float($0)) })
            let target = try c.target.map { try RefArray(shape: $0.shape, data: $0.data.map { Double(Float($0)) }) }
            let parameters = try referenceParameters(c.id, c.params)
            let reference = try ReferenceLosses.value(id: c.id, input: input, target: target, parameters: parameters)
            let float32Peer = c.precision == "float32"
            XCTAssertEqual(reference.shape, c.value.shape, "\(c.name): reference shape")
            if let m = Tolerance.valueMismatch(reference.data, c.value.data, rtol: float32Peer ? 1e-5 : 1e-9, atol: 1e-9) {
                XCTFail("\(c.name) [\(c.peer.call)]: the reference differs: \(m)")
            }
            compared += 1
        }
        print("PeerGoldenTests: the reference matches \(compared) peer cases")
    }

    /// Every catalog id is in the index with cases: a peer library's, or for an id no peer has,
    /// the reason and the paper witness (its formula in PyTorch, `papers.json`); ids whose
    /// descriptor names a PyTorch or MONAI peer have peer cases.
    func testIndexCoversTheCatalog() throws {
        let index = try loadIndex()
        for id in Catalog.ids {
            guard let entry = index.ids[id] else {
                XCTFail("\(id): missing from golden/index.json (regenerate with scripts/golden/make_golden.py)")
                continue
            }
            XCTAssertGreaterThan(entry.cases, 0, "\(id): neither peer nor witness cases")
            if entry.peer == nil {
                XCTAssertNotNil(entry.reason, "\(id): no peer and no reason")
                XCTAssertEqual(entry.witness?.kind, "paper", "\(id): no peer and no paper witness")
                let descriptor = try Catalog.descriptor(for: id)
                let named = descriptor.peers.filter { ["pytorch", "monai", "torchvision", "scipy"].contains($0.library) }
                    .filter { !$0.call.hasPrefix("sum(") && !$0.call.contains("weight_decay") }
                XCTAssertTrue(named.isEmpty, "\(id): the descriptor names \(named.map(\.call)) but there is no golden case")
            } else {
                XCTAssertGreaterThan(entry.cases, 0, "\(id): peer listed without cases")
            }
        }
    }

    /// The golden comparison can fail: the same rules reject a value off by 1e-4 relative.
    func testComparisonCatchesAPerturbedPeerValue() throws {
        let c = try XCTUnwrap(try loadCases().first { $0.id == "cross-entropy" && $0.value.shape.isEmpty })
        var wrong = c
        wrong.value = .scalar(c.value.data[0] * (1 + 1e-4))
        XCTAssertTrue(try check(c).isEmpty)
        XCTAssertFalse(try check(wrong).isEmpty)
    }
}
