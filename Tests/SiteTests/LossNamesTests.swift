import Foundation
import XCTest
import _TestSupport
@testable import Site

/// The catalog prose compiled into the binary is read only when something shows it
/// (``LossNames``): a site without prose of its own and without reference pages parses it when a
/// block first names a loss, once for every language.
final class LossNamesTests: XCTestCase {
    /// The compiled-in prose (an empty content folder has no `reference/` of its own).
    private func compiledInProse() throws -> CatalogProse {
        let empty = TemporaryFolder.path("prose")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { TemporaryFolder.remove(empty) }
        return try CatalogProse.load(contentDirectory: empty, displayRoot: "content", languages: ["zh", "en"])
    }

    func testDeferredProseIsReadOnceByTheFirstNameAskedFor() throws {
        let prose = try compiledInProse()
        let loads = LockedCount()
        let deferred = LossNames.Deferred(languages: ["zh", "en"]) { loads.add(); return prose }
        let zh = LossNames(deferred, language: "zh"), en = LossNames(deferred, language: "en")
        XCTAssertEqual(loads.value, 0, "made, not read")
        XCTAssertEqual(try zh.name(of: "focal"), prose.names(in: "zh")["focal"])
        XCTAssertEqual(try en.name(of: "focal"), prose.names(in: "en")["focal"])
        XCTAssertNotEqual(try zh.name(of: "focal"), try en.name(of: "focal"), "each language its own names")
        XCTAssertEqual(loads.value, 1, "read once for both languages")
    }

    func testAFailedReadIsThrownWhereANameIsAskedFor() {
        struct Unreadable: Error {}
        let names = LossNames(LossNames.Deferred(languages: ["en"]) { throw Unreadable() }, language: "en")
        XCTAssertThrowsError(try names.name(of: "focal")) { XCTAssertTrue($0 is Unreadable) }
    }

    /// `yaml_depth: 2` is below what the compiled-in prose needs (its peers are lists of mappings):
    /// a site that never shows it builds; one that shows reference pages reports the prose's files.
    func testCompiledInProseIsNotReadUnlessShown() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        let config = try String(contentsOf: fixture.content.appendingPathComponent("lossbook.yaml"), encoding: .utf8)
        try fixture.write(config + "limits:\n  yaml_depth: 2\n", to: "content/lossbook.yaml")
        try await fixture.build()
        try fixture.write(config.replacingOccurrences(of: "reference_pages: false", with: "reference_pages: true") + "limits:\n  yaml_depth: 2\n",
                          to: "content/lossbook.yaml")
        let diagnostics = await fixture.failures()
        XCTAssertFalse(diagnostics.isEmpty)
        XCTAssertTrue(diagnostics.allSatisfy { $0.path.hasPrefix("lossbook:content/") && $0.message.contains("nested more than 2 levels") },
                      diagnostics.map(\.description).joined(separator: "\n"))
    }

    /// A block of such a site shows the loss under its name in the page's language.
    func testABlockShowsTheDeferredName() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try fixture.write("---\ntitle: 图\n---\n\n```loss-plot\nlosses: [hinge, squared-hinge]\nx: {m: [-2, 3]}\ny: value\n```\n",
                          to: "content/zh/plot.md")
        try await fixture.build()
        let name = try XCTUnwrap(try compiledInProse().names(in: "zh")["hinge"])
        XCTAssertNotEqual(name, "hinge")
        XCTAssertTrue(try fixture.read("zh/plot/index.html").contains(name), "the legend names hinge '\(name)'")
    }
}

private final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func add() { lock.lock(); count += 1; lock.unlock() }
}
