import Foundation
import XCTest
@testable import Site

/// Each language's pages show that language's interface strings (`templates/strings.yaml`), which
/// the assembler makes into one template object per language (``InterfaceStrings``).
final class InterfaceStringsTests: XCTestCase {
    func testEachLanguagesPagesShowItsOwnInterfaceStrings() async throws {
        let fixture = try SiteFixture("basic")
        defer { fixture.remove() }
        try await fixture.build()
        let theme = try Theme.load(directory: fixture.options().templatesDirectory, displayRoot: "templates", languages: ["zh", "en"])
        let search = try ["zh", "en"].map { try XCTUnwrap(theme.strings[$0]?["search"]) }
        XCTAssertNotEqual(search[0], search[1], "the fixture's test needs the two languages' words to differ")
        for (language, page) in [("zh", "zh/focal/index.html"), ("en", "en/focal/index.html"), ("zh", "zh/only-zh/index.html")] {
            let html = try String(contentsOf: fixture.output.appendingPathComponent(page), encoding: .utf8)
            let own = search[language == "zh" ? 0 : 1], other = search[language == "zh" ? 1 : 0]
            XCTAssertTrue(html.contains("placeholder=\"\(own)\""), "\(page): its language's word for search")
            XCTAssertFalse(html.contains("placeholder=\"\(other)\""), "\(page): not the other language's")
        }
    }
}
