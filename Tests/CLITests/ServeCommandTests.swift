import XCTest
import _TestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `lossbook serve` end to end: flags, a taken port, the site over HTTP on loopback, the 404
/// page, live reload after an edit, a failed rebuild's errors, one log line per rebuild.
final class ServeCommandTests: XCTestCase {
    /// A zero, negative, non-finite or vanishing (0 ns) `--interval` is refused before anything is built or served.
    func testIntervalMustBePositiveAndFinite() throws {
        for value in ["-1", "0", "nan", "inf", "-inf", "1e300", "1e-300"] {
            let result = try LossbookProcess.run(["serve", "--interval=\(value)", "--port", "1", "--content", "/nonexistent"])
            XCTAssertEqual(result.status, 64, "--interval=\(value): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--interval must be a positive, finite number"), "--interval=\(value): \(result.stderr)")
            // The value as a word of its own, as users type it, even when it starts with a dash.
            let spaced = try LossbookProcess.run(["serve", "--interval", value, "--port", "1", "--content", "/nonexistent"])
            XCTAssertTrue(spaced.stderr.contains("--interval must be a positive, finite number"), "--interval \(value): \(spaced.stderr)")
        }
    }

    /// A port out of range is named as such, also as a word of its own that starts with a dash
    /// (ArgumentParser otherwise reads `-1` as a flag and says only that the value is missing).
    func testPortOutOfRangeIsNamed() throws {
        for arguments in [["--port", "-1"], ["--port=-1"], ["--port", "70000"]] {
            let result = try LossbookProcess.run(["serve"] + arguments + ["--content", "/nonexistent"])
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("is invalid for '--port <port>'"), "\(arguments): \(result.stderr)")
        }
    }

    func testHostMustBeAnAddress() throws {
        let result = try LossbookProcess.run(["serve", "--host", "example.com", "--content", "/nonexistent"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--host must be an IP address or localhost"), result.stderr)
    }

    /// A port in use is one error, at once, before anything is built.
    func testTakenPortIsOneErrorBeforeBuilding() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        XCTAssertEqual(listen(listener, 1), 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))

        let folder = try TemporaryFolder.make("serve-port")
        defer { TemporaryFolder.remove(folder) }
        let started = Date()
        let result = try LossbookProcess.run(["serve", "--port", "\(port)"], directory: folder)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertTrue(result.stderr.hasPrefix("--port:1:1: error: cannot serve at http://127.0.0.1:\(port)/: "), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertFalse(result.stderr.contains("content"), "nothing was built: \(result.stderr)")
    }

    /// An output every build would refuse (the project, `content/`, a folder inside it) ends
    /// `serve` at once with that one error, before it listens, with the project untouched.
    func testRefusedOutputEndsServeAtOnce() throws {
        let root = try LossbookProcess.basicProject("serve-output")
        defer { try? FileManager.default.removeItem(at: root) }
        let notes = try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted()
        for output in [".", "content", "content/en/out"] {
            let process = Process()
            process.executableURL = LossbookProcess.executable
            process.arguments = ["serve", "--port", "0", "--output", output]
            process.currentDirectoryURL = root
            let error = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = error
            try process.run()
            // A serve that keeps running would hang the suite: stop it after 30 s and fail.
            let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
            let stderr = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            watchdog.cancel()
            XCTAssertEqual(process.terminationReason, .exit, "--output \(output): serve kept running")
            XCTAssertEqual(process.terminationStatus, 1, "--output \(output): \(stderr)")
            let lines = stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "--output \(output): \(stderr)")
            XCTAssertTrue(lines.first?.contains(": error: ") == true, "--output \(output): \(stderr)")
            XCTAssertFalse(stderr.contains("serving"), "--output \(output): \(stderr)")
            XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted(), notes, "--output \(output)")
        }
    }

    func testServesReloadsShowsErrorsAndLogsOneLinePerRebuild() throws {
        let root = try LossbookProcess.basicProject("serve")
        defer { try? FileManager.default.removeItem(at: root) }
        let process = Process()
        process.executableURL = LossbookProcess.executable
        // The repository's loss sources, which the binary was compiled from (a copy of the fixture has none).
        let sources = LossbookProcess.repository.appendingPathComponent("Sources")
        process.arguments = ["serve", "--port", "0", "--interval", "0.05",
                             "--sources", sources.appendingPathComponent("Losses").path,
                             "--reference-sources", sources.appendingPathComponent("LossReference").path]
        process.currentDirectoryURL = root
        let output = Pipe()
        let printed = Printed()
        output.fileHandleForReading.readabilityHandler = { printed.append($0.availableData) }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { process.terminate(); process.waitUntilExit(); output.fileHandleForReading.readabilityHandler = nil }

        func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition() { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        XCTAssertTrue(waitFor(60) { printed.text.contains(" built ") || printed.text.contains("build failed") }, printed.text)
        let serving = try XCTUnwrap(printed.text.range(of: #"at http://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression), printed.text)
        let port = Int(printed.text[serving].split(separator: ":").last!.dropLast())!

        let page = try HTTP.get(port: port, "/en/focal/")
        XCTAssertTrue(page.hasPrefix("HTTP/1.1 200 "), String(page.prefix(200)))
        XCTAssertTrue(page.contains("<html lang=\"en\">"))
        XCTAssertTrue(page.contains("/__lossbook/events"))
        let onDisk = try String(contentsOf: root.appendingPathComponent("site/en/focal/index.html"), encoding: .utf8)
        XCTAssertFalse(onDisk.contains("__lossbook"), "the script is never written to site/")
        let missing = try HTTP.get(port: port, "/no/such/page")
        XCTAssertTrue(missing.hasPrefix("HTTP/1.1 404 "), String(missing.prefix(200)))
        XCTAssertTrue(missing.contains("404"))
        XCTAssertTrue(try HTTP.get(port: port, "/en/focal").hasPrefix("HTTP/1.1 301 "))

        let events = try HTTP.Stream(port: port, "/__lossbook/events")
        XCTAssertTrue(events.read(for: 5) { $0.contains("event: hello") }.contains("\"errors\":[]"))
        let note = root.appendingPathComponent("content/en/focal.md")
        let original = try String(contentsOf: note, encoding: .utf8)
        let marker = "Served after a change \(UUID().uuidString)"
        // A number typed in the prose: the rebuild prints its warning as `build` prints it.
        try (original + "\n\(marker)\n\nIt was 0.318309 before.\n").write(to: note, atomically: true, encoding: .utf8)
        XCTAssertTrue(events.read(for: 30) { $0.contains("event: reload") }.contains("event: reload"))
        XCTAssertTrue(try HTTP.get(port: port, "/en/focal/").contains(marker))
        XCTAssertTrue(waitFor(5) { printed.text.contains("rebuilt ") }, printed.text)
        let line = try XCTUnwrap(printed.text.split(separator: "\n").first { $0.contains("rebuilt ") })
        XCTAssertNotNil(line.range(of: #"^[0-9]{2}:[0-9]{2}:[0-9]{2} rebuilt [0-9]+ pages? in [0-9.]+ s \(content/en/focal\.md\)$"#, options: .regularExpression), String(line))
        XCTAssertFalse(printed.text.contains("GET /"), "no request log without --verbose")
        let warning = try XCTUnwrap(printed.text.split(separator: "\n").first { $0.contains("0.318309") }, printed.text)
        XCTAssertNotNil(warning.range(of: #"^content/en/focal\.md:[0-9]+:[0-9]+: warning: number '0\.318309' typed in the prose"#, options: .regularExpression),
                        String(warning))

        try (original + "\n[broken](no-such-page.md)\n").write(to: note, atomically: true, encoding: .utf8)
        let failed = events.read(for: 30) { $0.contains("event: failed") }
        XCTAssertNotNil(failed.range(of: #"content/en/focal\.md:[0-9]+:[0-9]+: error: "#, options: .regularExpression), failed)
        XCTAssertTrue(try HTTP.get(port: port, "/en/focal/").contains(marker), "the last good site stays served")

        try original.write(to: note, atomically: true, encoding: .utf8)
        XCTAssertTrue(events.read(for: 30) { $0.contains("event: reload") }.contains("event: reload"))
    }
}

/// What the server printed so far.
private final class Printed: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.lock(); data += more; lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}

/// Plain HTTP/1.1 over a socket to 127.0.0.1, every wait bounded.
private enum HTTP {
    static func get(port: Int, _ path: String) throws -> String {
        let stream = try Stream(port: port, path, close: true)
        return stream.read(for: 10)
    }

    final class Stream {
        let fd: Int32

        init(port: Int, _ path: String, close: Bool = false) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else { Glibc.close(fd); throw CocoaError(.fileReadUnknown) }
            let request = Array("GET \(path) HTTP/1.1\r\nHost: x\r\n\(close ? "Connection: close\r\n" : "")\r\n".utf8)
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        deinit { Glibc.close(fd) }

        /// Reads until `done` holds for what this call read, the server closes, or `seconds` pass.
        func read(for seconds: Double, until done: (String) -> Bool = { _ in false }) -> String {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { break }
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                received += buffer[0..<count]
                if done(String(decoding: received, as: UTF8.self)) { break }
            }
            return String(decoding: received, as: UTF8.self)
        }
    }
}
