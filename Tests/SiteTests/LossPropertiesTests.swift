import XCTest
import Losses
@testable import Site

/// `loss-properties`: numerically probed properties of every catalog loss, on the reference pages
/// and in the notes' comparison table.
final class LossPropertiesTests: XCTestCase {
    /// Every loss of the catalog is probed (a new loss needs nothing), on finite probes, and the
    /// same seed gives the same properties.
    func testEveryLossIsProbedReproducibly() throws {
        for id in Catalog.ids {
            let p = try LossProperties.compute(id)
            XCTAssertEqual(p, try LossProperties.compute(id), "\(id) is not reproducible")
            XCTAssertGreaterThan(p.probes, LossProperties.probeCount / 2, "\(id): most random probes must be accepted")
            XCTAssertGreaterThan(p.convexity.segments, 0, "\(id): no segment searched")
            XCTAssertTrue(p.range.min.isFinite && p.range.max.isFinite && p.range.min <= p.range.max, "\(id): \(p.range)")
        }
    }

    /// A counterexample is what it says: re-evaluated by the library at its end points and at t,
    /// it lies above the chord.
    func testCounterexamplesAreReal() throws {
        var checked = 0
        for id in Catalog.ids {
            let p = try LossProperties.compute(id)
            guard let c = p.convexity.counterexample else { continue }
            XCTAssertEqual(c.chord, (1 - c.t) * c.start + c.t * c.end, accuracy: 1e-12 * max(1, abs(c.chord)))
            XCTAssertGreaterThan(c.between - c.chord, LossProperties.convexityMargin * max(1, abs(c.start), abs(c.end)), id)
            guard let a = c.startInput, let b = c.endInput else { continue }
            // Rebuild the probe's loss (its parameters) and re-run it on the stored end points and target.
            let variable = try XCTUnwrap(ProbeVariable(rawValue: p.variable))
            let point = try variable.point(id: id, value: 0.5, mask: LossProperties.mask)
            let loss = try Catalog.make(id, point.parameters)
            let target = try c.target.map { values in
                try Tensor(shape: values.count == point.target?.data.count ? point.target!.shape : [values.count], data: values.map { Float($0) })
            }
            let shape = a.count == point.input.data.count ? point.input.shape
                : [a.count / max(1, point.input.data.count)] + point.input.shape.dropFirst()
            func value(_ x: [Double]) throws -> Double {
                let output = try loss.evaluate(try Tensor(shape: shape, data: x.map { Float($0) }), target: target, gradient: false)
                return output.value.data.reduce(0.0) { $0 + Double($1) }
            }
            XCTAssertEqual(try value(a), c.start, accuracy: 1e-6, id)
            XCTAssertEqual(try value(b), c.end, accuracy: 1e-6, id)
            XCTAssertEqual(try value(zip(a, b).map { $0 + c.t * ($1 - $0) }), c.between, accuracy: 1e-5, id)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 0, "no short counterexample was re-evaluated")
    }

    /// What the probes must find where the mathematics is known: these fail if probing or the
    /// library goes wrong.
    func testKnownPropertiesAreFound() throws {
        let l2 = try LossProperties.compute("l2"), l1 = try LossProperties.compute("l1")
        guard case let .swap(probes, difference, _, _)? = l2.symmetry else { return XCTFail("L2 has a swap symmetry row") }
        XCTAssertEqual(probes, LossProperties.probeCount)
        XCTAssertEqual(difference, 0, "(x − y)² = (y − x)²")
        XCTAssertNil(l2.convexity.counterexample, "L2 is convex")
        XCTAssertEqual(l2.perfect?.value, 0)
        // |∂L1/∂x| is 1/n everywhere, ×100 changes nothing; L2's grows with the residual.
        XCTAssertEqual(try XCTUnwrap(l1.gradient?.far), try XCTUnwrap(l1.gradient?.near))
        XCTAssertGreaterThan(try XCTUnwrap(l2.gradient?.far), 10 * (try XCTUnwrap(l2.gradient?.near)))

        guard case let .swap(_, klDifference, _, _)? = try LossProperties.compute("kl-divergence").symmetry else {
            return XCTFail("KL has a swap row")
        }
        XCTAssertGreaterThan(klDifference, 1e-3, "KL(p‖q) ≠ KL(q‖p)")
        XCTAssertNotNil(try LossProperties.compute("zero-one").convexity.counterexample, "a step is not convex")

        let dice = try LossProperties.compute("dice")
        guard case let .underOver(_, under, over)? = dice.symmetry else { return XCTFail("Dice has a U/O row") }
        XCTAssertTrue(under.isFinite && over.isFinite && under > 0 && over > 0)
        XCTAssertNotNil(dice.emptyTarget)
        XCTAssertNil(try LossProperties.compute("hinge").emptyTarget, "an empty target means nothing to a margin loss")
    }

    /// The block that tabulates every loss is re-run when any loss's code changes; one loss's
    /// block only when that loss's does.
    func testAllLossesBlockIsKeyedByEveryLoss() throws {
        let (before, after, expander) = try VerificationCatchesTests.cachesAroundAnL1Edit()
        func key(_ cache: ExecutionCache, _ info: String) -> String {
            cache.key(.init(info: info, code: "", line: 1, column: 1), expander: expander)
        }
        XCTAssertNotEqual(key(before, "loss-properties"), key(after, "loss-properties"))
        XCTAssertNotEqual(key(before, "loss-properties l1"), key(after, "loss-properties l1"))
        XCTAssertEqual(key(before, "loss-properties l2"), key(after, "loss-properties l2"))
    }

    /// Reference pages carry the table in both languages; a note's block renders every loss.
    func testReferencePagesAndNotesShowTheTables() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true"), to: "content/lossbook.yaml")
        try fixture.write("---\ntitle: P\n---\n\n```loss-properties\nlosses: [l2, zero-one]\n```\n", to: "content/en/p.md")
        try await fixture.build()
        let stringsFile = try String(contentsOf: SiteFixture.repository.appendingPathComponent("templates/strings.yaml"), encoding: .utf8)
        /// A theme string's text up to its first placeholder (`key: text` lines under `language:`).
        func phrase(_ language: String, _ key: String) throws -> String {
            let section = stringsFile.components(separatedBy: "\n\(language):\n")[1].components(separatedBy: "\n\n")[0]
            let line = try XCTUnwrap(section.split(separator: "\n").first { $0.hasPrefix("  \(key): ") }, key)
            let text = line.dropFirst(key.count + 4).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            return String(text.prefix { $0 != "{" }).trimmingCharacters(in: .whitespaces)
        }
        let note = try fixture.read("en/p/index.html")
        XCTAssertTrue(note.contains(try phrase("en", "props_convex_found_short")), "zero-one's counterexample")
        XCTAssertTrue(note.contains(try phrase("en", "props_convex_none_short")), "no counterexample for l2")
        XCTAssertTrue(note.contains("/reference/l2/"), "rows link to the reference pages")
        for language in ["en", "zh"] {
            let page = try fixture.read("\(language)/reference/zero-one/index.html")
            XCTAssertTrue(page.contains(try phrase(language, "ref_properties")), language)
            XCTAssertTrue(page.contains(try phrase(language, "props_convex_found")), "\(language): the counterexample in full")
        }
    }
}
