import XCTest
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `lossbook serve` end to end: the site over HTTP on loopback, 404s, and a rebuild on change.
final class ServeCommandTests: XCTestCase {
    func get(_ url: String) async -> (Int, String)? {
        guard let (data, response) = try? await URLSession.shared.data(from: URL(string: url)!) else { return nil }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// A zero, negative or non-finite `--interval` is refused before anything is built or served.
    func testIntervalMustBePositiveAndFinite() throws {
        for value in ["-1", "0", "nan", "inf", "-inf", "1e300"] {
            let result = try LossbookProcess.run(["serve", "--interval=\(value)", "--port", "1", "--content", "/nonexistent"])
            XCTAssertEqual(result.status, 64, "--interval=\(value): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--interval must be a positive, finite number"), "--interval=\(value): \(result.stderr)")
        }
    }

    func testServesRebuildsAndStops() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lossbook-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: LossbookProcess.repository.appendingPathComponent("Tests/SiteTests/Fixtures/basic"), to: root)
        try FileManager.default.copyItem(at: LossbookProcess.repository.appendingPathComponent("templates"), to: root.appendingPathComponent("templates"))
        let port = 18000 + Int(ProcessInfo.processInfo.processIdentifier % 1000)
        let process = Process()
        process.executableURL = LossbookProcess.executable
        process.arguments = ["serve", "--port", "\(port)", "--interval", "0.2"]
        process.currentDirectoryURL = root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }

        let base = "http://127.0.0.1:\(port)"
        var page: (Int, String)?
        for _ in 0..<150 { // up to 30 s for the first build
            page = await get("\(base)/en/focal/")
            if page != nil { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        XCTAssertEqual(page?.0, 200)
        XCTAssertTrue(page?.1.contains("<html lang=\"en\">") == true)
        let missing = await get("\(base)/no/such/page")
        XCTAssertEqual(missing?.0, 404)
        XCTAssertTrue(missing?.1.contains("404") == true)

        let marker = "Served after a change \(UUID().uuidString)"
        let note = root.appendingPathComponent("content/en/focal.md")
        try (try String(contentsOf: note, encoding: .utf8) + "\n\(marker)\n").write(to: note, atomically: true, encoding: .utf8)
        var rebuilt = false
        for _ in 0..<100 {
            if let (_, body) = await get("\(base)/en/focal/"), body.contains(marker) { rebuilt = true; break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        XCTAssertTrue(rebuilt, "the page was rebuilt after its note changed")
    }
}
