import XCTest
@testable import Losses

/// The family tree (`Catalog.relations`): every id a catalog id, no duplicates, a source each.
final class RelationTests: XCTestCase {
    func testEveryRelationNamesCatalogIDs() {
        let unknown = Catalog.unknownRelationIDs()
        XCTAssertTrue(unknown.isEmpty, unknown.map { "\($0.0.from) → \($0.0.to): unknown id '\($0.1)'" }.joined(separator: "\n"))
    }

    func testARelationToAnUnknownIDIsCaught() {
        let wrong = LossRelation(from: "focal", kind: .reweights, to: "cross-entropi", source: "Lin et al. 2017")
        let unknown = Catalog.unknownRelationIDs(Catalog.relations + [wrong])
        XCTAssertEqual(unknown.count, 1)
        XCTAssertEqual(unknown.first?.1, "cross-entropi")
    }

    func testRelationsAreDistinctSourcedAndNotSelfLoops() {
        XCTAssertEqual(Set(Catalog.relations).count, Catalog.relations.count, "a relation is listed twice")
        for relation in Catalog.relations {
            XCTAssertNotEqual(relation.from, relation.to)
            XCTAssertFalse(relation.source.trimmingCharacters(in: .whitespaces).isEmpty, "\(relation.from) → \(relation.to) has no source")
        }
    }

    func testNeighbourhood() {
        let around = Catalog.relations(around: "focal")
        XCTAssertTrue(around.contains { $0.from == "focal" && $0.to == "cross-entropy" && $0.kind == .reweights })
        XCTAssertTrue(around.contains { $0.from == "dice-focal" && $0.to == "focal" })
        XCTAssertTrue(around.allSatisfy { $0.from == "focal" || $0.to == "focal" })
    }
}
