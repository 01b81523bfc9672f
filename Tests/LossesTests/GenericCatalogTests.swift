import XCTest
@testable import Losses

/// Catalog entries of the generic, distribution and regularisation losses: present, defaults valid against their own specs.
/// Their prose (names, descriptions, notes in every language) is checked by `CatalogProseTests`.
final class GenericCatalogTests: XCTestCase {
    static let ids = [
        "zero-one", "l1", "l2", "smooth-l1", "huber", "log-cosh", "exponential", "hinge", "squared-hinge", "soft-margin",
        "kl-divergence", "binary-cross-entropy", "perceptual", "l1-regularization", "l2-regularization",
        "cross-entropy", "weighted-cross-entropy", "topk", "topk-threshold", "focal",
    ]

    func testEveryIdIsListedAndComplete() throws {
        for id in Self.ids {
            let d = try Catalog.descriptor(for: id)
            XCTAssertEqual(d.id, id)
            XCTAssertFalse(d.formulas.isEmpty, "\(id): no formula")
            for f in d.formulas {
                XCTAssertFalse(f.contains("$"), "\(id): formulas are bare LaTeX, without $ delimiters")
                XCTAssertEqual(f.filter { $0 == "{" }.count, f.filter { $0 == "}" }.count, "\(id): unbalanced braces in \(f)")
            }
            XCTAssertFalse(d.citation.text.isEmpty, "\(id): no citation")
            for peer in d.peers {
                XCTAssertFalse(peer.call.isEmpty, "\(id): empty peer call")
            }
            XCTAssertTrue(d.parameters.contains { $0.name == "reduction" }, "\(id): no reduction parameter")
            XCTAssertEqual(Set(d.parameters.map(\.name)).count, d.parameters.count, "\(id): duplicate parameter names")
            // Defaults pass their own validation and build the loss.
            let defaults = Dictionary(uniqueKeysWithValues: d.parameters.map { ($0.name, $0.defaultValue) })
            XCTAssertNoThrow(try Catalog.make(id, defaults), "\(id): defaults rejected")
        }
    }

    func testUnknownParameterSuggestsTheClosest() {
        do {
            _ = try Catalog.make("cross-entropy", ["label_smoothin": .number(0.1)])
            XCTFail("expected an error")
        } catch let LossError.unknownParameter(loss, name, suggestion) {
            XCTAssertEqual(loss, "cross-entropy")
            XCTAssertEqual(name, "label_smoothin")
            XCTAssertEqual(suggestion, "label_smoothing")
        } catch {
            XCTFail("unexpected \(error)")
        }
    }
}
