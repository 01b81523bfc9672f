import Foundation
import _TestSupport
import XCTest

/// Runs the built `lossbook` executable, as a user would.
struct LossbookProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        // Tests run from the build products folder, next to the `lossbook` executable.
        var url = Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: url.appendingPathComponent("lossbook").path) {
            url = TestRepository.root.appendingPathComponent(".build/debug")
        }
        return url.appendingPathComponent("lossbook")
    }

    static var repository: URL { TestRepository.root }

    /// A project in a fresh temporary folder, `lossbook-<prefix>-<UUID>`: the basic site fixture
    /// (`Tests/SiteTests/Fixtures/basic`) and a copy of the repository's templates.
    static func basicProject(_ prefix: String) throws -> URL {
        let fm = FileManager.default
        let root = TemporaryFolder.path(prefix)
        try fm.copyItem(at: repository.appendingPathComponent("Tests/SiteTests/Fixtures/basic"), to: root)
        try fm.copyItem(at: repository.appendingPathComponent("templates"), to: root.appendingPathComponent("templates"))
        return root
    }

    final class Marker {}

    @discardableResult
    static func run(_ arguments: [String], stdin: String = "", directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }
}
