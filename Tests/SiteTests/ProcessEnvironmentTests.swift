import Foundation
@testable import Site
import XCTest

/// ``ProcessEnvironment/value(_:)`` reads what `ProcessInfo` reads, one variable at a time.
final class ProcessEnvironmentTests: XCTestCase {
    func testAVariableReadsAsProcessInfoReadsIt() {
        let name = "LOSSBOOK_TEST_ENVIRONMENT_\(getpid())"
        XCTAssertNil(ProcessEnvironment.value(name), "not set")
        setenv(name, "a=b ü", 1)
        defer { unsetenv(name) }
        XCTAssertEqual(ProcessEnvironment.value(name), "a=b ü", "everything after the first '=' of the entry")
        XCTAssertEqual(ProcessEnvironment.value(name), ProcessInfo.processInfo.environment[name])
        setenv(name, "", 1)
        XCTAssertEqual(ProcessEnvironment.value(name), "", "set and empty is not unset")
        for other in ["PATH", "HOME"] {
            XCTAssertEqual(ProcessEnvironment.value(other), ProcessInfo.processInfo.environment[other], other)
        }
    }
}
