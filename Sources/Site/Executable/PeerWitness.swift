import Foundation
import Losses

/// The third witness: the values and gradients that the peer libraries themselves computed
/// (PyTorch, MONAI, SciPy, …; `Tests/LossesTests/Fixtures/golden/*.json`, made by
/// `scripts/golden/make_golden.py` from pinned versions and compiled into the binary) are
/// recomputed by `Losses` at every build whose binary has not passed them yet. A bug made the
/// same way in `Losses` and in `LossReference` passes the reference check but not this one.
/// For a loss no peer library has, its paper's formula written in PyTorch float64
/// (`papers.json`, the case's `peer.library` is "paper") stands in for the peer, checked alike.
///
/// Tolerances are each case's own, as the fixtures state them and `PeerGoldenTests` applies
/// them: values within `rtol·|peer| + atol·max(1, max|peer|)`, gradients within
/// `rtol·|peer| + grad_atol`.
struct PeerWitness {
    /// The folder of the fixtures, as compiled in.
    static let folder = "Tests/LossesTests/Fixtures/golden"

    struct Array: Decodable {
        var shape: [Int]
        var data: [Double]
        func tensor() throws -> Tensor { try Tensor(shape: shape, data: data.map { Float($0) }) }
    }

    enum Value: Decodable {
        case scalar(Double)
        case array(Array)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let x = try? c.decode(Double.self) { self = .scalar(x) } else { self = .array(try c.decode(Array.self)) }
        }
        var data: [Double] { if case let .array(a) = self { return a.data } else if case let .scalar(x) = self { return [x] }; return [] }
        var shape: [Int] { if case let .array(a) = self { return a.shape }; return [] }
    }

    struct Case: Decodable {
        struct Peer: Decodable { var library: String; var call: String }
        var name: String
        var id: String
        var params: [String: ParameterValue]
        var peer: Peer
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

    struct Index: Decodable {
        struct Entry: Decodable, Sendable {
            var peer: [String]?
            var witness: Witness?
            var cases: Int
            var reason: String?
            /// Why no peer library has it, as a kind the theme says in each language
            /// (`witness_reason_<kind>` in `strings.yaml`).
            var reason_kind: String?
        }
        var files: [String]
        var ids: [String: Entry]
    }

    /// What stands in for a peer library for a loss none has: the loss written from its paper's
    /// formula in PyTorch float64 (`scripts/golden/peers/papers.py`, cases in `papers.json`).
    struct Witness: Decodable, Sendable {
        var kind: String
        var description: String
        var citation: String
        /// Short form: "Abraham & Khan 2019".
        var cite: String
        var formula: String
        /// "library: call" of the cases where the loss reduces exactly to a peer's loss.
        var reductions: [String]
    }

    /// Fixture path → JSON text.
    let files: [String: String]

    /// The binary does not change while it runs: one pass is enough for every build it makes
    /// (`serve`'s rebuilds, the tests' fixture sites).
    static let passedInThisProcess = LockedFlag()

    /// The compiled-in index: each loss id's peer calls or witness, case count and reason.
    static let index: [String: Index.Entry] = {
        guard let text = CompiledSources.files["\(folder)/index.json"],
              let index = try? JSONDecoder().decode(Index.self, from: Data(text.utf8)) else { return [:] }
        return index.ids
    }()

    /// The peer libraries that have golden cases for each loss id (from the compiled-in index).
    static let libraries: [String: [String]] = PeerWitness.index.compactMapValues { $0.cases > 0 ? $0.peer : nil }

    /// The paper witness of each loss no peer library has.
    static let witnesses: [String: Witness] = PeerWitness.index.compactMapValues { $0.cases > 0 ? $0.witness : nil }

    static var compiled: PeerWitness {
        PeerWitness(files: CompiledSources.files.filter { $0.key.hasPrefix(folder + "/") && $0.key.hasSuffix(".json") })
    }

    /// Every disagreement between `Losses` and a peer (or a paper witness), positioned at the case
    /// in its fixture; every catalog loss without a case, or without a peer library and then
    /// without both the reason and the witness that stands in; and every index count that is not
    /// the number of cases the fixtures hold (a fixture file lost or left out).
    func check() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let indexPath = "\(Self.folder)/index.json"
        guard let indexText = files[indexPath],
              let index = try? JSONDecoder().decode(Index.self, from: Data(indexText.utf8)) else {
            return [Diagnostic(indexPath, stage: .witness, "the peer fixtures' index is missing or unreadable",
                               hint: "regenerate it: scripts/golden/make_golden.py")]
        }
        for id in Catalog.ids {
            guard let entry = index.ids[id], entry.cases > 0 else {
                diagnostics.append(Diagnostic(indexPath, stage: .witness, "'\(id)' has no peer or witness case",
                                              hint: "add cases for it to scripts/golden/ (a peer library's, or its paper's formula in peers/papers.py)"))
                continue
            }
            guard entry.peer?.isEmpty ?? true else { continue }
            if (entry.reason ?? "").isEmpty {
                diagnostics.append(Diagnostic(indexPath, stage: .witness, "'\(id)' has no peer library, and the index does not say why",
                                              hint: "record the reason in scripts/golden/make_golden.py (NO_PEER)"))
            }
            if entry.witness == nil {
                diagnostics.append(Diagnostic(indexPath, stage: .witness, "'\(id)' has no peer library and no witness standing in for one",
                                              hint: "write it from its paper in scripts/golden/peers/papers.py (WITNESS)"))
            }
        }
        var counted: [String: Int] = [:]
        for name in index.files {
            let path = "\(Self.folder)/\(name)"
            guard let text = files[path] else {
                diagnostics.append(Diagnostic(indexPath, stage: .witness, "the index names \(name), which is not compiled in"))
                continue
            }
            let file: File
            do {
                file = try JSONDecoder().decode(File.self, from: Data(text.utf8))
            } catch {
                diagnostics.append(Diagnostic(path, stage: .witness, "unreadable peer fixture: \(error)"))
                continue
            }
            for c in file.cases {
                counted[c.id, default: 0] += 1
                guard let problem = Self.disagreement(c) else { continue }
                let at = Self.location(of: "\"name\":\"\(c.name)\"", in: text) ?? Self.location(of: "\"\(c.name)\"", in: text) ?? (1, 1)
                diagnostics.append(Diagnostic(path, line: at.line, column: at.column, stage: .witness,
                                              "'\(c.id)' disagrees with \(c.peer.library) (\(c.peer.call)) on case '\(c.name)': \(problem)",
                                              hint: "the library changed what it computes: fix the loss, or regenerate the fixture if the peer changed"))
            }
        }
        for (id, entry) in index.ids.sorted(by: { $0.key < $1.key }) where entry.cases != counted[id, default: 0] {
            diagnostics.append(Diagnostic(indexPath, stage: .witness,
                                          "the index counts \(entry.cases) case(s) for '\(id)', the fixtures hold \(counted[id, default: 0])",
                                          hint: "regenerate the fixtures together: scripts/golden/make_golden.py"))
        }
        return diagnostics
    }

    /// What differs between `Losses` and the peer on one case, or nil.
    static func disagreement(_ c: Case) -> String? {
        do {
            let input = try c.input.tensor()
            let value: Tensor
            var gradient: Tensor?
            if c.id == "edt" {
                value = try DistanceTransform.euclidean(input, spacing: c.spacing)
            } else {
                let output = try Catalog.make(c.id, c.params).evaluate(input, target: try c.target?.tensor(), gradient: c.grad != nil)
                value = output.value
                gradient = output.gradient
            }
            guard value.shape == c.value.shape else { return "value shape \(value.shape), the peer's \(c.value.shape)" }
            let peer = c.value.data
            let scale = max(1, peer.map(abs).max() ?? 0)
            if let m = mismatch(value.data.map(Double.init), peer, tolerance: { c.rtol * abs($0) + c.atol * scale }) {
                return "value \(m)"
            }
            if let expected = c.grad {
                guard let g = gradient, g.shape == expected.shape else {
                    return "gradient shape \(gradient?.shape ?? []), the peer's \(expected.shape)"
                }
                if let m = mismatch(g.data.map(Double.init), expected.data, tolerance: { c.rtol * abs($0) + (c.grad_atol ?? 0) }) {
                    return "gradient \(m)"
                }
            }
            return nil
        } catch {
            return "the library rejects the case: \(error)"
        }
    }

    static func mismatch(_ ours: [Double], _ peer: [Double], tolerance: (Double) -> Double) -> String? {
        guard ours.count == peer.count else { return "has \(ours.count) elements, the peer's \(peer.count)" }
        for i in peer.indices {
            let e = peer[i], o = ours[i]
            if e.isNaN && o.isNaN { continue }
            if e.isInfinite && o == e { continue }
            if !(abs(o - e) <= tolerance(e)) { return "element \(i) is \(o), the peer's \(e)" }
        }
        return nil
    }

    /// 1-based line and column (in characters) of the first occurrence of `needle`.
    static func location(of needle: String, in text: String) -> (line: Int, column: Int)? {
        guard let range = text.range(of: needle) else { return nil }
        let before = text[..<range.lowerBound]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let column = before.distance(from: before.lastIndex(of: "\n").map(before.index(after:)) ?? before.startIndex, to: before.endIndex) + 1
        return (line, column)
    }
}
