@testable import DevServer
import FlyingFox
import XCTest

final class WatchIntervalTests: XCTestCase {
    func testPositiveFiniteIntervalsUpToADay() throws {
        XCTAssertEqual(try WatchInterval(seconds: 0.2).nanoseconds, 200_000_000)
        XCTAssertEqual(try WatchInterval(seconds: 86_400).nanoseconds, 86_400_000_000_000)
        for bad in [0, -0.0, -1, .nan, .infinity, -.infinity, 86_401, 1e300, -.leastNonzeroMagnitude] {
            XCTAssertThrowsError(try WatchInterval(seconds: bad), "\(bad)") { error in
                XCTAssertTrue("\(error)".hasPrefix("--interval must be a positive, finite number"), "\(error)")
            }
        }
    }

    func testStaticFilesForbidParentFolders() {
        let root = URL(fileURLWithPath: NSTemporaryDirectory())
        XCTAssertEqual(StaticFiles.response(for: "/../etc/passwd", root: root).statusCode, .forbidden)
        XCTAssertEqual(StaticFiles.response(for: "/%2E%2E/etc/passwd", root: root).statusCode, .forbidden)
        XCTAssertEqual(StaticFiles.response(for: "/no-such-file-\(UUID().uuidString)", root: root).statusCode, .notFound)
    }
}
