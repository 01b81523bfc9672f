import LossEvaluation
import XCTest
@testable import Site

/// Every input a fuzz target (`scripts/fuzz.sh`) ever crashed, hung or exhausted memory on,
/// replayed through the same entry point: each must now return promptly.
final class FuzzRegressionTests: XCTestCase {
    func inputs(_ target: String) -> [URL] {
        guard let folder = Bundle.module.url(forResource: "fuzz-regressions/\(target)", withExtension: nil, subdirectory: "Fixtures") else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    func replay(_ target: String, _ entry: (Data) -> Void) throws {
        for url in inputs(target) {
            let start = Date()
            entry(try Data(contentsOf: url))
            XCTAssertLessThan(Date().timeIntervalSince(start), 10, url.lastPathComponent)
        }
    }

    func testMarkdown() throws { try replay("markdown", FuzzEntry.markdown) }
    func testFrontMatter() throws { try replay("front-matter", FuzzEntry.frontMatter) }
    func testDirective() throws { try replay("directive", FuzzEntry.directive) }
    func testEval() throws { try replay("eval", EvaluationFuzzEntry.evaluate) }

    /// The 740-byte alias block of issue 11.4 (10⁸ numbers once expanded) through the directive entry.
    func testAliasBombDirective() throws {
        var lines = ["loss-table l1", "cases:", "  - input: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
        for k in 1...7 { lines.append("  - input: &a\(k) [" + Array(repeating: "*a\(k - 1)", count: 10).joined(separator: ", ") + "]") }
        let start = Date()
        FuzzEntry.directive(Data(lines.joined(separator: "\n").utf8))
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }
}
