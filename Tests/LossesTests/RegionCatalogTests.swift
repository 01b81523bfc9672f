import XCTest
@testable import Losses

/// Catalog entries of the region, boundary and compound losses and `dpce`: present, complete in
/// both languages, formulas bare and balanced, a cited source with a link, defaults valid.
final class RegionCatalogTests: XCTestCase {
    static let ids = [
        "sensitivity-specificity", "dice", "iou", "lovasz-softmax", "tversky", "generalized-dice", "focal-tversky",
        "asymmetric", "penalty-generalized-dice", "boundary", "hausdorff-dt",
        "dice-ce", "dice-focal", "dice-topk", "exp-log", "combo", "dpce",
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
            XCTAssertEqual(Catalog.ids.filter { $0 == id }.count, 1, "\(id): listed once")
            for (text, what) in [(d.name, "name"), (d.inputConvention, "inputConvention"), (d.gradientNote, "gradientNote"), (d.notes, "notes")] {
                assertComplete(text, "\(id) \(what)")
            }
            XCTAssertFalse(d.formulas.isEmpty, "\(id): no formula")
            for f in d.formulas {
                XCTAssertFalse(f.contains("$"), "\(id): formulas are bare LaTeX")
                XCTAssertEqual(f.filter { $0 == "{" }.count, f.filter { $0 == "}" }.count, "\(id): unbalanced braces in \(f)")
                XCTAssertEqual(f.components(separatedBy: "\\left").count, f.components(separatedBy: "\\right").count,
                               "\(id): unpaired \\left/\\right in \(f)")
            }
            XCTAssertFalse(d.citation.text.isEmpty, "\(id): no citation")
            XCTAssertTrue(d.citation.url?.hasPrefix("https://") ?? false, "\(id): the citation needs a DOI, arXiv or OpenReview link")
            for peer in d.peers {
                XCTAssertFalse(peer.call.isEmpty, "\(id): empty peer call")
                assertComplete(peer.note, "\(id) peer \(peer.call)")
            }
            XCTAssertTrue(d.parameters.contains { $0.name == "reduction" }, "\(id): no reduction parameter")
            XCTAssertTrue(d.parameters.contains { $0.name == "activation" }, "\(id): no activation parameter")
            for spec in d.parameters { assertComplete(spec.description, "\(id) parameter \(spec.name)") }
            XCTAssertEqual(Set(d.parameters.map(\.name)).count, d.parameters.count, "\(id): duplicate parameter names")
            let defaults = Dictionary(uniqueKeysWithValues: d.parameters.map { ($0.name, $0.defaultValue) })
            XCTAssertNoThrow(try Catalog.make(id, defaults), "\(id): defaults rejected")
        }
    }

    func testCategories() throws {
        let expected: [String: LossCategory] = [
            "dice": .region, "lovasz-softmax": .region, "penalty-generalized-dice": .region, "boundary": .boundary,
            "hausdorff-dt": .boundary, "dice-ce": .compound, "combo": .compound, "dpce": .distribution,
        ]
        for (id, category) in expected { XCTAssertEqual(try Catalog.descriptor(for: id).category, category, id) }
    }
}
