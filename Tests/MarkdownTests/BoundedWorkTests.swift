import XCTest
@testable import Markdown

/// Work grows linearly with the input: n and 4n formulas in one paragraph, timed, must differ by
/// about 4× (a quadratic step gives 16×; the bound leaves room for a noisy machine).
final class BoundedWorkTests: XCTestCase {
    func seconds(_ formulas: Int) throws -> Double {
        let text = String(repeating: "$a_1$ and ", count: formulas) + "\n"
        let start = DispatchTime.now()
        let doc = try MarkdownDocument(text)
        XCTAssertEqual(doc.math.count, formulas)
        let spans = doc.math
        XCTAssertEqual(spans.last?.column, (formulas - 1) * 10 + 2)
        _ = doc.html { spans[$0].tex }
        return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    func testManyFormulasInOneParagraphAreLinear() throws {
        _ = try seconds(1000) // warm up
        let small = try seconds(5000), large = try seconds(20000)
        XCTAssertLessThan(large / small, 9, "n = 5 000: \(small) s, 4n: \(large) s")
    }
}
