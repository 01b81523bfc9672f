import LossReference
import Losses
import XCTest

/// The reference covers the catalog exactly, with the same parameter names and defaults.
final class ReferenceCatalogTests: XCTestCase {
    /// A new catalog id without a reference implementation (or an input generator) fails here.
    func testEveryCatalogIdHasAReferenceAndCases() throws {
        for id in Catalog.ids {
            XCTAssertTrue(ReferenceLosses.ids.contains(id), "\(id): no reference implementation in LossReference")
            let descriptor = try Catalog.descriptor(for: id)
            XCTAssertNotNil(ReferenceCases.kind(of: descriptor), "\(id): no input generator in ReferenceCases")
        }
    }

    func testReferenceHasNoIdTheCatalogLacks() {
        for id in ReferenceLosses.ids {
            XCTAssertTrue(Catalog.ids.contains(id), "the reference implements '\(id)', which the catalog does not list")
        }
    }

    /// The reference keeps its own defaults (from the peers and papers); they must agree with
    /// the catalog's, parameter by parameter.
    func testDefaultsAgree() throws {
        for id in Catalog.ids where ReferenceLosses.ids.contains(id) {
            let descriptor = try Catalog.descriptor(for: id)
            let reference = try ReferenceLosses.defaults(id: id)
            let catalogNames = Set(descriptor.parameters.map(\.name))
            XCTAssertEqual(catalogNames, Set(reference.keys), "\(id): parameter names differ")
            for spec in descriptor.parameters {
                guard let theirs = reference[spec.name] else { continue }
                XCTAssertEqual(RefParameter(spec.defaultValue), theirs, "\(id).\(spec.name): default differs")
            }
        }
    }

    func testUnknownIdThrows() {
        XCTAssertThrowsError(try ReferenceLosses.value(id: "no-such-loss", input: RefArray(scalar: 0), target: nil))
    }
}
