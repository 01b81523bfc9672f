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

/// The reference throws on input it cannot take; it never traps (the site generator calls it on
/// whatever a page says).
final class ReferenceRobustnessTests: XCTestCase {
    func testBadInputThrowsInsteadOfTrapping() throws {
        let logits = try RefArray(shape: [2, 3, 2, 2], data: (0..<24).map { Double($0 % 5) - 2 })
        let badInputs: [(String, RefArray, RefArray?, [String: RefParameter])] = [
            ("rank 1 input", try RefArray(shape: [4], data: [0, 1, 2, 3]), try RefArray(shape: [4], data: [1, -1, 1, -1]), [:]),
            ("labels out of range", logits, try RefArray(shape: [2, 2, 2], data: [0, 1, 7, 2, 0, 1, 2, 9]), [:]),
            ("wrong target shape", logits, try RefArray(shape: [2, 3], data: [0, 1, 2, 0, 1, 2]), [:]),
            ("no target", logits, nil, [:]),
            ("weight of the wrong length", logits, try RefArray(shape: [2, 2, 2], data: [0, 1, 2, 2, 0, 1, 2, 1]),
             ["weight": .numbers([1, 2, 3, 4, 5])]),
        ]
        for id in ReferenceLosses.ids {
            let names = Set(try ReferenceLosses.defaults(id: id).keys)
            for (what, input, target, parameters) in badInputs {
                let known = parameters.filter { names.contains($0.key) }
                // Either a value or an error; reaching the next line is the point.
                _ = try? ReferenceLosses.value(id: id, input: input, target: target, parameters: known)
                _ = what
            }
        }
        XCTAssertThrowsError(try ReferenceLosses.value(id: "dice", input: logits, target: nil))
        XCTAssertThrowsError(try ReferenceLosses.value(id: "cross-entropy", input: logits,
                                                       target: try RefArray(shape: [2, 2, 2], data: [0, 1, 7, 2, 0, 1, 2, 9])))
    }
}
