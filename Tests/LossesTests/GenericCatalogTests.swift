import XCTest
@testable import Losses

/// Catalog entries of the generic, distribution and regularisation losses: present, complete in
/// both languages, defaults valid against their own specs.
final class GenericCatalogTests: XCTestCase {
    static let ids = [
        "zero-one", "l1", "l2", "smooth-l1", "huber", "log-cosh", "exponential", "hinge", "squared-hinge", "soft-margin",
        "kl-divergence", "binary-cross-entropy", "perceptual", "l1-regularization", "l2-regularization",
        "cross-entropy", "weighted-cross-entropy", "topk", "topk-threshold", "focal",
    ]

    private func hasChinese(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    private func assertComplete(_ text: Localized, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(text.en.trimmingCharacters(in: .whitespaces).isEmpty, "\(what): empty en", file: file, line: line)
        XCTAssertTrue(hasChinese(text.zh), "\(what): zh has no Chinese text", file: file, line: line)
    }

    func testEveryIdIsListedAndComplete() throws {
        for id in Self.ids {
            let d = try Catalog.descriptor(for: id)
            XCTAssertEqual(d.id, id)
            assertComplete(d.name, "\(id) name")
            assertComplete(d.inputConvention, "\(id) inputConvention")
            assertComplete(d.gradientNote, "\(id) gradientNote")
            assertComplete(d.notes, "\(id) notes")
            XCTAssertFalse(d.formulas.isEmpty, "\(id): no formula")
            for f in d.formulas {
                XCTAssertFalse(f.contains("$"), "\(id): formulas are bare LaTeX, without $ delimiters")
                XCTAssertEqual(f.filter { $0 == "{" }.count, f.filter { $0 == "}" }.count, "\(id): unbalanced braces in \(f)")
            }
            XCTAssertFalse(d.citation.text.isEmpty, "\(id): no citation")
            for peer in d.peers {
                XCTAssertFalse(peer.call.isEmpty, "\(id): empty peer call")
                assertComplete(peer.note, "\(id) peer \(peer.call)")
            }
            XCTAssertTrue(d.parameters.contains { $0.name == "reduction" }, "\(id): no reduction parameter")
            for spec in d.parameters { assertComplete(spec.description, "\(id) parameter \(spec.name)") }
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
