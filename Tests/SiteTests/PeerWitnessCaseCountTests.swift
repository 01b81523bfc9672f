import Foundation
import XCTest
@testable import Site

/// The reference pages' case counts (``PeerWitness/caseCounts``), found by a walk over the
/// fixtures' bytes, are those of decoding every fixture with `JSONDecoder`.
final class PeerWitnessCaseCountTests: XCTestCase {
    /// The counts `JSONDecoder` gives: a fixture that does not decode counts nothing.
    private func decoded(_ text: String) -> [String: [String: Int]]? {
        struct Slim: Decodable {
            struct Case: Decodable { struct Peer: Decodable { var library: String }; var id: String; var peer: Peer }
            var cases: [Case]
        }
        guard let file = try? JSONDecoder().decode(Slim.self, from: Data(text.utf8)) else { return nil }
        var counts: [String: [String: Int]] = [:]
        for c in file.cases { counts[c.id, default: [:]][c.peer.library, default: 0] += 1 }
        return counts
    }

    func testEveryCompiledFixtureCountsAsDecoded() throws {
        var all: [String: [String: Int]] = [:]
        let files = PeerWitness.compiled.files.filter { !$0.key.hasSuffix("/index.json") }
        XCTAssertGreaterThan(files.count, 10)
        for (path, text) in files {
            let expected = try XCTUnwrap(decoded(text), path)
            XCTAssertEqual(PeerWitness.caseCounts(ofFixture: text), expected, path)
            all.merge(expected) { $0.merging($1, uniquingKeysWith: +) }
        }
        XCTAssertEqual(PeerWitness.caseCounts, all)
        XCTAssertGreaterThan(all.values.reduce(0) { $0 + $1.values.reduce(0, +) }, 100)
    }

    func testKeysInAnyOrderEscapesAndWhiteSpace() throws {
        let text = #"""
         { "schema" : 1, "versions": {"a": [1, 2.5e-3, true, null, {"x": "}]"}]},
           "cases" : [
             {"peer": {"call": "f(\"x\")", "library": "py\u0074orch"}, "input": {"shape": [2], "data": [-1.0, 1E+2]}, "id": "l1"},
             {"id": "l\u0031", "name": "a \\ b", "peer": {"library": "pytorch"}},
             {"value": [[]], "id": "dice", "peer": {"library": "monai", "extra": {}}}
           ],
           "library": "not a case's"
         }
        """#
        XCTAssertEqual(decoded(text), ["l1": ["pytorch": 2], "dice": ["monai": 1]])
        XCTAssertEqual(PeerWitness.caseCounts(ofFixture: text), decoded(text))
    }

    func testWhatDoesNotDecodeCountsNothing() {
        let texts = [
            "",
            #"{"cases": [{"id": "l1"}]}"#,                                     // no peer
            #"{"cases": [{"id": "l1", "peer": {"call": "f"}}]}"#,              // no library
            #"{"cases": [{"id": "l1", "peer": {"library": "p"}}]"#,            // not closed
            #"{"cases": [{"id": "l1", "peer": {"library": "p"}}]} trailing"#,  // text after it
            #"{"cases": [{"id": "l1", "peer": {"library": "p}}]}"#,            // a string not closed
            #"{"schema": 1}"#,                                                 // no cases
            #"["cases"]"#,
        ]
        for text in texts {
            XCTAssertNil(decoded(text), text)
            XCTAssertNil(PeerWitness.caseCounts(ofFixture: text), text)
        }
    }
}
