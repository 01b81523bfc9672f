import Foundation
import XCTest
import _TestSupport
@testable import Site

/// `executable(named:path:)`, the one `PATH` lookup of Preflight (`node`), Graphviz (`dot`) and
/// `serve --open` (`xdg-open`), finds what `/usr/bin/env` would run.
final class ExecutableSearchTests: XCTestCase {
    let fm = FileManager.default

    func testLooksUpPATHAsExecvpDoes() throws {
        let folder = TemporaryFolder.path("path")
        defer { TemporaryFolder.remove(folder) }
        try fm.createDirectory(at: folder.appendingPathComponent("bin/tool"), withIntermediateDirectories: true) // a folder: skipped
        try fm.createDirectory(at: folder.appendingPathComponent("later"), withIntermediateDirectories: true)
        let tool = folder.appendingPathComponent("later/tool")
        try "#!/bin/sh\n".write(to: tool, atomically: true, encoding: .utf8)
        let plain = folder.appendingPathComponent("bin/plain")
        try "not executable\n".write(to: plain, atomically: true, encoding: .utf8)

        try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tool.path)
        XCTAssertNil(executable(named: "tool", path: "\(folder.path)/bin:\(folder.path)/later"), "not executable yet")
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        XCTAssertEqual(executable(named: "tool", path: "\(folder.path)/bin:\(folder.path)/later")?.path, tool.path)
        XCTAssertNil(executable(named: "plain", path: "\(folder.path)/bin"))
        XCTAssertEqual(executable(named: tool.path, path: "")?.path, tool.path, "a path is not looked up")
        XCTAssertNil(executable(named: "", path: "\(folder.path)/later"))

        // An empty entry is the current folder, as for execvp; an unset PATH is /bin:/usr/bin.
        let current = fm.currentDirectoryPath
        defer { _ = fm.changeCurrentDirectoryPath(current) }
        XCTAssertTrue(fm.changeCurrentDirectoryPath(folder.appendingPathComponent("later").path))
        XCTAssertEqual(executable(named: "tool", path: "")?.path, tool.path)
        XCTAssertEqual(executable(named: "tool", path: "/nonexistent::/nonexistent")?.path, tool.path)
        XCTAssertNil(executable(named: "tool", path: "/nonexistent"))
        XCTAssertEqual(executable(named: "sh", path: nil)?.path, "/bin/sh")
    }
}
