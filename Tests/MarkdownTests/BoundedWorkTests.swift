import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Markdown

/// Work grows linearly with the input: n and 4n formulas in one paragraph must cost about 4× (a
/// quadratic step gives 16×; the bound leaves room for a noisy machine).
///
/// The cost is the thread's CPU time, not wall time, and the least of three runs: `make test` runs
/// two test processes on two cores beside other work, and wall time counts the moments this thread
/// waited for a core (one such wait made a 4n run look 10.8× its n run).
final class BoundedWorkTests: XCTestCase {
    func threadSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    func seconds(_ formulas: Int) throws -> Double {
        let text = String(repeating: "$a_1$ and ", count: formulas) + "\n"
        var least = Double.infinity
        for _ in 0..<3 {
            let start = threadSeconds()
            let doc = try MarkdownDocument(text)
            XCTAssertEqual(doc.math.count, formulas)
            let spans = doc.math
            XCTAssertEqual(spans.last?.column, (formulas - 1) * 10 + 2)
            _ = doc.html { spans[$0].tex }
            least = min(least, threadSeconds() - start)
        }
        return least
    }

    func testManyFormulasInOneParagraphAreLinear() throws {
        _ = try seconds(1000) // warm up
        let small = try seconds(5000), large = try seconds(20000)
        XCTAssertLessThan(large / small, 9, "n = 5 000: \(small) s of CPU, 4n: \(large) s")
    }
}
