import XCTest
@testable import Losses

/// Catalog entries of the region, boundary and compound losses and `dpce`: present, formulas bare and balanced, a cited source with a link, defaults valid.
/// Their prose (names, descriptions, notes in every language) is checked by `CatalogProseTests`.
final class RegionCatalogTests: XCTestCase {
    static let ids = [
        "sensitivity-specificity", "dice", "iou", "lovasz-softmax", "tversky", "generalized-dice", "focal-tversky",
        "asymmetric", "penalty-generalized-dice", "boundary", "hausdorff-dt",
        "dice-ce", "dice-focal", "dice-topk", "exp-log", "combo", "dpce",
    ]

    func testEveryIdIsListedAndComplete() throws {
        for id in Self.ids {
            let d = try Catalog.descriptor(for: id)
            XCTAssertEqual(d.id, id)
            XCTAssertEqual(Catalog.ids.filter { $0 == id }.count, 1, "\(id): listed once")
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
            }
            XCTAssertTrue(d.parameters.contains { $0.name == "reduction" }, "\(id): no reduction parameter")
            XCTAssertTrue(d.parameters.contains { $0.name == "activation" }, "\(id): no activation parameter")
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
